"""The demo dataset, loaded by `make run` into an empty database.

Everything in it is synthetic. Only the province, the city and the two districts are real
(安徽省 340000, 合肥市 340100, 包河区 340111, 蜀山区 340104; GB/T 2260), and the agencies are
real kinds of bodies; the townships, communities, households, people, organizations,
facilities, projects and assets do not exist. Names are drawn from common surnames and
given-name characters, and numbers at random: they describe no one, though a valid ID number
or USCC may match a real one by chance.

A few hundred people are drawn from one seeded generator, so every load writes the same
graph (nodes by natural key, relationships by endpoints and start date): loading it again
changes nothing but `lastSeen`. Every label and every relationship of the catalog appear
(a funeral home's record without an ID number is left POSSIBLY_SAME as a living person by
entity resolution, a roster's post naming its bureau without a credit code and in the wrong
district as the bureau), and so do the situations the platform exists to find: benefits still paid
after a death, a dibao household member who runs a company, owns a car or two homes, or is
on the public payroll, a serving cadre leading an industry association their bureau
supervises, a care home with more residents than beds, people in several programs at once.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from civgraph.graph.catalog import RELATIONSHIPS, Label, Rel, RelSpec, relationship
from civgraph.graph.changes import SYSTEM, Context, Outbox
from civgraph.graph.driver import Graph
from civgraph.graph.identifiers import parse_resident_id
from civgraph.graph.links import LinkInput, link_statements, upsert_links
from civgraph.graph.models import (
    AssetFields,
    AssetKind,
    CommunityKind,
    Cremation,
    Enrollment,
    EnrollmentStatus,
    HouseholdKind,
    MemberRelation,
    NodeFields,
    OrganizationKind,
    Post,
    PostRank,
    ProgramCode,
    RegionLevel,
    Residence,
)
from civgraph.graph.nodes import upsert_nodes
from civgraph.graph.provenance import Origin
from civgraph.ingest.demo_organizations import (
    FACILITIES,
    ORGANIZATIONS,
    PROJECTS,
    org,
    organization_links,
    people_at_work,
)
from civgraph.ingest.demo_people import (
    AS_OF,
    COMMUNITIES,
    COMMUNITY,
    ISSUED_IN,
    MEMBERS,
    REGIONS,
    SEED,
    SOURCE,
    Links,
    Population,
    Resident,
    draw_population,
    people_links,
    person_inputs,
    resident_id,
)
from civgraph.ingest.matching import GREY, JOIN, Identity, sound
from civgraph.ingest.matching_organizations import OrganizationIdentity
from civgraph.ingest.reference import PROGRAMS
from civgraph.ingest.resolve import End, Pending, resolve

__all__ = ["ISSUED_IN", "MEMBERS", "Dataset", "build_dataset", "load_demo", "resident_id"]

PC = ProgramCode
CASE_PREFIX = {  # of case numbers: the pinyin initials of the program's name
    PC.DIBAO_URBAN: "DB", PC.DIBAO_RURAL: "DB", PC.TEKUN: "TK", PC.TEMPORARY_ASSISTANCE: "LS",
    PC.MEDICAL_ASSISTANCE: "YL", PC.ORPHAN_SUPPORT: "GE", PC.OLD_AGE_ALLOWANCE: "GL",
    PC.CARE_SUBSIDY: "HL", PC.BURIAL_SUBSIDY: "BZ", PC.SOCIAL_WORK_SERVICE: "SG",
    PC.CHARITY_AID: "CS",
}  # fmt: skip
# Yuan a month (synthetic): dibao per household member, the others per person.
AMOUNT = {PC.DIBAO_URBAN: 850, PC.DIBAO_RURAL: 700, PC.TEKUN: 1100, PC.ORPHAN_SUPPORT: 1500,
          PC.CARE_SUBSIDY: 200, PC.BURIAL_SUBSIDY: 1000}  # fmt: skip
# Monthly benefits whose first enrollee to die is still paid: the planted oversight.
STILL_PAID = (PC.TEKUN, PC.OLD_AGE_ALLOWANCE)

FUNERAL_HOME = "F-340104-006"
NURSING_HOME = {"340111": "F-340111-003", "340104": "F-340104-002"}  # where rural tekun live
# Elderly-care homes and how many residents each has: F-340104-001 has beds for 6.
CARE_HOME_RESIDENTS = (("F-340111-001", 5), ("F-340111-002", 4), ("F-340104-001", 8))
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
ORGANIZATION_ASSETS = (
    ("builder", AssetKind.VEHICLE, "重型自卸货车"),
    ("builder", AssetKind.VEHICLE, "小型普通客车"),
    ("bh-social-work", AssetKind.VEHICLE, "助老服务车"),
    ("foundation", AssetKind.REAL_ESTATE, "办公用房"),
    ("trading", AssetKind.REAL_ESTATE, "商铺"),
)
CAR_OWNERS, HOME_OWNERS = 12, 15


class Enrollments:
    """Enrollments with case numbers. A person's end with their death, except the first
    death in each program of STILL_PAID: the planted oversight."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.links = rng, Links()
        self.unstopped: list[ProgramCode] = []

    def day(self, first: date, last: date = AS_OF) -> date:
        return first + timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def add(
        self,
        node: tuple[Label, str],
        county: str,
        program: ProgramCode,
        since: date,
        amount: float | None = None,
        until: date | None = None,
    ) -> None:
        status = EnrollmentStatus.ENDED if until and until <= AS_OF else EnrollmentStatus.ACTIVE
        case_no = f"{CASE_PREFIX[program]}{county}{since:%Y}{len(self.links) + 1:04d}"
        props = Enrollment(status=status, amount=amount, case_no=case_no, region_code=county)
        self.links.add(Rel.ENROLLED_IN, node, (Label.PROGRAM, program.value), props, since, until)

    def person(
        self, r: Resident, program: ProgramCode, since: date, amount: float | None = None
    ) -> None:
        until = r.died
        if r.died and program in STILL_PAID and program not in self.unstopped:
            self.unstopped.append(program)
            until = None
        self.add(r.node, r.county, program, min(since, r.died or since), amount, until)

    def drawn(
        self, r: Resident, program: ProgramCode, first: date, amount: float | None = None
    ) -> None:
        """Enrolled on a day drawn from `first` (or birth) to today (or death)."""
        self.person(r, program, self.day(max(first, r.born), r.died or AS_OF), amount)

    def one_off(self, r: Resident, program: ProgramCode, on: date, amount: float) -> None:
        self.add(r.node, r.county, program, on, amount, until=on)


def dibao(population: Population, enroll: Enrollments) -> None:
    """Dibao for ~15% of households (a quarter of them since ended), urban or rural by the
    household; members over 75 get the care subsidy, parents and some others medical aid."""
    kinds = {household.number: household.kind for household in population.households}
    for number in population.dibao + population.former_dibao:
        urban = kinds[number] is HouseholdKind.URBAN
        urban = urban and COMMUNITY[number[:12]].kind is CommunityKind.URBAN
        program = PC.DIBAO_URBAN if urban else PC.DIBAO_RURAL
        members = population.members(number)
        amount = round(len(members) * AMOUNT[program] * enroll.rng.uniform(0.4, 1.0), -1)
        ended = number in population.former_dibao
        since = enroll.day(date(2015, 1, 1), date(2020, 12, 31) if ended else AS_OF)
        until = since + timedelta(days=365 * enroll.rng.randint(1, 3)) if ended else None
        enroll.add((Label.HOUSEHOLD, number), number[:6], program, since, amount, until)
        for member in [] if ended else members:
            if member.died is None and member.age >= 75:
                enroll.drawn(member, PC.CARE_SUBSIDY, since, AMOUNT[PC.CARE_SUBSIDY])
            if member.relation is MemberRelation.PARENT or enroll.rng.random() < 0.3:
                enroll.drawn(member, PC.MEDICAL_ASSISTANCE, since)


def enrollments(population: Population, rng: random.Random) -> Links:
    """Dibao households, then the person-level programs: old-age allowance from 80, burial
    subsidy for the cremated, tekun, orphan support, temporary assistance, …"""
    enroll, p = Enrollments(rng), population
    dibao(population, enroll)
    for r in p.residents:
        if r.age >= 80:
            since = max(date(r.born.year + 80, r.born.month, 1), date(2014, 1, 1))
            enroll.person(r, PC.OLD_AGE_ALLOWANCE, since, 100 if r.age >= 90 else 50)
        if r.cremated:
            enroll.one_off(r, PC.BURIAL_SUBSIDY, r.cremated, AMOUNT[PC.BURIAL_SUBSIDY])
    for r in p.tekun:
        enroll.drawn(r, PC.TEKUN, date(2012, 1, 1), AMOUNT[PC.TEKUN])
        enroll.drawn(r, PC.MEDICAL_ASSISTANCE, date(2016, 1, 1))
        if r.age >= 75:
            enroll.drawn(r, PC.CARE_SUBSIDY, date(2018, 1, 1), AMOUNT[PC.CARE_SUBSIDY])
    grandchildren = [r for r in p.residents if r.relation is MemberRelation.GRANDCHILD]
    for r in rng.sample(grandchildren, 3):
        enroll.drawn(r, PC.ORPHAN_SUPPORT, date(2016, 1, 1), AMOUNT[PC.ORPHAN_SUPPORT])
    for r in rng.sample(p.living(18, 70), 8):
        amount = rng.randint(5, 50) * 100
        enroll.one_off(r, PC.TEMPORARY_ASSISTANCE, enroll.day(date(2019, 1, 1)), amount)
    for r in rng.sample(p.living(5, 14) + p.living(70, 120), 6):
        enroll.drawn(r, PC.SOCIAL_WORK_SERVICE, date(2022, 1, 1))
    for r in rng.sample([r for r in p.living(0, 120) if r.household in p.dibao], 4):
        amount = rng.randint(5, 30) * 100
        enroll.one_off(r, PC.CHARITY_AID, enroll.day(date(2021, 1, 1)), amount)
    return enroll.links


def care_and_cremation(population: Population, rng: random.Random) -> Links:
    """Rural tekun people in their county's nursing home, elderly people in care homes (one
    over capacity), and the cremations of the dead."""
    links = Links()
    rural_tekun = [r for r in population.tekun if r.died is None]
    rural_tekun = [r for r in rural_tekun if COMMUNITY[r.community].kind is CommunityKind.VILLAGE]
    homes = [(NURSING_HOME[r.county], r) for r in rural_tekun]
    elderly = [r for r in population.living(75, 120) if r not in population.tekun]
    elderly = rng.sample(population.generated(elderly), sum(n for _, n in CARE_HOME_RESIDENTS))
    for code, count in CARE_HOME_RESIDENTS:
        homes += [(code, elderly.pop()) for _ in range(count)]
    for bed, (code, r) in enumerate(homes, start=1):
        since = date(rng.randint(2018, 2024), rng.randint(1, 12), 1)
        residence = Residence(bed=f"{bed // 10 + 1}-{bed % 10 + 1:02d}")
        links.add(Rel.RESIDENT_OF, r.node, (Label.FACILITY, code), residence, since)
    for r in population.residents:
        if r.cremated:
            cremation = Cremation(cremated_on=r.cremated)
            links.add(Rel.CREMATED_AT, r.node, (Label.FACILITY, FUNERAL_HOME), cremation)
    return links


def assets(population: Population, rng: random.Random) -> tuple[list[AssetFields], Links]:
    """Cars (皖A plates) and homes (property certificates) of people, including a dibao
    member with a car and one with two homes, and the organizations' vehicles and premises."""
    found: dict[str, AssetFields] = {}
    links = Links()

    def own(owner: tuple[Label, str], kind: AssetKind, description: str, since: date) -> None:
        registration = registration_for(kind, rng)
        while registration in found:
            registration = registration_for(kind, rng)
        found[registration] = AssetFields(
            registration=registration, kind=kind, description=description
        )
        links.add(Rel.OWNS, owner, (Label.ASSET, registration), since=since)

    adults = population.outside_dibao(population.living(25, 70))
    _, _, car_owner, home_owner, *_ = population.dibao_adults()
    for r in [*rng.sample(adults, CAR_OWNERS), car_owner]:
        own(r.node, AssetKind.VEHICLE, "小型轿车", bought(rng, date(r.born.year + 22, 1, 1)))
    for r in [*rng.sample(adults, HOME_OWNERS), home_owner, home_owner]:
        own(r.node, AssetKind.REAL_ESTATE, "住宅", bought(rng, date(r.born.year + 22, 1, 1)))
    for handle, kind, description in ORGANIZATION_ASSETS:
        since = bought(rng, ORGANIZATIONS[handle].registered_on or date(2008, 1, 1))
        own(org(handle), kind, description, since)
    return list(found.values()), links


def bought(rng: random.Random, first: date) -> date:
    """A first of a month from 2008 (or the year of `first`) to 2024."""
    return date(rng.randint(max(first.year, 2008), 2024), rng.randint(1, 12), 1)


def registration_for(kind: AssetKind, rng: random.Random) -> str:
    if kind is AssetKind.VEHICLE:
        return f"皖A·{rng.choice(PLATE_LETTERS)}{rng.randint(0, 9999):04d}"
    return f"皖({rng.randint(2008, 2024)})合肥市不动产权第{rng.randint(1, 9_999_999):07d}号"


@dataclass(frozen=True, slots=True)
class Dataset:
    nodes: tuple[Sequence[NodeFields], ...]  # in load order, one label each
    links: dict[RelSpec, list[LinkInput]]  # in the catalog's order
    # records without an ID number or credit code, for entity resolution, with the
    # relationship each states
    unkeyed: tuple[tuple[RelSpec, Pending], ...]

    @property
    def people(self) -> int:
        return sum(len(batch) for batch in self.nodes if batch and batch[0].label is Label.PERSON)


def build_dataset() -> Dataset:
    """The whole dataset, the same on every call."""
    rng = random.Random(SEED)  # noqa: S311 - synthetic data, not secrets
    population = draw_population(rng)
    owned, ownership = assets(population, rng)
    links = [
        *people_links(population, rng),
        *organization_links(),
        *people_at_work(population, rng),
        *enrollments(population, rng),
        *care_and_cremation(population, rng),
        *ownership,
    ]
    by_spec: dict[RelSpec, list[LinkInput]] = {spec: [] for spec in RELATIONSHIPS}
    for spec, link in links:
        by_spec[spec].append(link)
    regions = tuple([r for r in REGIONS if r.level is level] for level in RegionLevel)
    nodes: tuple[Sequence[NodeFields], ...] = (
        *regions,
        COMMUNITIES,
        population.households,
        person_inputs(population),
        tuple(ORGANIZATIONS.values()),
        FACILITIES,
        PROGRAMS,
        PROJECTS,
        owned,
    )
    cremated = relationship(Rel.CREMATED_AT, Label.PERSON, Label.FACILITY)
    unkeyed = (
        (cremated, unkeyed_cremation(population)),
        (relationship(Rel.HOLDS_POST, Label.PERSON, Label.ORGANIZATION), unkeyed_post(population)),
    )
    return Dataset(nodes, by_spec, unkeyed)


def unkeyed_cremation(population: Population) -> Pending:
    """A funeral home's record without an ID number whose name is mistyped: entity
    resolution leaves it possibly the same as a living person, for an investigator."""
    person = min(population.generated(population.living(80, 120)), key=lambda r: r.id_number)
    typo = person.name[:-1] + next(c for c in "娟强" if sound(c) != sound(person.name[-1]))
    identity = Identity(
        typo, parse_resident_id(person.id_number).sex.value, person.born, person.community
    )
    cremation = Cremation(cremated_on=AS_OF - timedelta(days=40))
    origin = Origin("HZ-0001", match_key="record")
    link = LinkInput("", FUNERAL_HOME, cremation, origin=origin)
    return Pending(origin.record_key, [link], 0, identity)


def unkeyed_post(population: Population) -> Pending:
    """A roster's post naming 包河区商务局 by name only, with 蜀山区's code: the same name in
    the same city, not enough to decide; the bureau of its own is possibly the same."""
    person = min(population.generated(population.living(35, 55)), key=lambda r: r.id_number)
    post = Post(title="科员", rank=PostRank.SECTION, approval_filed=True)
    origin = Origin("RS-0001")
    link = LinkInput(person.id_number, "", post, since=AS_OF - timedelta(days=400), origin=origin)
    bureau = OrganizationIdentity("包河区商务局", "340104", OrganizationKind.GOVERNMENT_AGENCY)
    return Pending(origin.record_key, [link], 0, bureau, End.TARGET)


def quiet(step: str) -> None:
    """No progress report."""


async def load_demo(graph: Graph, progress: Callable[[str], None] = quiet) -> int:
    """Loads the demo dataset (idempotently): nodes (parents first), then relationships;
    returns the number of people. `progress` hears of each step as it is written."""
    dataset = build_dataset()
    for batch in dataset.nodes:
        await upsert_nodes(graph, batch, SOURCE)
        if batch:
            progress(f"{len(batch)} {batch[0].label.value} nodes")
    for spec, links in dataset.links.items():  # derived ones (PART_OF, …) have none
        await upsert_links(graph, spec, links, SOURCE)
        if links:
            progress(f"{len(links)} {spec.source.value}-{spec.rel.value}->{spec.target.value}")
    progress("entity resolution of records without an ID number or credit code")
    resolved = await resolve(graph, SOURCE, [pending for _, pending in dataset.unkeyed], JOIN, GREY)
    stated = [
        s for spec, pending in dataset.unkeyed for s in link_statements(spec, pending.links, SOURCE)
    ]
    await graph.write_all(
        resolved.before + stated + resolved.after, Outbox(Context(SOURCE, SYSTEM))
    )
    return dataset.people
