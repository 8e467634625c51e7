"""Node types of the entity graph, each with its relationships as fields in both directions.

Relationship fields with a period take `asOf: Date` (only relationships in effect that day);
those that can be large take `first`/`after` and return a page. What each reads is declared
once, in civgraph/resolvers/relations.py (by type and field name): here are their arguments
and the edge type each item is made into.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Self

import strawberry
from strawberry import relay

from civgraph.graph import models
from civgraph.graph.catalog import Label
from civgraph.graph.identifiers import age_on
from civgraph.resolvers.relations import ENROLLMENTS
from civgraph.schema import edges
from civgraph.schema.context import Info
from civgraph.schema.enums import (
    AssetKind,
    BeneficiaryKind,
    CommunityKind,
    EvaluationGrade,
    FacilityKind,
    HouseholdKind,
    OrganizationKind,
    OrganizationStatus,
    Ownership,
    ProgramCode,
    RegionLevel,
    ServiceRole,
    Sex,
    SocialWorkerLevel,
)
from civgraph.schema.masking import personal
from civgraph.schema.reading import (
    NODE_TYPES,
    LinkPage,
    one_by_key,
    page_size,
    related,
    related_one,
    related_page,
)
from civgraph.schema.scalars import Provenance, SourceRecord

if TYPE_CHECKING:
    from civgraph.schema.plan import CommunityLinkage

AS_OF = "Only relationships in effect on this day."
L = Label


def fields_of(record: models.Stored, *names: str) -> dict[str, Any]:
    return {name: getattr(record, name) for name in names} | {
        "id": record.id,
        "version": record.version,
        "provenance": Provenance.of(record),
    }


@strawberry.interface(
    description="What every entity of the graph has: a global id, the record that last wrote "
    "it and every source record it came from."
)
class Entity(relay.Node):
    label: ClassVar[Label]
    id: relay.NodeID[str]
    version: int = strawberry.field(
        description="Goes up with every write that changes a field; mutations that change "
        "the entity take the version the caller read (optimistic concurrency)."
    )
    provenance: Provenance

    @classmethod
    async def resolve_nodes(  # type: ignore[override]  # None for a missing id, required or not
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        found = await info.context.loaders.node(cls.label).load_many(list(node_ids))
        return [cls.of(record) if record else None for record in found]

    @classmethod
    def of(cls, record: Any) -> Self:
        raise NotImplementedError

    @strawberry.field(
        description="The source records this entity came from, oldest first, with the match "
        "key and score that tied each to it."
    )
    async def sources(self, info: Info, first: int = 20) -> list[SourceRecord]:
        loader = info.context.loaders.sources(self.label, page_size(info, first))
        return [SourceRecord.of(ref) for ref in await loader.load(str(self.id))]


@strawberry.type(
    description="An administrative region (行政区划): province, city, county or township."
)
class Region(Entity):
    label = L.REGION
    id: relay.NodeID[str]
    code: str = strawberry.field(description="GB/T 2260 code (6 digits); townships 9 digits.")
    name: str
    level: RegionLevel
    provenance: Provenance
    parent_code: strawberry.Private[str | None]

    @classmethod
    def of(cls, record: Any) -> Self:
        return cls(**fields_of(record, "code", "name", "level"), parent_code=record.parent_code)

    @strawberry.field(description="The region one level up; null for the province.")
    async def parent(self, info: Info) -> Region | None:
        return await one_by_key(info, Region, self.parent_code) if self.parent_code else None

    @strawberry.field(description="Regions one level down, by code.")
    async def children(self, info: Info) -> list[Region]:
        return await related(info, self)

    @strawberry.field(description="Communities (居委会/村委会) directly under this township.")
    async def communities(self, info: Info) -> list[Community]:
        return await related(info, self)

    @strawberry.field(description="Organizations located in this region (not below it).")
    async def organizations(
        self, info: Info, first: int = 50, after: str | None = None
    ) -> LinkPage[Organization]:
        return await related_page(info, self, first=first, after=after)


@strawberry.type(
    description="A community: residents' committee (居委会) or villagers' committee (村委会)."
)
class Community(Entity):
    label = L.COMMUNITY
    id: relay.NodeID[str]
    code: str = strawberry.field(description="12-digit statistical division code (统计用区划代码).")
    name: str
    kind: CommunityKind
    has_service_platform: bool = strawberry.field(
        description="Has a community public-service information platform "
        "(社区公共服务综合信息平台)."
    )
    platform_since: date | None
    provenance: Provenance
    township_code: strawberry.Private[str]

    @classmethod
    def of(cls, record: Any) -> Self:
        return cls(
            **fields_of(record, "code", "name", "kind", "has_service_platform", "platform_since"),
            township_code=record.township_code,
        )

    @strawberry.field(description="The township (街道/镇/乡) the community belongs to.")
    async def township(self, info: Info) -> Region | None:
        return await one_by_key(info, Region, self.township_code)

    @strawberry.field(
        description="Its three-society linkage (三社联动) on `asOf` (default today): social "
        "organizations, social workers, the year's service projects, volunteers, status."
    )
    async def linkage(
        self, info: Info, as_of: date | None = None
    ) -> Annotated[CommunityLinkage, strawberry.lazy("civgraph.schema.plan")] | None:
        from civgraph.schema.plan import community_linkage  # noqa: PLC0415 - plan imports nodes

        return await community_linkage(info, self.id, as_of)

    @strawberry.field(description="Households registered (户籍) here, by household number.")
    async def households(
        self, info: Info, first: int = 50, after: str | None = None
    ) -> LinkPage[Household]:
        return await related_page(info, self, first=first, after=after)

    @strawberry.field(description="People residing (居住) in the community.")
    async def residents(
        self, info: Info, as_of: date | None = None, first: int = 50, after: str | None = None
    ) -> LinkPage[edges.CommunityResidence]:
        return await related_page(
            info, self, edges.CommunityResidence.make, as_of=as_of, first=first, after=after
        )

    @strawberry.field(description="Facilities located in the community.")
    async def facilities(self, info: Info) -> list[Facility]:
        return await related(info, self)

    @strawberry.field(description="Social organizations serving the community (三社联动).")
    async def serving_organizations(
        self, info: Info, as_of: date | None = None
    ) -> list[edges.CommunityService]:
        return await related(info, self, edges.CommunityService.make, as_of=as_of)

    @strawberry.field(description="People serving the community: social workers (社工), case "
                      "officers and committee members; `role` narrows it.")  # fmt: skip
    async def staff(
        self, info: Info, as_of: date | None = None, role: ServiceRole | None = None
    ) -> list[edges.CommunityService]:
        return await related(info, self, edges.CommunityService.make, as_of=as_of, role=role)

    @strawberry.field(description="Government-purchased service projects delivered here.")
    async def service_projects(self, info: Info) -> list[ServiceProject]:
        return await related(info, self)

    @strawberry.field(description="Volunteers (志愿者) registered with the community.")
    async def volunteers(self, info: Info, as_of: date | None = None) -> list[edges.Volunteering]:
        return await related(info, self, edges.Volunteering.make, as_of=as_of)


@strawberry.type(
    description="A registered household (户), identified by its household number (户号)."
)
class Household(Entity):
    label = L.HOUSEHOLD
    id: relay.NodeID[str]
    number: str = strawberry.field(description="Household number (户号).")
    address: str = personal()
    kind: HouseholdKind
    provenance: Provenance
    community_code: strawberry.Private[str]

    @classmethod
    def of(cls, record: Any) -> Self:
        return cls(
            **fields_of(record, "number", "address", "kind"), community_code=record.community_code
        )

    @strawberry.field(description="The community the household is registered in.")
    async def community(self, info: Info) -> Community | None:
        return await one_by_key(info, Community, self.community_code)

    @strawberry.field(description="Members (MEMBER_OF), by resident ID number.")
    async def members(self, info: Info, as_of: date | None = None) -> list[edges.Membership]:
        return await related(info, self, edges.Membership.make, as_of=as_of)

    @strawberry.field(description="The household's benefits (ENROLLED_IN) across all programs.")
    async def benefits(self, info: Info, as_of: date | None = None) -> list[edges.Enrollment]:
        return await related(info, self, edges.Enrollment.make, as_of=as_of)


@strawberry.type(description="A person, identified by resident identity number (居民身份证号码).")
class Person(Entity):
    label = L.PERSON
    id: relay.NodeID[str]
    id_number: str | None = personal(
        description="Resident identity number (GB 11643); null for a person known only from "
        "records without one (see `sources` and `possiblySame`)."
    )
    name: str
    sex: Sex = strawberry.field(description="As the resident identity number encodes it.")
    birth_date: date = strawberry.field(description="As the resident identity number encodes it.")
    death_date: date | None = strawberry.field(description="Recorded date of death, if any.")
    phone: str | None = personal()
    address: str | None = personal()
    division_code: str | None = strawberry.field(
        description="Code of the community of the person's current household."
    )
    social_worker_level: SocialWorkerLevel | None = strawberry.field(
        description="Social-worker licence level (社会工作者职业资格), if licensed."
    )
    provenance: Provenance

    @classmethod
    def of(cls, record: Any) -> Self:
        names = ("id_number", "name", "sex", "birth_date", "death_date", "phone", "address")
        return cls(**fields_of(record, *names, "division_code", "social_worker_level"))

    @strawberry.field(description="Age in whole years on `asOf` (default today).")
    def age(self, as_of: date | None = None) -> int:
        return age_on(self.birth_date, as_of or date.today())

    @strawberry.field(description="Household memberships (MEMBER_OF).")
    async def households(self, info: Info, as_of: date | None = None) -> list[edges.Membership]:
        return await related(info, self, edges.Membership.make, as_of=as_of)

    @strawberry.field(
        description="Every program the person benefits from: their own enrollments "
        "and those of their households (`via`), with periods and amounts."
    )
    async def programs(self, info: Info, as_of: date | None = None) -> list[edges.Enrollment]:
        return await related(info, self, edges.Enrollment.make, as_of=as_of)

    @strawberry.field(description="Posts held (HOLDS_POST): offices, leadership posts, legal "
                      "representative, director, supervisor.")  # fmt: skip
    async def posts(self, info: Info, as_of: date | None = None) -> list[edges.Post]:
        return await related(info, self, edges.Post.make, as_of=as_of)

    @strawberry.field(description="Employers (EMPLOYED_BY), with public-payroll flag.")
    async def employers(self, info: Info, as_of: date | None = None) -> list[edges.Employment]:
        return await related(info, self, edges.Employment.make, as_of=as_of)

    @strawberry.field(description="Investments in organizations (INVESTED_IN).")
    async def investments(self, info: Info, as_of: date | None = None) -> list[edges.Investment]:
        return await related(info, self, edges.Investment.make, as_of=as_of)

    @strawberry.field(description="Residence in care facilities (RESIDENT_OF).")
    async def facility_residences(
        self, info: Info, as_of: date | None = None
    ) -> list[edges.FacilityResidence]:
        return await related(info, self, edges.FacilityResidence.make, as_of=as_of)

    @strawberry.field(description="Communities the person resides in (RESIDES_IN).")
    async def residences(
        self, info: Info, as_of: date | None = None
    ) -> list[edges.CommunityResidence]:
        return await related(info, self, edges.CommunityResidence.make, as_of=as_of)

    @strawberry.field(description="Vehicles and real estate owned (OWNS).")
    async def assets(self, info: Info, as_of: date | None = None) -> list[edges.AssetOwnership]:
        return await related(info, self, edges.AssetOwnership.make, as_of=as_of)

    @strawberry.field(description="Marriages on the register (MARRIED_TO), either side.")
    async def marriages(self, info: Info, as_of: date | None = None) -> list[edges.Marriage]:
        return await related(info, self, edges.Marriage.make, as_of=as_of)

    @strawberry.field(
        description="People this one may be (POSSIBLY_SAME, either side): entity resolution "
        "found them alike but not enough to decide; best first."
    )
    async def possibly_same(self, info: Info) -> list[edges.PossibleMatch]:
        return await related(info, self, edges.PossibleMatch.make)

    @strawberry.field(description="The cremation record (火化), if any.")
    async def cremation(self, info: Info) -> edges.Cremation | None:
        return await related_one(info, self, edges.Cremation.make)

    @strawberry.field(description="Communities the person serves (SERVES) as social worker, "
                      "case officer or committee member.")  # fmt: skip
    async def services(self, info: Info, as_of: date | None = None) -> list[edges.CommunityService]:
        return await related(info, self, edges.CommunityService.make, as_of=as_of)

    @strawberry.field(
        description="Volunteering (VOLUNTEERS_FOR) for organizations and communities."
    )
    async def volunteering(self, info: Info, as_of: date | None = None) -> list[edges.Volunteering]:
        return await related(info, self, edges.Volunteering.make, as_of=as_of)

    @strawberry.field(description="Donations made (DONATED_TO).")
    async def donations(self, info: Info) -> list[edges.Donation]:
        return await related(info, self, edges.Donation.make)


@strawberry.type(
    description="An organization: social organization (社会组织), agency, party organ, "
    "public institution or enterprise, identified by USCC (统一社会信用代码)."
)
class Organization(Entity):
    label = L.ORGANIZATION
    id: relay.NodeID[str]
    uscc: str | None = strawberry.field(
        description="Unified social credit code (GB 32100); null for an organization known only "
        "from records without one (see `sources` and `possiblySame`)."
    )
    name: str
    kind: OrganizationKind
    status: OrganizationStatus
    industry_association: bool = strawberry.field(
        description="An industry association (行业协会商会)."
    )
    charity_certified: bool = strawberry.field(
        description="Recognised as a charitable organization."
    )
    grade: EvaluationGrade | None
    registered_on: date | None
    address: str | None
    funding_account: str | None
    division_code: str
    provenance: Provenance

    @classmethod
    def of(cls, record: Any) -> Self:
        names = ("uscc", "name", "kind", "status", "industry_association", "charity_certified")
        more = ("grade", "registered_on", "address", "funding_account", "division_code")
        return cls(**fields_of(record, *names, *more))

    @strawberry.field(
        description="Organizations this one may be (POSSIBLY_SAME, either side): entity "
        "resolution found them alike but not enough to decide; best first."
    )
    async def possibly_same(self, info: Info) -> list[edges.PossibleOrganizationMatch]:
        return await related(info, self, edges.PossibleOrganizationMatch.make)

    @strawberry.field(description="Posts held in the organization (HOLDS_POST): its officers.")
    async def officers(
        self, info: Info, as_of: date | None = None, first: int = 50, after: str | None = None
    ) -> LinkPage[edges.Post]:
        return await related_page(
            info, self, edges.Post.make, as_of=as_of, first=first, after=after
        )

    @strawberry.field(description="Supervising agencies (业务主管单位, SUPERVISED_BY).")
    async def supervisors(self, info: Info, as_of: date | None = None) -> list[edges.Supervision]:
        return await related(info, self, edges.Supervision.make, as_of=as_of)

    @strawberry.field(description="Organizations this agency supervises.")
    async def supervised(self, info: Info, as_of: date | None = None) -> list[edges.Supervision]:
        return await related(info, self, edges.Supervision.make, as_of=as_of)

    @strawberry.field(description="Facilities the organization operates (OPERATES).")
    async def facilities(self, info: Info, as_of: date | None = None) -> list[edges.Operation]:
        return await related(info, self, edges.Operation.make, as_of=as_of)

    @strawberry.field(description="Service projects the organization funds (FUNDS).")
    async def funded_projects(self, info: Info) -> list[edges.Funding]:
        return await related(info, self, edges.Funding.make)

    @strawberry.field(description="Service projects the organization delivers (DELIVERS).")
    async def delivered_projects(self, info: Info) -> list[ServiceProject]:
        return await related(info, self)

    @strawberry.field(description="Investors (INVESTED_IN): people and organizations.")
    async def investors(self, info: Info, as_of: date | None = None) -> list[edges.Investment]:
        return await related(info, self, edges.Investment.make, as_of=as_of)

    @strawberry.field(description="Investments the organization holds in others.")
    async def investments(self, info: Info, as_of: date | None = None) -> list[edges.Investment]:
        return await related(info, self, edges.Investment.make, as_of=as_of)

    @strawberry.field(description="Employees (EMPLOYED_BY).")
    async def employees(
        self, info: Info, as_of: date | None = None, first: int = 50, after: str | None = None
    ) -> LinkPage[edges.Employment]:
        return await related_page(
            info, self, edges.Employment.make, as_of=as_of, first=first, after=after
        )

    @strawberry.field(description="Communities the organization serves (SERVES).")
    async def served_communities(
        self, info: Info, as_of: date | None = None
    ) -> list[edges.CommunityService]:
        return await related(info, self, edges.CommunityService.make, as_of=as_of)

    @strawberry.field(description="Donations received (DONATED_TO) from people and organizations.")
    async def donations_received(self, info: Info) -> list[edges.Donation]:
        return await related(info, self, edges.Donation.make)

    @strawberry.field(description="Volunteers (VOLUNTEERS_FOR).")
    async def volunteers(self, info: Info, as_of: date | None = None) -> list[edges.Volunteering]:
        return await related(info, self, edges.Volunteering.make, as_of=as_of)

    @strawberry.field(description="Vehicles and real estate owned (OWNS).")
    async def assets(self, info: Info, as_of: date | None = None) -> list[edges.AssetOwnership]:
        return await related(info, self, edges.AssetOwnership.make, as_of=as_of)

    @strawberry.field(description="The region the organization is located in (LOCATED_IN).")
    async def region(self, info: Info) -> Region | None:
        return await related_one(info, self)


@strawberry.type(
    description="A facility: care home, nursing home (敬老院), service center, "
    "funeral home, …, identified by its registry code."
)
class Facility(Entity):
    label = L.FACILITY
    id: relay.NodeID[str]
    code: str
    name: str
    kind: FacilityKind
    beds: int = strawberry.field(description="Beds (床位).")
    ownership: Ownership
    legal_person_registered: bool = strawberry.field(
        description="Registered as a legal person (法人登记)."
    )
    address: str | None
    opened_on: date | None
    division_code: str
    provenance: Provenance

    @classmethod
    def of(cls, record: Any) -> Self:
        names = ("code", "name", "kind", "beds", "ownership", "legal_person_registered", "address")
        return cls(**fields_of(record, *names, "opened_on", "division_code"))

    @strawberry.field(description="Organizations operating the facility (OPERATES).")
    async def operators(self, info: Info, as_of: date | None = None) -> list[edges.Operation]:
        return await related(info, self, edges.Operation.make, as_of=as_of)

    @strawberry.field(description="The community the facility is located in.")
    async def community(self, info: Info) -> Community | None:
        return await related_one(info, self)

    @strawberry.field(description="Residents (RESIDENT_OF).")
    async def residents(
        self, info: Info, as_of: date | None = None, first: int = 50, after: str | None = None
    ) -> LinkPage[edges.FacilityResidence]:
        return await related_page(
            info, self, edges.FacilityResidence.make, as_of=as_of, first=first, after=after
        )

    @strawberry.field(description="Cremations recorded here (funeral homes).")
    async def cremations(
        self, info: Info, first: int = 50, after: str | None = None
    ) -> LinkPage[edges.Cremation]:
        return await related_page(info, self, edges.Cremation.make, first=first, after=after)


@strawberry.type(description="A program of the department: 低保, 特困, allowances, assistance, …")
class Program(Entity):
    label = L.PROGRAM
    id: relay.NodeID[str]
    code: ProgramCode
    name: str
    beneficiary: BeneficiaryKind
    provenance: Provenance

    @classmethod
    def of(cls, record: Any) -> Self:
        return cls(**fields_of(record, "code", "name", "beneficiary"))

    @strawberry.field(description="Enrollments in the program; for large programs page through "
                      "them, or use the `people`/`households` filters and aggregates.")  # fmt: skip
    async def enrollments(
        self, info: Info, as_of: date | None = None, first: int = 50, after: str | None = None
    ) -> LinkPage[edges.Enrollment]:
        households = self.beneficiary is BeneficiaryKind.HOUSEHOLD
        relation = ENROLLMENTS[L.HOUSEHOLD if households else L.PERSON]
        return await related_page(
            info, self, edges.Enrollment.make, relation=relation, as_of=as_of,
            first=first, after=after,
        )  # fmt: skip


@strawberry.type(description="A government-purchased service project (政府购买服务).")
class ServiceProject(Entity):
    label = L.SERVICE_PROJECT
    id: relay.NodeID[str]
    code: str
    name: str
    year: int
    amount: float = strawberry.field(description="Contract amount, yuan.")
    division_code: str
    provenance: Provenance

    @classmethod
    def of(cls, record: Any) -> Self:
        return cls(**fields_of(record, "code", "name", "year", "amount", "division_code"))

    @strawberry.field(description="Funders (FUNDS), usually government agencies.")
    async def funders(self, info: Info) -> list[edges.Funding]:
        return await related(info, self, edges.Funding.make)

    @strawberry.field(description="Providers delivering the project (DELIVERS).")
    async def providers(self, info: Info) -> list[Organization]:
        return await related(info, self)

    @strawberry.field(description="Communities where it is delivered (DELIVERED_IN).")
    async def communities(self, info: Info) -> list[Community]:
        return await related(info, self)


@strawberry.type(description="A vehicle or a piece of real estate from the registries.")
class Asset(Entity):
    label = L.ASSET
    id: relay.NodeID[str]
    registration: str = strawberry.field(description="Plate number or property certificate number.")
    kind: AssetKind
    description: str | None
    provenance: Provenance

    @classmethod
    def of(cls, record: Any) -> Self:
        return cls(**fields_of(record, "registration", "kind", "description"))

    @strawberry.field(description="Owners (OWNS): people and organizations.")
    async def owners(self, info: Info, as_of: date | None = None) -> list[edges.AssetOwnership]:
        return await related(info, self, edges.AssetOwnership.make, as_of=as_of)


NODE_TYPES.update(
    {
        L.REGION: Region,
        L.COMMUNITY: Community,
        L.HOUSEHOLD: Household,
        L.PERSON: Person,
        L.ORGANIZATION: Organization,
        L.FACILITY: Facility,
        L.PROGRAM: Program,
        L.SERVICE_PROJECT: ServiceProject,
        L.ASSET: Asset,
    }
)
ENTITY_TYPES = tuple(NODE_TYPES.values())
