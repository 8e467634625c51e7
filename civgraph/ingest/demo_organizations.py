"""The demo's organizations, facilities and service projects, and the people who lead, staff,
serve, volunteer for or donate to them. The agencies are real kinds of bodies with synthetic
codes; every other name and every code is synthetic (see `civgraph.ingest.demo`)."""

from __future__ import annotations

import random
from datetime import date

from civgraph.graph.catalog import Label, Rel
from civgraph.graph.identifiers import make_uscc, validate_uscc
from civgraph.graph.models import (
    Donation,
    Employment,
    EvaluationGrade,
    FacilityFields,
    FacilityKind,
    Funding,
    Investment,
    OrganizationFields,
    OrganizationKind,
    OrganizationStatus,
    Ownership,
    Post,
    PostRank,
    Service,
    ServiceProjectFields,
    ServiceRole,
    Standard,
)
from civgraph.ingest.demo_people import COMMUNITIES, SEED, Links, Population, Resident

K, F = OrganizationKind, FacilityKind
GOV, CPC, PUB, SOC = K.GOVERNMENT_AGENCY, K.PARTY_ORGAN, K.PUBLIC_INSTITUTION, K.SOCIAL_GROUP
PNE, SWA, FDN, ENT = K.PRIVATE_NON_ENTERPRISE, K.SOCIAL_WORK_AGENCY, K.FOUNDATION, K.ENTERPRISE
# A USCC (GB 32100) opens with registration authority and kind: 1x 机构编制, 5x 民政, 9x 工商.
PREFIX = {GOV: "11", CPC: "11", PUB: "12", SOC: "51", PNE: "52", SWA: "52", FDN: "53", ENT: "91"}
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

# handle, name, kind, division code, registered on, evaluation grade
ORGANIZATION_ROWS = (
    ("hf-civil", "合肥市民政局", GOV, "340100", "1984-01-01", None),
    ("bh-civil", "包河区民政局", GOV, "340111", "2002-06-01", None),
    ("bh-commerce", "包河区商务局", GOV, "340111", "2002-06-01", None),
    ("ss-civil", "蜀山区民政局", GOV, "340104", "2002-06-01", None),
    ("ss-finance", "蜀山区财政局", GOV, "340104", "2002-06-01", None),
    ("bh-party", "中共包河区委社会工作部", CPC, "340111", "2024-03-01", None),
    ("bh-welfare", "包河区演示社会福利中心", PUB, "340111001002", "2004-05-01", None),
    ("bh-rescue", "包河区演示救助管理站", PUB, "340111001003", "2006-08-01", None),
    ("ss-funeral", "蜀山区演示殡葬服务所", PUB, "340104100202", "2003-01-01", None),
    ("ss-children", "蜀山区样例儿童福利院", PUB, "340104001002", "2010-06-01", None),
    ("bh-elderly-assoc", "包河区演示养老服务行业协会", SOC, "340111", "2015-04-01", "3A"),
    ("bh-catering", "包河区演示餐饮行业商会", SOC, "340111", "2009-05-01", None),
    ("bh-volunteers", "包河区演示志愿者协会", SOC, "340111001", "2012-03-05", "4A"),
    ("ss-sports", "蜀山区样例老年人体育协会", SOC, "340104", "2008-09-01", None),
    ("bh-care-home", "包河区演示颐养院", PNE, "340111001002", "2016-09-01", "3A"),
    ("ss-care-home", "蜀山区样例康养中心", PNE, "340104001002", "2019-03-01", None),
    ("ss-nursery", "蜀山区样例托育中心", PNE, "340104001001", "2020-07-01", None),
    ("bh-social-work", "包河区演示同心社会工作服务中心", SWA, "340111", "2014-10-01", "4A"),
    ("ss-social-work", "蜀山区样例益行社会工作服务社", SWA, "340104", "2017-04-01", "3A"),
    ("foundation", "合肥演示慈善基金会", FDN, "340111", "2011-11-01", "5A"),
    ("trading", "合肥演示商贸有限公司", ENT, "340111", "2013-08-01", None),
    ("builder", "安徽样例建设工程有限公司", ENT, "340104", "2006-02-01", None),
    ("property", "合肥演示物业管理有限公司", ENT, "340111", "2010-05-01", None),
    ("care-company", "合肥样例养老服务有限公司", ENT, "340104", "2018-01-01", None),
)
INDUSTRY_ASSOCIATIONS = ("bh-elderly-assoc", "bh-catering")  # 行业协会商会
CHARITIES = ("foundation",)
STATUS = {"ss-sports": OrganizationStatus.REVOKED, "ss-nursery": OrganizationStatus.DEREGISTERED}

# code, name, kind, community, beds, socially owned, registered as a legal person
FACILITY_ROWS = (
    ("F-340111-001", "包河区演示社会福利中心", F.ELDERLY_CARE_HOME, "340111001002", 150, 0, 1),
    ("F-340111-002", "包河区演示颐养院", F.ELDERLY_CARE_HOME, "340111001002", 60, 1, 1),
    ("F-340104-001", "样例康养小院", F.ELDERLY_CARE_HOME, "340104001002", 6, 1, 1),
    ("F-340111-003", "演示镇敬老院", F.RURAL_NURSING_HOME, "340111100202", 40, 0, 1),
    ("F-340104-002", "样例镇敬老院", F.RURAL_NURSING_HOME, "340104100201", 30, 0, 0),
    ("F-340111-004", "演示村幸福院", F.HAPPINESS_HOME, "340111100201", 8, 0, 0),
    ("F-340104-003", "样例西村幸福院", F.HAPPINESS_HOME, "340104100202", 0, 1, 0),
    ("F-340104-004", "蜀山区样例儿童福利院", F.CHILD_WELFARE_HOME, "340104001002", 80, 0, 1),
    ("F-340111-005", "演示社区服务中心", F.COMMUNITY_SERVICE_CENTER, "340111001001", 0, 0, 0),
    ("F-340104-005", "样例社区服务站", F.COMMUNITY_SERVICE_CENTER, "340104001001", 0, 0, 0),
    ("F-340111-006", "演示慈善超市", F.CHARITY_SUPERMARKET, "340111001003", 0, 1, 0),
    ("F-340111-007", "包河区演示救助管理站", F.RESCUE_STATION, "340111001003", 50, 0, 1),
    ("F-340104-006", "蜀山区演示殡仪馆", F.FUNERAL_HOME, "340104100202", 0, 0, 1),
    ("F-340111-008", "包河区婚姻登记处", F.MARRIAGE_REGISTRY, "340111001001", 0, 0, 0),
    ("F-340111-009", "包河区演示社会组织孵化基地", F.INCUBATION_BASE, "340111001003", 0, 0, 0),
    ("F-340111-010", "包河区家庭经济状况核对中心", F.VERIFICATION_CENTER, "340111001001", 0, 0, 1),
)
# when each went into service (启用日期)
OPENED = {
    "F-340111-001": "2004-05-01",
    "F-340111-002": "2016-09-01",
    "F-340104-001": "2023-05-01",
    "F-340111-003": "2009-01-01",
    "F-340104-002": "2011-03-01",
    "F-340111-004": "2025-04-01",
    "F-340104-003": "2026-03-01",
    "F-340104-004": "2010-06-01",
    "F-340111-005": "2019-07-01",
    "F-340104-005": "2026-02-01",
    "F-340111-006": "2018-01-01",
    "F-340111-007": "2006-08-01",
    "F-340104-006": "2003-01-01",
    "F-340111-008": "2002-06-01",
    "F-340111-009": "2021-05-01",
    "F-340111-010": "2025-09-01",
}
# county, program, monthly standard per person, in force from, until (低保标准)
STANDARDS = (
    ("340111", "DIBAO_URBAN", 830, "2025-01-01", "2025-12-31"),
    ("340111", "DIBAO_URBAN", 915, "2026-01-01", None),
    ("340111", "DIBAO_RURAL", 700, "2025-01-01", "2025-12-31"),
    ("340111", "DIBAO_RURAL", 790, "2026-01-01", None),
    ("340104", "DIBAO_URBAN", 830, "2025-01-01", "2025-12-31"),
    ("340104", "DIBAO_URBAN", 890, "2026-01-01", None),
    ("340104", "DIBAO_RURAL", 690, "2025-01-01", "2025-12-31"),
    ("340104", "DIBAO_RURAL", 760, "2026-01-01", None),
)
# code, name, year, yuan, division code
PROJECT_ROWS = (
    ("SP-340111-2023-01", "2023年演示街道困境儿童关爱服务项目", 2023, 180_000, "340111001"),
    ("SP-340111-2024-01", "2024年包河区居家养老上门服务项目", 2024, 600_000, "340111"),
    ("SP-340104-2024-01", "2024年蜀山区社区社会工作服务站项目", 2024, 400_000, "340104"),
    ("SP-340104-2025-01", "2025年样例镇农村留守老人关爱项目", 2025, 150_000, "340104100"),
)

# Between organizations and places, by handle: source, target, period (ISO 8601: start/end).
OPERATES = (
    ("bh-welfare", "F-340111-001", "2004-05-01"),
    ("bh-care-home", "F-340111-002", "2016-09-01"),
    ("ss-care-home", "F-340104-001", "2019-03-01"),
    ("bh-civil", "F-340111-003", "2006-01-01"),
    ("ss-civil", "F-340104-002", "2008-01-01"),
    ("care-company", "F-340104-003", "2023-01-01"),
    ("ss-children", "F-340104-004", "2010-06-01"),
    ("bh-civil", "F-340111-005", "2015-01-01/2020-12-31"),
    ("bh-social-work", "F-340111-005", "2021-01-01"),  # government-purchased service
    ("ss-social-work", "F-340104-005", "2022-01-01"),
    ("foundation", "F-340111-006", "2018-06-01"),
    ("bh-rescue", "F-340111-007", "2006-08-01"),
    ("ss-funeral", "F-340104-006", "2003-01-01"),
    ("bh-civil", "F-340111-008", "2002-06-01"),
    ("bh-social-work", "F-340111-009", "2019-05-01"),
)
SUPERVISED_BY = (
    ("bh-elderly-assoc", "bh-civil", "2015-04-01"),
    ("bh-catering", "bh-commerce", "2009-05-01/2019-12-31"),  # decoupled 脱钩
    ("bh-volunteers", "bh-civil", "2012-03-05"),
    ("ss-sports", "ss-civil", "2008-09-01"),
    ("bh-care-home", "bh-civil", "2016-09-01"),
    ("ss-care-home", "ss-civil", "2019-03-01"),
    ("ss-nursery", "ss-civil", "2020-07-01/2023-06-30"),
    ("bh-social-work", "bh-civil", "2014-10-01"),
    ("ss-social-work", "ss-civil", "2017-04-01"),
    ("foundation", "hf-civil", "2011-11-01"),
)
SERVICE_PROVIDERS = (
    ("bh-social-work", "340111001001", "2021-01-01"),
    ("bh-social-work", "340111001002", "2021-01-01"),
    ("bh-social-work", "340111100201", "2022-03-01"),
    ("bh-volunteers", "340111001003", "2019-01-01"),
    ("ss-social-work", "340104001001", "2022-01-01"),
    ("ss-social-work", "340104100201", "2023-01-01/2024-12-31"),
)
ORG_INVESTMENTS = (  # investor, company, share %, yuan, since
    ("property", "care-company", 40.0, 2_000_000, "2018-01-01"),
    ("builder", "property", 25.0, 1_250_000, "2012-07-01"),
)
ORG_DONATIONS = (  # donor, recipient, yuan, donated on
    ("builder", "foundation", 500_000, "2023-01-15"),
    ("property", "foundation", 100_000, "2024-06-01"),
    ("trading", "bh-volunteers", 20_000, "2022-03-05"),
    ("foundation", "bh-social-work", 80_000, "2024-03-01"),
    ("foundation", "ss-social-work", 50_000, "2023-09-01"),
)
FUNDS = (  # funder, project, yuan
    ("bh-civil", "SP-340111-2023-01", 180_000),
    ("bh-civil", "SP-340111-2024-01", 600_000),
    ("ss-finance", "SP-340104-2024-01", 400_000),
    ("ss-civil", "SP-340104-2025-01", 50_000),
    ("foundation", "SP-340104-2025-01", 100_000),
)
DELIVERS = (
    ("bh-social-work", "SP-340111-2023-01"),
    ("bh-care-home", "SP-340111-2024-01"),
    ("care-company", "SP-340111-2024-01"),
    ("ss-social-work", "SP-340104-2024-01"),
    ("ss-social-work", "SP-340104-2025-01"),
)
DELIVERED_IN = {
    "SP-340111-2023-01": ("340111001001", "340111001002", "340111001003"),
    "SP-340111-2024-01": ("340111001001", "340111100201"),
    "SP-340104-2024-01": ("340104001001", "340104001002"),
    "SP-340104-2025-01": ("340104100201", "340104100202"),
}

# Posts held by people drawn from the population; all but 董事 and 监事 are leading posts.
POSTS = (
    ("hf-civil", "局长"), ("bh-civil", "局长"), ("bh-civil", "副局长"), ("ss-civil", "局长"),
    ("ss-civil", "副局长"), ("bh-commerce", "局长"), ("ss-finance", "局长"), ("bh-party", "部长"),
    ("bh-welfare", "主任"), ("bh-rescue", "站长"), ("ss-funeral", "所长"), ("ss-children", "院长"),
    ("bh-elderly-assoc", "秘书长"), ("bh-catering", "会长"), ("bh-catering", "秘书长"),
    ("bh-volunteers", "会长"), ("bh-volunteers", "秘书长"), ("ss-sports", "会长"),
    ("bh-care-home", "理事长"), ("bh-care-home", "院长"), ("ss-care-home", "理事长"),
    ("ss-nursery", "理事长"), ("bh-social-work", "理事长"), ("bh-social-work", "主任"),
    ("ss-social-work", "理事长"), ("ss-social-work", "主任"), ("foundation", "理事长"),
    ("foundation", "秘书长"), ("foundation", "监事"), ("builder", "法定代表人"),
    ("builder", "董事"), ("builder", "监事"), ("property", "法定代表人"), ("property", "董事"),
    ("care-company", "法定代表人"), ("care-company", "董事"), ("care-company", "监事"),
    ("trading", "监事"),
)  # fmt: skip
DIVISION_POSTS = (("hf-civil", "局长"), ("bh-party", "部长"))  # 县处级; other cadres 乡科级
# The serving cadre who also leads an industry association their bureau supervises.
CONCURRENT = (("bh-civil", "副局长"), ("bh-elderly-assoc", "会长"), date(2021, 3, 1))
SHARES = {  # the post holders who own part of their company, and its registered capital
    ("builder", "法定代表人"): (60.0, 10_000_000),
    ("builder", "董事"): (15.0, 10_000_000),
    ("property", "法定代表人"): (75.0, 5_000_000),
    ("care-company", "法定代表人"): (60.0, 3_000_000),
    ("trading", "法定代表人"): (70.0, 1_000_000),
}
JOBS = (  # organization, position, how many, on the public payroll (财政供养)
    ("bh-civil", "科员", 3, True), ("ss-civil", "科员", 3, True),
    ("bh-welfare", "护理员", 3, True), ("ss-children", "保育员", 2, True),
    ("ss-funeral", "火化工", 2, True), ("bh-rescue", "工作人员", 2, True),
    ("bh-care-home", "护理员", 3, False), ("ss-care-home", "护理员", 2, False),
    ("builder", "工程师", 3, False), ("property", "物业管理员", 3, False),
    ("care-company", "护理员", 2, False), ("trading", "销售", 2, False),
)  # fmt: skip
SOCIAL_WORK_AGENCY = {"340111": "bh-social-work", "340104": "ss-social-work"}
VOLUNTEERING = {"340111": "bh-volunteers", "340104": "ss-social-work"}
DONATIONS = (("foundation", 6), ("bh-volunteers", 2))  # people giving to each
VOLUNTEERS = 10
POST_AGE = 35  # the youngest holder of a post


def uscc(handle: str, kind: OrganizationKind, division: str) -> str:
    """A valid code: authority and kind, county, nine characters drawn from the handle, and
    the check character."""
    draw = random.Random(f"{SEED}:{handle}")  # noqa: S311 - synthetic codes, not secrets
    return validate_uscc(
        make_uscc(PREFIX[kind], division[:6], "".join(draw.choices(USCC_ALPHABET, k=9)))
    )


ORGANIZATIONS = {
    handle: OrganizationFields(
        uscc=uscc(handle, kind, division),
        name=name,
        kind=kind,
        division_code=division,
        registered_on=date.fromisoformat(registered),
        grade=EvaluationGrade(f"GRADE_{grade}") if grade else None,
        industry_association=handle in INDUSTRY_ASSOCIATIONS,
        charity_certified=handle in CHARITIES,
        status=STATUS.get(handle, OrganizationStatus.ACTIVE),
    )
    for handle, name, kind, division, registered, grade in ORGANIZATION_ROWS
}
USCC = {handle: organization.uscc for handle, organization in ORGANIZATIONS.items()}
KIND = {handle: organization.kind for handle, organization in ORGANIZATIONS.items()}
FACILITIES = tuple(
    FacilityFields(
        code=code,
        name=name,
        kind=kind,
        division_code=community,
        beds=beds,
        ownership=Ownership.SOCIAL if social else Ownership.PUBLIC,
        legal_person_registered=bool(legal),
        opened_on=date.fromisoformat(OPENED[code]),
    )
    for code, name, kind, community, beds, social, legal in FACILITY_ROWS
)
PROJECTS = tuple(
    ServiceProjectFields(code=code, name=name, year=year, amount=amount, division_code=division)
    for code, name, year, amount, division in PROJECT_ROWS
)


def period(span: str) -> tuple[date, date | None]:
    """An ISO 8601 interval `start/end`, or just its start."""
    start, _, end = span.partition("/")
    return date.fromisoformat(start), date.fromisoformat(end) if end else None


def org(handle: str) -> tuple[Label, str]:
    return Label.ORGANIZATION, USCC[handle]


def organization_links() -> Links:
    """Operations, supervision, service, investments, donations and projects, as tabled."""
    links, day = Links(), date.fromisoformat
    for handle, code, span in OPERATES:
        links.add(Rel.OPERATES, org(handle), (Label.FACILITY, code), None, *period(span))
    for handle, agency, span in SUPERVISED_BY:
        links.add(Rel.SUPERVISED_BY, org(handle), org(agency), None, *period(span))
    for handle, community, span in SERVICE_PROVIDERS:
        role, place = Service(role=ServiceRole.SERVICE_PROVIDER), (Label.COMMUNITY, community)
        links.add(Rel.SERVES, org(handle), place, role, *period(span))
    for investor, company, share, amount, since in ORG_INVESTMENTS:
        stake = Investment(share_percent=share, amount=amount)
        links.add(Rel.INVESTED_IN, org(investor), org(company), stake, day(since))
    for donor, recipient, amount, on in ORG_DONATIONS:
        gift = Donation(amount=amount, donated_on=day(on))
        links.add(Rel.DONATED_TO, org(donor), org(recipient), gift)
    for funder, code, amount in FUNDS:
        project = (Label.SERVICE_PROJECT, code)
        links.add(Rel.FUNDS, org(funder), project, Funding(amount=amount))
    for handle, code in DELIVERS:
        links.add(Rel.DELIVERS, org(handle), (Label.SERVICE_PROJECT, code))
    for code, communities in DELIVERED_IN.items():
        for community in communities:
            links.add(Rel.DELIVERED_IN, (Label.SERVICE_PROJECT, code), (Label.COMMUNITY, community))
    for county, program, amount, since, until in STANDARDS:
        standard = Standard(amount=amount)
        links.add(Rel.SETS_STANDARD, (Label.REGION, county), (Label.PROGRAM, program), standard,
                  day(since), day(until) if until else None)  # fmt: skip
    return links


class Staffing:
    """Gives people posts, jobs and service: each person drawn takes one role, so that the
    planted overlaps (a cadre leading an association, dibao members in business or on the
    public payroll) are the only ones."""

    def __init__(self, population: Population, rng: random.Random) -> None:
        self.rng, self.population, self.links = rng, population, Links()
        pool = population.outside_dibao(population.living(25, 62))
        self.pool = [r for r in pool if r.id_number not in population.social_workers]
        rng.shuffle(self.pool)

    def draw(self, community: str | None = None, youngest: int = 0) -> Resident:
        """The next person of the pool (of `community` and at least `youngest`, if given)."""
        pool = [r for r in self.pool if community in (None, r.community) and r.age >= youngest]
        resident = pool[0]
        self.pool.remove(resident)
        return resident

    def since(self, handle: str) -> date:
        """A first day of a month from 2012 to 2024, once the organization was registered."""
        registered = ORGANIZATIONS[handle].registered_on or date.min
        drawn = date(self.rng.randint(max(2012, registered.year), 2024), self.rng.randint(1, 12), 1)
        return max(drawn, registered)

    def post(self, person: Resident, handle: str, title: str, since: date) -> None:
        """A post; cadres are also on their body's payroll, owners hold shares."""
        cadre = KIND[handle] in (GOV, CPC, PUB)
        rank = PostRank.DIVISION if (handle, title) in DIVISION_POSTS else PostRank.SECTION
        leading, rank = title not in ("董事", "监事"), rank if cadre else PostRank.NONE
        post = Post(title=title, rank=rank, leading=leading, approval_filed=cadre, paid=not cadre)
        self.links.add(Rel.HOLDS_POST, person.node, org(handle), post, since)
        if cadre:
            self.job(person, handle, title, since, public=True)
        if (handle, title) in SHARES:
            share, capital = SHARES[handle, title]
            stake = Investment(share_percent=share, amount=capital * share / 100)
            self.links.add(Rel.INVESTED_IN, person.node, org(handle), stake, since)

    def job(self, person: Resident, handle: str, title: str, since: date, *, public: bool) -> None:
        employment = Employment(position=title, public_payroll=public)
        self.links.add(Rel.EMPLOYED_BY, person.node, org(handle), employment, since)

    def serve(self, person: Resident, community: str, role: ServiceRole, since: date) -> None:
        place = (Label.COMMUNITY, community)
        self.links.add(Rel.SERVES, person.node, place, Service(role=role), since)


def people_at_work(population: Population, rng: random.Random) -> Links:
    """Posts (one cadre concurrently leading an association), jobs, community service,
    volunteering and donations."""
    staff = Staffing(population, rng)
    for handle, title in POSTS:
        holder = staff.draw(youngest=POST_AGE)
        staff.post(holder, handle, title, staff.since(handle))
        if (handle, title) == CONCURRENT[0]:  # leading; not filed for approval
            post = Post(title=CONCURRENT[1][1], leading=True, approval_filed=False, paid=True)
            staff.links.add(Rel.HOLDS_POST, holder.node, org(CONCURRENT[1][0]), post, CONCURRENT[2])
    owner, employee, *_ = population.dibao_adults()
    staff.post(owner, "trading", "法定代表人", date(2019, 4, 1))
    staff.job(employee, "bh-welfare", "护理员", date(2020, 9, 1), public=True)
    jobs(staff)
    for community in COMMUNITIES:  # two members of each committee, elected in 2021
        for _ in range(2):
            member = staff.draw(community.code)
            staff.serve(member, community.code, ServiceRole.COMMITTEE_MEMBER, date(2021, 12, 1))
    for index in range(VOLUNTEERS):
        volunteer = staff.draw()
        handle = VOLUNTEERING[volunteer.county]
        since = staff.since(handle)
        staff.links.add(Rel.VOLUNTEERS_FOR, volunteer.node, org(handle), since=since)
        if index % 2 == 0:
            place = (Label.COMMUNITY, volunteer.community)
            staff.links.add(Rel.VOLUNTEERS_FOR, volunteer.node, place, since=since)
    for handle, donors in DONATIONS:
        for _ in range(donors):
            gift = Donation(amount=rng.randint(1, 200) * 100, donated_on=staff.since(handle))
            staff.links.add(Rel.DONATED_TO, staff.draw().node, org(handle), gift)
    return staff.links


def jobs(staff: Staffing) -> None:
    """Staff of each body (case officers serving two communities of their county), and the
    social workers of the county's agency, each serving their own community."""
    for handle, position, count, public in JOBS:
        county = ORGANIZATIONS[handle].division_code[:6]
        for _ in range(count):
            worker, since = staff.draw(), staff.since(handle)
            staff.job(worker, handle, position, since, public=public)
            if position == "科员":
                communities = [c.code for c in COMMUNITIES if c.code.startswith(county)]
                for community in staff.rng.sample(communities, 2):
                    staff.serve(worker, community, ServiceRole.CASE_OFFICER, since)
    for worker in staff.population.residents:
        if worker.id_number in staff.population.social_workers:
            agency = SOCIAL_WORK_AGENCY[worker.county]
            since = staff.since(agency)
            staff.job(worker, agency, "社会工作者", since, public=False)
            staff.serve(worker, worker.community, ServiceRole.SOCIAL_WORKER, since)
