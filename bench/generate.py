"""A synthetic provincial graph for benchmarks, loaded only through the product's upserts.

安徽省 → 合肥市, 芜湖市 → six real districts → synthetic townships (9 digits) → communities
(12 digits) of about 300-600 households of 1-5 people each, program enrollments (低保 for
~8% of households, 医疗救助 for ~5% of people, 高龄津贴 for everyone over 80) and social
organizations with officers. Everything below the districts is made up, names included.
Every ID number is issued in 340121 长丰县, a county code python-stdnum accepts for every
birth year; (birth date, sequence) pairs never repeat. The same seed gives the same graph,
and upserts are idempotent, so a rerun adds nothing.
"""

from __future__ import annotations

import math
import random
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from civgraph.graph import models as m
from civgraph.graph.catalog import Label, Rel, RelSpec, relationship
from civgraph.graph.driver import Graph
from civgraph.graph.identifiers import make_resident_id, make_uscc
from civgraph.graph.links import LinkInput, upsert_links
from civgraph.graph.nodes import upsert_nodes
from civgraph.ingest.reference import PROGRAMS

SOURCE = "bench (synthetic)"
BATCH = 5000
ISSUED_IN = "340121"  # 长丰县: valid in python-stdnum for every birth year
REFERENCE = date(2026, 1, 1)  # "today" for ages and enrollment dates: fixed, so seeds repeat
OLDEST, YOUNGEST = date(1930, 1, 1), date(2020, 12, 31)
PEOPLE_PER_COMMUNITY = 1260  # ~450 households of 2.8 people
COMMUNITIES_PER_TOWNSHIP = 5

PROVINCE = m.RegionFields(code="340000", name="安徽省", level=m.RegionLevel.PROVINCE)
CITIES = (
    m.RegionFields(code="340100", name="合肥市", level=m.RegionLevel.CITY, parent_code="340000"),
    m.RegionFields(code="340200", name="芜湖市", level=m.RegionLevel.CITY, parent_code="340000"),
)
COUNTIES = tuple(
    m.RegionFields(code=code, name=name, level=m.RegionLevel.COUNTY, parent_code=code[:4] + "00")
    for code, name in (
        ("340102", "瑶海区"), ("340103", "庐阳区"), ("340104", "蜀山区"),
        ("340111", "包河区"), ("340202", "镜湖区"), ("340207", "鸠江区"),
    )
)  # fmt: skip

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘"
    "袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华兰霞平刚桂玉萍"
    "红建文辉力斌宇浩凯鹏飞云鑫波亮晨欣怡佳琪思雨嘉轩涵博"
)
PLACES = "东西南北新安和平兴华明光文庆福康宁泰丰裕长乐永春"
ORG_WORDS = ("阳光", "爱心", "邻里", "夕阳红", "青禾", "同心", "善行", "暖阳", "晨曦", "和美")
ORG_KINDS = (
    (m.OrganizationKind.SOCIAL_GROUP, "51", "志愿者协会"),
    (m.OrganizationKind.PRIVATE_NON_ENTERPRISE, "52", "养老服务中心"),
    (m.OrganizationKind.SOCIAL_WORK_AGENCY, "52", "社会工作服务社"),
    (m.OrganizationKind.FOUNDATION, "53", "慈善基金会"),
)
TITLES = (("理事长", True), ("秘书长", True), ("副理事长", False), ("监事", False))


def years(day: date, count: int) -> date:
    """`day` moved by whole years (29 February becomes the 28th)."""
    try:
        return day.replace(year=day.year + count)
    except ValueError:
        return day.replace(year=day.year + count, day=28)


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass(frozen=True, slots=True)
class Resident:
    """A generated person, with what enrollments and posts are drawn from."""

    id_number: str
    born: date
    county: str
    household: str


@dataclass(frozen=True, slots=True)
class Home:
    community: m.CommunityFields
    county: str
    quota: int  # people to place in it


@dataclass
class Plan:
    """Everything to write, in the order it is written."""

    regions: list[list[m.RegionFields]] = field(default_factory=list)  # one list per level
    programs: list[m.ProgramFields] = field(default_factory=list)
    communities: list[m.CommunityFields] = field(default_factory=list)
    households: list[m.HouseholdFields] = field(default_factory=list)
    people: list[m.PersonFields] = field(default_factory=list)
    members: list[LinkInput] = field(default_factory=list)
    household_benefits: list[LinkInput] = field(default_factory=list)
    person_benefits: list[LinkInput] = field(default_factory=list)
    organizations: list[m.OrganizationFields] = field(default_factory=list)
    posts: list[LinkInput] = field(default_factory=list)


class Generator:
    """Draws the whole plan from one `random.Random(seed)`."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311  (synthetic data, not secrets)
        self.plan = Plan()
        self.issued: dict[tuple[date, int], int] = {}  # (birth date, sex bit) → numbers issued
        self.residents: list[Resident] = []
        self.townships: list[m.RegionFields] = []
        self.on_dibao: set[str] = set()  # household numbers

    # --- identities ----------------------------------------------------------------------

    def resident_id(self, born: date, male: bool) -> str:
        """Odd sequence numbers for men, even for women; never the same (date, sequence)."""
        issued = self.issued.get((born, male), 0)
        self.issued[born, male] = issued + 1
        sequence = 2 * issued + (1 if male else 2)
        if sequence > 999:
            raise RuntimeError(f"more than 500 {'men' if male else 'women'} born on {born}")
        return make_resident_id(ISSUED_IN, born, sequence)

    def name(self, surname: str) -> str:
        given = self.rng.choice(GIVEN)
        return surname + given + (self.rng.choice(GIVEN) if self.rng.random() < 0.7 else "")

    def day_between(self, low: date, high: date) -> date:
        low, high = max(low, OLDEST), min(high, YOUNGEST)
        if low >= high:
            return low
        return low + timedelta(days=self.rng.randrange((high - low).days + 1))

    def place(self) -> str:
        return self.rng.choice(PLACES) + self.rng.choice(PLACES)

    # --- regions and communities ---------------------------------------------------------

    def layout(self, people: int) -> list[Home]:
        """Communities spread round-robin over the districts, each with a share of people."""
        count = max(2, round(people / PEOPLE_PER_COMMUNITY))
        weights = [self.rng.uniform(0.7, 1.3) for _ in range(count)]
        quotas = [math.floor(people * w / sum(weights)) for w in weights]
        quotas[-1] += people - sum(quotas)
        homes: list[Home] = []
        for index, county in enumerate(COUNTIES):
            mine = quotas[index :: len(COUNTIES)]
            if mine:
                homes += self.county_homes(county, mine)
        self.plan.regions = [[PROVINCE], list(CITIES), list(COUNTIES), self.townships]
        return homes

    def county_homes(self, county: m.RegionFields, quotas: list[int]) -> list[Home]:
        townships = math.ceil(len(quotas) / COMMUNITIES_PER_TOWNSHIP)
        homes = []
        for number in range(townships):
            town = number % 3 == 2  # every third township a town (镇) of villages
            code = f"{county.code}{(100 if town else 1) + number:03d}"
            name = self.place() + ("镇" if town else "街道")
            township = m.RegionFields(
                code=code, name=name, level=m.RegionLevel.TOWNSHIP, parent_code=county.code
            )
            self.townships.append(township)
            mine = quotas[number::townships]
            homes += [self.home(township, county.code, i, q, town) for i, q in enumerate(mine)]
        return homes

    def home(
        self, township: m.RegionFields, county: str, index: int, quota: int, village: bool
    ) -> Home:
        code = f"{township.code}{(201 if village else 1) + index:03d}"
        place = self.place()
        community = m.CommunityFields(
            code=code,
            name=place + ("村村委会" if village else "社区居委会"),
            kind=m.CommunityKind.VILLAGE if village else m.CommunityKind.URBAN,
            township_code=township.code,
            has_service_platform=self.rng.random() < 0.6,
        )
        self.plan.communities.append(community)
        return Home(community, county, quota)

    # --- households and people -----------------------------------------------------------

    def populate(self, home: Home) -> None:
        placed, serial = 0, 0
        while placed < home.quota:
            serial += 1
            size = min(self.rng.choices((1, 2, 3, 4, 5), (15, 30, 25, 20, 10))[0],
                       home.quota - placed)  # fmt: skip
            self.household(home, serial, size)
            placed += size

    def household(self, home: Home, serial: int, size: int) -> None:
        community = home.community
        village = community.kind is m.CommunityKind.VILLAGE
        number = f"{community.code}-{serial:04d}"
        place = community.name[:2]
        address = (
            f"{place}村{self.rng.randint(1, 12)}组{self.rng.randint(1, 60)}号"
            if village
            else f"{place}社区{self.rng.randint(1, 40)}栋{self.rng.randint(1, 30)}0"
            f"{self.rng.randint(1, 4)}室"
        )
        kind = m.HouseholdKind.RURAL if village else m.HouseholdKind.URBAN
        self.plan.households.append(
            m.HouseholdFields(number=number, address=address, community_code=community.code,
                              kind=kind)
        )  # fmt: skip
        registered = self.day_between(date(1990, 1, 1), date(2020, 12, 31))
        for name, born, male, relation in self.family(size):
            self.person(home, number, (name, born, male, relation), registered)

    def family(self, size: int) -> list[tuple[str, date, bool, m.MemberRelation]]:
        """(name, birth date, male, relation) for a head and the rest of a household."""
        rel = m.MemberRelation
        head_born = self.day_between(
            date(int(self.rng.triangular(1934, 2003, 1975)), 1, 1), date(2003, 12, 31)
        )
        surname, male = self.rng.choice(SURNAMES), self.rng.random() < 0.7
        members = [(self.name(surname), head_born, male, rel.HEAD)]
        for position in range(1, size):
            members.append(self.relative(position, surname, head_born, male))
        return members

    def relative(
        self, position: int, surname: str, head_born: date, head_male: bool
    ) -> tuple[str, date, bool, m.MemberRelation]:
        rel, rng = m.MemberRelation, self.rng
        if position == 1 and rng.random() < 0.85:
            born = self.day_between(years(head_born, -5), years(head_born, 5))
            return self.name(rng.choice(SURNAMES)), born, not head_male, rel.SPOUSE
        if head_born.year >= 1998:
            born = self.day_between(years(head_born, -6), years(head_born, 6))
            return self.name(surname), born, rng.random() < 0.5, rel.SIBLING
        if position >= 3 and head_born.year >= 1962:
            born = self.day_between(years(head_born, -38), years(head_born, -20))
            return self.name(surname), born, rng.random() < 0.5, rel.PARENT
        if position >= 3 and head_born.year < 1960:
            born = self.day_between(years(head_born, 45), years(head_born, 65))
            return self.name(surname), born, rng.random() < 0.5, rel.GRANDCHILD
        born = self.day_between(years(head_born, 20), years(head_born, 42))
        return self.name(surname), born, rng.random() < 0.5, rel.CHILD

    def person(
        self,
        home: Home,
        household: str,
        member: tuple[str, date, bool, m.MemberRelation],
        registered: date,
    ) -> None:
        name, born, male, relation = member
        id_number = self.resident_id(born, male)
        phone = f"1{self.rng.choice('3589')}{self.rng.randrange(10**9):09d}"
        self.plan.people.append(
            m.PersonFields(id_number=id_number, name=name,
                           phone=phone if self.rng.random() < 0.6 else None)
        )  # fmt: skip
        self.plan.members.append(
            LinkInput(id_number, household, m.Membership(relation=relation), max(born, registered))
        )
        self.residents.append(Resident(id_number, born, home.county, household))

    # --- programs, organizations ---------------------------------------------------------

    def programs(self) -> None:
        self.plan.programs = list(PROGRAMS)

    def enrollment(
        self, key: str, program: m.ProgramCode, county: str, since: date, amount: float
    ) -> LinkInput:
        until = None
        if self.rng.random() < 0.1:  # some ended
            until = self.day_between(years(since, 1), years(since, 4))
            until = until if until < REFERENCE else None
        status = m.EnrollmentStatus.ENDED if until else m.EnrollmentStatus.ACTIVE
        case = f"{program.value[:2]}{county}{len(self.plan.person_benefits):07d}"
        props = m.Enrollment(status=status, amount=amount, case_no=case, region_code=county)
        return LinkInput(key, program.value, props, since, until)

    def dibao(self, homes: dict[str, Home]) -> None:
        """~8% of households: 城市低保 in urban communities, 农村低保 in villages."""
        for household in self.plan.households:
            if self.rng.random() >= 0.08:
                continue
            home = homes[household.community_code]
            rural = household.kind is m.HouseholdKind.RURAL
            program = m.ProgramCode.DIBAO_RURAL if rural else m.ProgramCode.DIBAO_URBAN
            since = self.day_between(date(2015, 1, 1), date(2025, 12, 1))
            amount = float(self.rng.randrange(300, 900, 10))
            self.plan.household_benefits.append(
                self.enrollment(household.number, program, home.county, since, amount)
            )
            self.on_dibao.add(household.number)

    def person_benefits(self) -> None:
        """医疗救助 for ~5% (more often in 低保 households), 高龄津贴 for everyone over 80."""
        for resident in self.residents:
            chance = 0.25 if resident.household in self.on_dibao else 0.034
            if self.rng.random() < chance:
                since = self.day_between(date(2018, 1, 1), date(2025, 12, 1))
                amount = float(self.rng.randrange(100, 500, 10))
                self.add_benefit(resident, m.ProgramCode.MEDICAL_ASSISTANCE, since, amount)
            age = age_on(resident.born, REFERENCE)
            if age >= 80:
                since = max(years(resident.born, 80), date(2012, 1, 1))
                amount = 100.0 if age >= 90 else 50.0
                self.add_benefit(resident, m.ProgramCode.OLD_AGE_ALLOWANCE, since, amount)

    def add_benefit(
        self, resident: Resident, program: m.ProgramCode, since: date, amount: float
    ) -> None:
        self.plan.person_benefits.append(
            self.enrollment(resident.id_number, program, resident.county, since, amount)
        )

    def organizations(self, people: int) -> None:
        """One social organization per ~400 people, each with 1-4 officers from its district."""
        adults: dict[str, list[Resident]] = {}
        for resident in self.residents:
            if 25 <= age_on(resident.born, REFERENCE) <= 75:
                adults.setdefault(resident.county, []).append(resident)
        counties = sorted(adults)
        if not counties:
            return
        for serial in range(1, max(4, people // 400) + 1):
            county = counties[serial % len(counties)]
            uscc = self.organization(county, serial)
            for title, leading in self.rng.sample(TITLES, self.rng.randint(1, 4)):
                officer = self.rng.choice(adults[county])
                since = self.day_between(date(2010, 1, 1), date(2025, 6, 30))
                post = m.Post(title=title, leading=leading, approval_filed=leading)
                self.plan.posts.append(LinkInput(officer.id_number, uscc, post, since))

    def organization(self, county: str, serial: int) -> str:
        kind, prefix, suffix = self.rng.choice(ORG_KINDS)
        uscc = make_uscc(prefix, county, f"{serial:09d}")
        district = next(c.name for c in COUNTIES if c.code == county)
        self.plan.organizations.append(
            m.OrganizationFields(
                uscc=uscc,
                name=f"{district}{self.rng.choice(ORG_WORDS)}{self.place()}{suffix}",
                kind=kind,
                registered_on=self.day_between(date(2005, 1, 1), date(2024, 12, 31)),
                charity_certified=kind is m.OrganizationKind.FOUNDATION,
                grade=self.rng.choice([None, *m.EvaluationGrade]),
                division_code=county,
            )
        )
        return uscc


def plan_graph(people: int, seed: int) -> Plan:
    generator = Generator(seed)
    homes = generator.layout(people)
    for home in homes:
        generator.populate(home)
    generator.programs()
    generator.dibao({home.community.code: home for home in homes})
    generator.person_benefits()
    generator.organizations(people)
    return generator.plan


# --- writing -------------------------------------------------------------------------------

Write = Callable[[Sequence[Any]], Awaitable[None]]


async def in_batches(kind: str, rows: Sequence[Any], write: Write) -> int:
    """Writes `rows` BATCH at a time, printing progress to stderr; returns the row count."""
    started = time.perf_counter()
    for start in range(0, len(rows), BATCH):
        await write(rows[start : start + BATCH])
        done, elapsed = min(start + BATCH, len(rows)), time.perf_counter() - started
        print(
            f"  {kind:<28} {done:>9,}/{len(rows):,}  {done / elapsed:>8,.0f} rows/s",
            file=sys.stderr,
            flush=True,
        )
    return len(rows)


def node_writer(graph: Graph) -> Write:
    async def write(rows: Sequence[Any]) -> None:
        await upsert_nodes(graph, rows, SOURCE)

    return write


def link_writer(graph: Graph, spec: RelSpec) -> Write:
    async def write(rows: Sequence[Any]) -> None:
        await upsert_links(graph, spec, rows, SOURCE)

    return write


def steps(graph: Graph, plan: Plan) -> list[tuple[str, Sequence[Any], Write]]:
    """(what, rows, how to write them) in dependency order: parents before children,
    nodes before the relationships between them."""
    nodes, L = node_writer(graph), Label
    region_steps = [(f"Region ({level[0].level.value})", level, nodes) for level in plan.regions]
    return [
        *region_steps,
        ("Program", plan.programs, nodes),
        ("Community", plan.communities, nodes),
        ("Household", plan.households, nodes),
        ("Person", plan.people, nodes),
        ("MEMBER_OF", plan.members, link_writer(graph, relationship(Rel.MEMBER_OF, L.PERSON,
                                                                     L.HOUSEHOLD))),
        ("ENROLLED_IN (Household)", plan.household_benefits,
         link_writer(graph, relationship(Rel.ENROLLED_IN, L.HOUSEHOLD, L.PROGRAM))),
        ("ENROLLED_IN (Person)", plan.person_benefits,
         link_writer(graph, relationship(Rel.ENROLLED_IN, L.PERSON, L.PROGRAM))),
        ("Organization", plan.organizations, nodes),
        ("HOLDS_POST", plan.posts,
         link_writer(graph, relationship(Rel.HOLDS_POST, L.PERSON, L.ORGANIZATION))),
    ]  # fmt: skip


PERSON_COUNT = "MATCH (n:Person) RETURN count(n) AS people"


async def person_count(graph: Graph) -> int:
    rows = await graph.read(PERSON_COUNT)
    return int(rows[0]["people"])


async def generate(graph: Graph, people: int, seed: int) -> dict[str, int]:
    """Loads a synthetic graph of about `people` persons; returns the rows written per step
    (empty when the database already holds at least `people` persons)."""
    existing = await person_count(graph)
    if existing >= people:
        print(f"generation skipped: {existing:,} Person nodes already loaded", file=sys.stderr)
        return {}
    started = time.perf_counter()
    plan = plan_graph(people, seed)
    print(
        f"planned {len(plan.people):,} people in {len(plan.households):,} households and "
        f"{len(plan.communities):,} communities in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    written: dict[str, int] = {}
    for kind, rows, write in steps(graph, plan):
        written[kind] = written.get(kind, 0) + await in_batches(kind, rows, write)
    return written
