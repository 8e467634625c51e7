"""The demo's places and people: two real Hefei districts with synthetic townships,
communities, households and residents drawn from one seeded generator (see `demo`)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from civgraph.graph.catalog import Label, Rel, RelSpec, relationship
from civgraph.graph.identifiers import age_on, make_resident_id
from civgraph.graph.links import LinkInput
from civgraph.graph.models import CommunityFields as CommunityInput
from civgraph.graph.models import (
    CommunityKind,
    HouseholdKind,
    LinkFields,
    MemberRelation,
    Membership,
    RegionLevel,
    SocialWorkerLevel,
)
from civgraph.graph.models import HouseholdFields as HouseholdInput
from civgraph.graph.models import PersonFields as PersonInput
from civgraph.graph.models import RegionFields as RegionInput

SOURCE = "demo (synthetic)"
SEED = 20261129
AS_OF = date(2026, 11, 1)  # the day the synthetic registers describe
# 长丰县: a county code valid for every birth year since 1949. stdnum rejects an ID number whose
# county code did not exist in the birth year (包河区's 340111 only dates from 2002).
ISSUED_IN = "340121"


class Links(list[tuple[RelSpec, LinkInput]]):
    """Relationships to write, each under the catalog's spec for its type and endpoints."""

    def add(
        self,
        rel: Rel,
        source: tuple[Label, str],
        target: tuple[Label, str],
        props: LinkFields | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> None:
        spec = relationship(rel, source[0], target[0])
        self.append((spec, LinkInput(source[1], target[1], props, since, until)))


resident_id = make_resident_id  # kept under the name the demo's modules use


Lv = RegionLevel
REGIONS = (
    RegionInput(code="340000", name="安徽省", level=Lv.PROVINCE),
    RegionInput(code="340100", name="合肥市", level=Lv.CITY, parent_code="340000"),
    RegionInput(code="340111", name="包河区", level=Lv.COUNTY, parent_code="340100"),
    RegionInput(code="340104", name="蜀山区", level=Lv.COUNTY, parent_code="340100"),
    RegionInput(code="340111001", name="演示街道", level=Lv.TOWNSHIP, parent_code="340111"),
    RegionInput(code="340111100", name="演示镇", level=Lv.TOWNSHIP, parent_code="340111"),
    RegionInput(code="340104001", name="样例街道", level=Lv.TOWNSHIP, parent_code="340104"),
    RegionInput(code="340104100", name="样例镇", level=Lv.TOWNSHIP, parent_code="340104"),
)
U, V = CommunityKind.URBAN, CommunityKind.VILLAGE


def community(
    code: str, name: str, kind: CommunityKind, platform: str | None = None
) -> CommunityInput:
    """A community; `platform`: the day its information platform went into service."""
    return CommunityInput(
        code=code, name=name, kind=kind, township_code=code[:9],
        has_service_platform=platform is not None,
        platform_since=date.fromisoformat(platform) if platform else None,
    )  # fmt: skip


COMMUNITIES = (
    community("340111001001", "演示社区居委会", U),
    community("340111001002", "演示花园社区居委会", U, platform="2024-06-01"),
    community("340111001003", "演示湖滨社区居委会", U, platform="2026-03-01"),
    community("340111100001", "演示镇社区居委会", U),
    community("340111100201", "演示村村委会", V),
    community("340111100202", "演示东村村委会", V),
    community("340104001001", "样例社区居委会", U, platform="2025-10-01"),
    community("340104001002", "样例新苑社区居委会", U),
    community("340104100201", "样例村村委会", V),
    community("340104100202", "样例西村村委会", V, platform="2023-04-01"),
)
COMMUNITY = {community.code: community for community in COMMUNITIES}


def household(number: str, address: str, kind: HouseholdKind) -> HouseholdInput:
    """A household registered in the community its number starts with."""
    return HouseholdInput(number=number, address=address, community_code=number[:12], kind=kind)


# The README's households and people, exactly as the first demo had them.
HOUSEHOLDS = (
    household("340111001001-0001", "演示社区1栋101室", HouseholdKind.URBAN),
    household("340111001001-0002", "演示社区2栋202室", HouseholdKind.URBAN),
    household("340111100201-0001", "演示村一组8号", HouseholdKind.RURAL),
)
H, S, C, P = MemberRelation.HEAD, MemberRelation.SPOUSE, MemberRelation.CHILD, MemberRelation.PARENT
# (name, birth date, sequence, household, relation, member since)
MEMBERS = (
    ("张三", date(1968, 3, 14), 11, "340111001001-0001", H, date(1995, 6, 1)),
    ("李四", date(1970, 9, 2), 22, "340111001001-0001", S, date(1995, 6, 1)),
    ("张小五", date(1998, 1, 20), 31, "340111001001-0001", C, date(1998, 1, 20)),
    ("王五", date(1941, 12, 5), 42, "340111001001-0002", H, date(1980, 4, 1)),
    ("赵六", date(1955, 7, 30), 51, "340111100201-0001", H, date(1976, 1, 1)),
    ("孙七", date(1957, 2, 11), 62, "340111100201-0001", S, date(1978, 10, 1)),
    ("赵八", date(1936, 5, 9), 71, "340111100201-0001", P, date(1976, 1, 1)),
)
FIXED_HOUSEHOLDS = frozenset(household.number for household in HOUSEHOLDS)
FIXED_MARRIAGES = (("张三", "李四", date(1995, 6, 1)), ("赵六", "孙七", date(1978, 10, 1)))
FIXED_TEKUN = "王五"  # lives alone, over 80
FIXED_DIBAO = "340111100201-0001"  # a rural household with a member over 80

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓"
    "曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈姚卢姜崔钟汪范金石方"
)
GIVEN = {
    True: "伟强磊军洋勇杰涛明超刚平辉鹏飞鑫波斌宇浩凯健俊帆旭宁龙林阳建国志峰",
    False: "芳娜敏静丽艳娟霞秀玲桂英红梅兰琴云莉萍婷雪琳慧颖倩洁燕丹",
}
# Who lives in each generated household; every community gets the same mix.
HOUSEHOLD_MIX = (
    "couple", "three_generations", "elderly_couple", "single_elderly", "couple", "single_adult",
    "three_generations", "elderly_couple", "couple", "grandparent_and_grandchild", "couple",
    "three_generations",
)  # fmt: skip
FIRST_SERIAL = 101  # generated household numbers: <community>-0101, -0102, …
BIRTH_YEARS = (1930, 2020)
DEATHS = (1950, 0.25)  # a quarter of those born up to 1950 have died (since 2016)
DIBAO_SHARE = 0.15
SOCIAL_WORKERS = 10
SW = SocialWorkerLevel
SOCIAL_WORKER_LEVELS = (SW.ASSISTANT, SW.INTERMEDIATE, SW.ASSISTANT, SW.SENIOR)


@dataclass(frozen=True, slots=True)
class Resident:
    name: str
    born: date
    sequence: int
    household: str
    relation: MemberRelation
    since: date  # member of the household since
    died: date | None = None
    cremated: date | None = None

    @property
    def id_number(self) -> str:
        return resident_id(ISSUED_IN, self.born, self.sequence)

    @property
    def node(self) -> tuple[Label, str]:
        return Label.PERSON, self.id_number

    @property
    def community(self) -> str:
        return self.household[:12]

    @property
    def county(self) -> str:
        return self.household[:6]

    @property
    def age(self) -> int:
        """Completed years on AS_OF, or at death."""
        return age_on(self.born, self.died or AS_OF)


@dataclass
class Population:
    households: list[HouseholdInput] = field(default_factory=lambda: list(HOUSEHOLDS))
    residents: list[Resident] = field(default_factory=list)
    marriages: list[tuple[Resident, Resident, date]] = field(default_factory=list)
    social_workers: dict[str, SocialWorkerLevel] = field(default_factory=dict)  # by ID number
    tekun: list[Resident] = field(default_factory=list)
    dibao: list[str] = field(default_factory=list)  # household numbers, enrolled now
    former_dibao: list[str] = field(default_factory=list)  # enrolled once

    def named(self, name: str) -> Resident:
        return next(r for r in self.residents if r.name == name)

    def members(self, household: str) -> list[Resident]:
        return [r for r in self.residents if r.household == household]

    def living(self, youngest: int, oldest: int) -> list[Resident]:
        return [r for r in self.residents if r.died is None and youngest <= r.age <= oldest]

    def generated(self, residents: list[Resident]) -> list[Resident]:
        """Those not in the README's households (whose story stays as it is)."""
        return [r for r in residents if r.household not in FIXED_HOUSEHOLDS]

    def dibao_adults(self) -> list[Resident]:
        """Living members of dibao households aged 25 to 60, in the order the planted roles
        take them: a company's legal representative, an employee on the public payroll, a
        car owner, the owner of two homes."""
        return [r for r in self.living(25, 60) if r.household in self.dibao]

    def outside_dibao(self, residents: list[Resident]) -> list[Resident]:
        """Those in no household that is or was on dibao."""
        dibao = {*self.dibao, *self.former_dibao}
        return [r for r in residents if r.household not in dibao]

    def alone(self, resident: Resident) -> bool:
        return len(self.members(resident.household)) == 1


class Census:
    """Draws households and their members from one seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.population = Population()
        self.used: dict[date, set[int]] = {}  # sequence numbers taken, per birth date
        for name, born, sequence, household, relation, since in MEMBERS:
            self.used.setdefault(born, set()).add(sequence)
            resident = Resident(name, born, sequence, household, relation, since)
            self.population.residents.append(resident)
        for husband, wife, since in FIXED_MARRIAGES:
            named = self.population.named
            self.population.marriages.append((named(husband), named(wife), since))

    def day(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    def birth(self, youngest: int, oldest: int) -> date:
        year = AS_OF.year - self.rng.randint(youngest, oldest)
        year = min(max(year, BIRTH_YEARS[0]), BIRTH_YEARS[1])
        return date(year, self.rng.randint(1, 12), self.rng.randint(1, 28))

    def resident(
        self,
        household: str,
        relation: MemberRelation,
        born: date,
        surname: str,
        male: bool | None = None,
        since: date | None = None,
    ) -> Resident:
        """A new member: sex drawn unless given, a member since birth unless `since`."""
        male = self.rng.random() < 0.5 if male is None else male
        used = self.used.setdefault(born, set())
        sequence = self.rng.choice([s for s in range(1 if male else 2, 1000, 2) if s not in used])
        used.add(sequence)
        name = surname + "".join(self.rng.choices(GIVEN[male], k=self.rng.choice((1, 2, 2))))
        died = cremated = None
        if born.year <= DEATHS[0] and self.rng.random() < DEATHS[1]:
            died = self.day(date(2016, 1, 1), AS_OF - timedelta(days=30))
            if self.rng.random() < 0.85:
                cremated = died + timedelta(days=self.rng.randint(2, 4))
        since = since or born
        resident = Resident(name, born, sequence, household, relation, since, died, cremated)
        self.population.residents.append(resident)
        return resident

    def address(self, community: CommunityInput) -> str:
        stem, rng = community.name.removesuffix("居委会").removesuffix("村委会"), self.rng
        if community.kind is CommunityKind.VILLAGE:
            return f"{stem}{'一二三四五六'[rng.randint(0, 5)]}组{rng.randint(1, 60)}号"
        return f"{stem}{rng.randint(1, 30)}栋{rng.randint(1, 18)}0{rng.randint(1, 4)}室"

    def add_household(self, community: CommunityInput, serial: int, makeup: str) -> None:
        number, rng, surname = f"{community.code}-{serial:04d}", self.rng, self.rng.choice(SURNAMES)
        rural = community.kind is CommunityKind.VILLAGE
        kind = HouseholdKind.RURAL if rural else HouseholdKind.URBAN
        address = self.address(community)
        self.population.households.append(household(number, address, kind))
        if makeup in ("single_elderly", "single_adult"):
            born = self.birth(66, 96) if makeup == "single_elderly" else self.birth(24, 45)
            self.resident(number, H, born, surname, since=date(born.year + 22, 3, 1))
        elif makeup == "grandparent_and_grandchild":
            born = self.birth(62, 80)
            self.resident(number, H, born, surname, male=True, since=date(born.year + 25, 1, 1))
            self.resident(number, MemberRelation.GRANDCHILD, self.birth(5, 15), surname)
        else:
            self.family(number, surname, elderly=makeup == "elderly_couple")
            if makeup == "three_generations":
                head = self.population.members(number)[0]
                born = date(max(BIRTH_YEARS[0], head.born.year - rng.randint(22, 32)), 6, 15)
                self.resident(number, P, born, surname, male=rng.random() < 0.3, since=head.since)

    def family(self, number: str, surname: str, *, elderly: bool) -> None:
        """A married couple, and unless `elderly` one or two children born after the wedding."""
        rng = self.rng
        born = self.birth(62, 90) if elderly else self.birth(32, 55)
        married = date(born.year + rng.randint(22, 26), rng.randint(1, 12), rng.randint(1, 28))
        head = self.resident(number, H, born, surname, male=True, since=married)
        wife_born = date(born.year + rng.randint(0, 4), rng.randint(1, 12), rng.randint(1, 28))
        wife = self.resident(number, S, wife_born, rng.choice(SURNAMES), male=False, since=married)
        self.population.marriages.append((head, wife, married))
        for _ in range(0 if elderly else rng.randint(1, 2)):
            year = rng.randint(married.year + 1, min(BIRTH_YEARS[1], married.year + 14))
            self.resident(number, C, date(year, rng.randint(1, 12), rng.randint(1, 28)), surname)

    def designate(self) -> None:
        """Social workers, extreme-poverty (tekun) people, dibao households, and a couple
        registered in two different households."""
        rng, population = self.rng, self.population
        workers = rng.sample(population.generated(population.living(24, 50)), SOCIAL_WORKERS)
        for index, worker in enumerate(workers):
            level = SOCIAL_WORKER_LEVELS[index % len(SOCIAL_WORKER_LEVELS)]
            population.social_workers[worker.id_number] = level
        alone = [r for r in population.generated(population.residents) if population.alone(r)]
        elderly = [r for r in alone if r.age >= 60]
        rural = [r for r in elderly if COMMUNITY[r.community].kind is CommunityKind.VILLAGE]
        others = rng.sample([r for r in elderly if r not in rural], 2)
        population.tekun = [population.named(FIXED_TEKUN), *rural, *others]
        excluded = {r.household for r in population.tekun}
        eligible = [h.number for h in population.households[len(HOUSEHOLDS) :]]
        eligible = [number for number in eligible if number not in excluded]
        share = round(DIBAO_SHARE * len(population.households)) - 1
        chosen = [FIXED_DIBAO, *rng.sample(eligible, share)]
        population.former_dibao = chosen[3::4]
        population.dibao = [number for number in chosen if number not in population.former_dibao]
        singles = [r for r in alone if r.died is None and r.age < 60]
        husband = next(r for r in singles if r.sequence % 2)
        wife = next(r for r in singles if not r.sequence % 2)
        population.marriages.append((husband, wife, date(2023, 5, 20)))


def draw_population(rng: random.Random) -> Population:
    census = Census(rng)
    for community in COMMUNITIES:
        for serial, makeup in enumerate(HOUSEHOLD_MIX, start=FIRST_SERIAL):
            census.add_household(community, serial, makeup)
    census.designate()
    return census.population


def person_inputs(population: Population) -> list[PersonInput]:
    address = {household.number: household.address for household in population.households}
    return [
        PersonInput(
            id_number=r.id_number,
            name=r.name,
            address=address[r.household],
            death_date=r.died,
            social_worker_level=population.social_workers.get(r.id_number),
        )
        for r in population.residents
    ]


def people_links(population: Population, rng: random.Random) -> Links:
    """Household memberships, marriages (ended by a death), and where the living reside:
    mostly where they are registered, some (人户分离) elsewhere."""
    links = Links()
    for r in population.residents:
        household = (Label.HOUSEHOLD, r.household)
        links.add(Rel.MEMBER_OF, r.node, household, Membership(relation=r.relation), r.since)
    for husband, wife, since in population.marriages:
        deaths = [day for day in (husband.died, wife.died) if day]
        until = min(deaths) if deaths else None
        links.add(Rel.MARRIED_TO, husband.node, wife.node, since=since, until=until)
    for r in population.living(0, 200):
        community, since = r.community, r.since
        if rng.random() < 0.08:
            community = rng.choice([c.code for c in COMMUNITIES if c.code != community])
            since = max(r.born, date(rng.randint(2016, 2024), rng.randint(1, 12), 1))
        links.add(Rel.RESIDES_IN, r.node, (Label.COMMUNITY, community), since=since)
    return links
