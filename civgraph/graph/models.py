"""Domain records as the graph stores them; shared by the API, mutations and ingest.

Each label has a `…Fields` model (its own properties, validated), an input model that
ingest and mutations write, and a stored model (fields plus the platform id and
provenance) that reads return. Field names are snake_case here and camelCase in Neo4j.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo
from pydantic.alias_generators import to_camel

from civgraph.graph.catalog import Label, Rel
from civgraph.graph.identifiers import Sex, parse_division_code, parse_resident_id, validate_uscc

# Records read back from the graph were validated on the way in: reads pass this context
# and skip the identifier checks (stdnum's are the costliest part of reading a person).
STORED_CONTEXT = {"stored": True}


def unless_stored(check: Callable[[str], str]) -> Callable[[str, ValidationInfo], str]:
    def validate(value: str, info: ValidationInfo) -> str:
        return value if info.context is STORED_CONTEXT else check(value)

    return validate


def division_code(lengths: tuple[int, ...], kind: str) -> Callable[[str], str]:
    """An entity's code: a division code of one of `lengths` (not the short forms a region
    asked for may take)."""
    return lambda value: parse_division_code(value, lengths, kind).value


RegionCode = Annotated[str, AfterValidator(unless_stored(division_code((6, 9), "region code")))]
CommunityCode = Annotated[
    str, AfterValidator(unless_stored(division_code((12,), "community code")))
]
DivisionCode = Annotated[
    str, AfterValidator(unless_stored(division_code((6, 9, 12), "division code")))
]
ResidentIdNumber = Annotated[
    str, AfterValidator(unless_stored(lambda value: parse_resident_id(value).number))
]
Uscc = Annotated[str, AfterValidator(unless_stored(validate_uscc))]


class Record(BaseModel):
    """Immutable; field names are snake_case in Python and camelCase in Neo4j."""

    model_config = ConfigDict(
        frozen=True, alias_generator=to_camel, populate_by_name=True, extra="ignore"
    )

    def properties(self) -> dict[str, object]:
        """The properties as Cypher's `SET n += $props` wants them (no nulls: absent)."""
        return self.model_dump(by_alias=True, mode="python", exclude_none=True)


class Stored(Record):
    """What every stored node has besides its own fields: platform id and provenance."""

    id: str
    source: str
    record_key: str
    first_seen: datetime
    last_seen: datetime
    version: int = 0  # bumped by every write that changes a field


# --- enums ---------------------------------------------------------------------------


class RegionLevel(StrEnum):
    PROVINCE = "PROVINCE"
    CITY = "CITY"
    COUNTY = "COUNTY"
    TOWNSHIP = "TOWNSHIP"


class CommunityKind(StrEnum):
    URBAN = "URBAN"  # residents' committee 居委会
    VILLAGE = "VILLAGE"  # villagers' committee 村委会


class HouseholdKind(StrEnum):
    URBAN = "URBAN"
    RURAL = "RURAL"


class MemberRelation(StrEnum):
    HEAD = "HEAD"
    SPOUSE = "SPOUSE"
    CHILD = "CHILD"
    PARENT = "PARENT"
    GRANDCHILD = "GRANDCHILD"
    SIBLING = "SIBLING"
    OTHER = "OTHER"


class SocialWorkerLevel(StrEnum):
    ASSISTANT = "ASSISTANT"  # 助理社会工作师
    INTERMEDIATE = "INTERMEDIATE"  # 社会工作师
    SENIOR = "SENIOR"  # 高级社会工作师


class OrganizationKind(StrEnum):
    SOCIAL_GROUP = "SOCIAL_GROUP"  # 社会团体
    PRIVATE_NON_ENTERPRISE = "PRIVATE_NON_ENTERPRISE"  # 民办非企业单位
    FOUNDATION = "FOUNDATION"  # 基金会
    SOCIAL_WORK_AGENCY = "SOCIAL_WORK_AGENCY"  # 社会工作服务机构
    GOVERNMENT_AGENCY = "GOVERNMENT_AGENCY"  # 政府部门
    PARTY_ORGAN = "PARTY_ORGAN"  # 党的机关
    PUBLIC_INSTITUTION = "PUBLIC_INSTITUTION"  # 事业单位
    ENTERPRISE = "ENTERPRISE"  # 企业


class OrganizationStatus(StrEnum):
    ACTIVE = "ACTIVE"
    REVOKED = "REVOKED"
    DEREGISTERED = "DEREGISTERED"


class EvaluationGrade(StrEnum):
    GRADE_1A = "GRADE_1A"
    GRADE_2A = "GRADE_2A"
    GRADE_3A = "GRADE_3A"
    GRADE_4A = "GRADE_4A"
    GRADE_5A = "GRADE_5A"


class FacilityKind(StrEnum):
    ELDERLY_CARE_HOME = "ELDERLY_CARE_HOME"  # 养老机构
    RURAL_NURSING_HOME = "RURAL_NURSING_HOME"  # 敬老院
    HAPPINESS_HOME = "HAPPINESS_HOME"  # 农村幸福院
    CHILD_WELFARE_HOME = "CHILD_WELFARE_HOME"  # 儿童福利机构
    COMMUNITY_SERVICE_CENTER = "COMMUNITY_SERVICE_CENTER"  # 社区服务中心/站
    CHARITY_SUPERMARKET = "CHARITY_SUPERMARKET"  # 慈善超市
    RESCUE_STATION = "RESCUE_STATION"  # 救助管理站
    FUNERAL_HOME = "FUNERAL_HOME"  # 殡仪馆
    MARRIAGE_REGISTRY = "MARRIAGE_REGISTRY"  # 婚姻登记处
    INCUBATION_BASE = "INCUBATION_BASE"  # 孵化基地
    VERIFICATION_CENTER = "VERIFICATION_CENTER"  # 居民家庭经济状况核对中心


class Ownership(StrEnum):
    PUBLIC = "PUBLIC"  # 公办
    SOCIAL = "SOCIAL"  # 社会办


class ProgramCode(StrEnum):
    DIBAO_URBAN = "DIBAO_URBAN"
    DIBAO_RURAL = "DIBAO_RURAL"
    TEKUN = "TEKUN"
    TEMPORARY_ASSISTANCE = "TEMPORARY_ASSISTANCE"
    MEDICAL_ASSISTANCE = "MEDICAL_ASSISTANCE"
    ORPHAN_SUPPORT = "ORPHAN_SUPPORT"
    OLD_AGE_ALLOWANCE = "OLD_AGE_ALLOWANCE"
    CARE_SUBSIDY = "CARE_SUBSIDY"
    BURIAL_SUBSIDY = "BURIAL_SUBSIDY"
    SOCIAL_WORK_SERVICE = "SOCIAL_WORK_SERVICE"
    CHARITY_AID = "CHARITY_AID"


class Beneficiary(StrEnum):
    HOUSEHOLD = "HOUSEHOLD"
    PERSON = "PERSON"


class EnrollmentStatus(StrEnum):
    ACTIVE = "ACTIVE"
    SUSPENDED = "SUSPENDED"
    ENDED = "ENDED"


class AssetKind(StrEnum):
    VEHICLE = "VEHICLE"
    REAL_ESTATE = "REAL_ESTATE"


class ServiceRole(StrEnum):
    SOCIAL_WORKER = "SOCIAL_WORKER"  # 社工
    CASE_OFFICER = "CASE_OFFICER"  # 经办人员
    COMMITTEE_MEMBER = "COMMITTEE_MEMBER"  # 村(居)委会成员
    SERVICE_PROVIDER = "SERVICE_PROVIDER"  # an organization serving the community


class PostRank(StrEnum):
    """Cadre rank of a government or party post (职级); NONE for other posts."""

    PROVINCIAL = "PROVINCIAL"  # 省部级
    BUREAU = "BUREAU"  # 厅局级
    DIVISION = "DIVISION"  # 县处级
    SECTION = "SECTION"  # 乡科级
    NONE = "NONE"


# --- nodes ---------------------------------------------------------------------------


class RegionFields(Record):
    label: ClassVar[Label] = Label.REGION
    code: RegionCode
    name: str
    level: RegionLevel
    parent_code: RegionCode | None = None


class CommunityFields(Record):
    label: ClassVar[Label] = Label.COMMUNITY
    code: CommunityCode
    name: str
    kind: CommunityKind
    township_code: RegionCode
    has_service_platform: bool = False  # 社区公共服务综合信息平台
    platform_since: date | None = None  # … in service since (平台建成日期)

    @property
    def division_code(self) -> str:
        return self.code

    def properties(self) -> dict[str, object]:
        return super().properties() | {"divisionCode": self.code}


class HouseholdFields(Record):
    label: ClassVar[Label] = Label.HOUSEHOLD
    number: str = Field(min_length=1)
    address: str
    community_code: CommunityCode
    kind: HouseholdKind = HouseholdKind.URBAN

    def properties(self) -> dict[str, object]:
        return super().properties() | {"divisionCode": self.community_code}


class PersonFields(Record):
    label: ClassVar[Label] = Label.PERSON
    id_number: ResidentIdNumber
    name: str = Field(min_length=1)
    phone: str | None = None
    address: str | None = None
    death_date: date | None = None
    # The community the person is registered in (their household's), for region filters.
    division_code: DivisionCode | None = None
    social_worker_level: SocialWorkerLevel | None = None

    def properties(self) -> dict[str, object]:
        """Birth date and sex are stored as the ID number encodes them."""
        decoded = parse_resident_id(self.id_number)
        return super().properties() | {"sex": decoded.sex.value, "birthDate": decoded.birth_date}


class OrganizationFields(Record):
    label: ClassVar[Label] = Label.ORGANIZATION
    uscc: Uscc
    name: str = Field(min_length=1)
    kind: OrganizationKind
    status: OrganizationStatus = OrganizationStatus.ACTIVE
    industry_association: bool = False  # 行业协会商会
    charity_certified: bool = False  # 慈善组织认定
    grade: EvaluationGrade | None = None
    registered_on: date | None = None
    address: str | None = None
    funding_account: str | None = None  # 经费账户: the bank account its money goes through
    division_code: DivisionCode


class FacilityFields(Record):
    label: ClassVar[Label] = Label.FACILITY
    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    kind: FacilityKind
    beds: int = Field(default=0, ge=0)
    ownership: Ownership = Ownership.PUBLIC
    legal_person_registered: bool = False
    address: str | None = None
    opened_on: date | None = None  # 启用日期: in service since
    division_code: DivisionCode


class ProgramFields(Record):
    label: ClassVar[Label] = Label.PROGRAM
    code: ProgramCode
    name: str
    beneficiary: Beneficiary


class ServiceProjectFields(Record):
    label: ClassVar[Label] = Label.SERVICE_PROJECT
    code: str = Field(min_length=1)
    name: str
    year: int = Field(ge=1949, le=2100)
    amount: float = Field(ge=0)
    division_code: DivisionCode


class AssetFields(Record):
    label: ClassVar[Label] = Label.ASSET
    registration: str = Field(min_length=1)  # plate number or property certificate number
    kind: AssetKind
    description: str | None = None


class Region(Stored, RegionFields):
    pass


class Community(Stored, CommunityFields):
    pass


class Household(Stored, HouseholdFields):
    pass


class Person(Stored, PersonFields):
    # None for a person known only from records without an ID number (entity resolution)
    id_number: str | None = None  # type: ignore[assignment]
    sex: Sex
    birth_date: date


class Organization(Stored, OrganizationFields):
    # None for an organization known only from records without a USCC (entity resolution)
    uscc: str | None = None  # type: ignore[assignment]


class Facility(Stored, FacilityFields):
    pass


class Program(Stored, ProgramFields):
    pass


class ServiceProject(Stored, ServiceProjectFields):
    pass


class Asset(Stored, AssetFields):
    pass


NodeFields = (
    RegionFields
    | CommunityFields
    | HouseholdFields
    | PersonFields
    | OrganizationFields
    | FacilityFields
    | ProgramFields
    | ServiceProjectFields
    | AssetFields
)
Node = (
    Region
    | Community
    | Household
    | Person
    | Organization
    | Facility
    | Program
    | ServiceProject
    | Asset
)


FIELDS: dict[Label, type[Record]] = {
    fields.label: fields
    for fields in (
        RegionFields,
        CommunityFields,
        HouseholdFields,
        PersonFields,
        OrganizationFields,
        FacilityFields,
        ProgramFields,
        ServiceProjectFields,
        AssetFields,
    )
}


def node_fields(label: Label, values: dict[str, object]) -> NodeFields:
    """The record of `label` these values (by Python name) make, validated as ingest does."""
    record: NodeFields = FIELDS[label].model_validate(values)  # type: ignore[assignment]
    return record


def stored(label: Label, properties: dict[str, object]) -> Stored:
    """A record as read from the graph (identifiers not checked again)."""
    return STORED[label].model_validate(properties, context=STORED_CONTEXT)


STORED: dict[Label, type[Stored]] = {
    Label.REGION: Region,
    Label.COMMUNITY: Community,
    Label.HOUSEHOLD: Household,
    Label.PERSON: Person,
    Label.ORGANIZATION: Organization,
    Label.FACILITY: Facility,
    Label.PROGRAM: Program,
    Label.SERVICE_PROJECT: ServiceProject,
    Label.ASSET: Asset,
}


# --- relationships -------------------------------------------------------------------


class LinkFields(Record):
    """Properties of a relationship; subclasses add their own."""


class Membership(LinkFields):
    relation: MemberRelation


class Enrollment(LinkFields):
    status: EnrollmentStatus = EnrollmentStatus.ACTIVE
    amount: float | None = Field(default=None, ge=0)  # yuan a month
    case_no: str | None = None
    region_code: RegionCode  # the county that enrolled (and pays)
    # 近亲属备案: the application of a relative of a case officer or committee member was
    # registered as such (低保 only; None where the roll does not say).
    relative_filed: bool | None = None
    # 政策范围内住院自付费用: the in-policy out-of-pocket cost a medical-assistance case covers
    # part of (yuan; `amount` is what assistance paid).
    eligible_cost: float | None = Field(default=None, ge=0)


class Post(LinkFields):
    title: str
    rank: PostRank = PostRank.NONE
    leading: bool = False  # 领导职务
    # Unknown (None) unless the source states it: a cadre roster has no such columns.
    approval_filed: bool | None = None  # 按干部管理权限审批/备案
    paid: bool | None = None  # receives pay or allowances from the organization


class Investment(LinkFields):
    share_percent: float | None = Field(default=None, ge=0, le=100)
    amount: float | None = Field(default=None, ge=0)


class Employment(LinkFields):
    position: str | None = None
    public_payroll: bool = False  # 财政供养


class Service(LinkFields):
    role: ServiceRole


class Donation(LinkFields):
    amount: float = Field(ge=0)
    donated_on: date


class Funding(LinkFields):
    amount: float = Field(ge=0)


class Cremation(LinkFields):
    cremated_on: date


class Residence(LinkFields):
    bed: str | None = None


class Standard(LinkFields):
    amount: float = Field(ge=0)  # yuan a month per person


# The properties of each relationship type (LinkFields itself: none besides the period).
PROPERTIES: dict[Rel, type[LinkFields]] = {
    Rel.MEMBER_OF: Membership,
    Rel.ENROLLED_IN: Enrollment,
    Rel.HOLDS_POST: Post,
    Rel.INVESTED_IN: Investment,
    Rel.EMPLOYED_BY: Employment,
    Rel.SERVES: Service,
    Rel.DONATED_TO: Donation,
    Rel.FUNDS: Funding,
    Rel.CREMATED_AT: Cremation,
    Rel.RESIDENT_OF: Residence,
    Rel.SETS_STANDARD: Standard,
}


def link_fields(rel: Rel) -> type[LinkFields]:
    return PROPERTIES.get(rel, LinkFields)


class Link(Record):
    """One relationship as a read returns it: its properties, period, provenance and the
    node at the other end (with its label)."""

    key: str
    props: dict[str, object]
    since: date | None = None
    until: date | None = None
    source: str
    record_key: str
    first_seen: datetime
    last_seen: datetime
    other_label: Label
    other: dict[str, object]
    position: str  # where it sorts: the other node's natural key (platform id if none)
