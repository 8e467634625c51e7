"""The root Query type: lookups by global id and natural key, and a connection per type."""

from __future__ import annotations

import strawberry
from strawberry import relay

from civgraph.graph.catalog import Label
from civgraph.resolvers import lookups
from civgraph.schema.audit import AuditQuery
from civgraph.schema.connections import Connection, connection
from civgraph.schema.context import Info
from civgraph.schema.enums import ProgramCode
from civgraph.schema.filters import (
    AssetFilter,
    AssetOrderField,
    CommunityFilter,
    CommunityOrderField,
    Direction,
    FacilityFilter,
    FacilityOrderField,
    HouseholdFilter,
    HouseholdOrderField,
    OrganizationFilter,
    OrganizationOrderField,
    PersonFilter,
    PersonOrderField,
    ProgramFilter,
    ProgramOrderField,
    RegionFilter,
    RegionOrderField,
    ServiceProjectFilter,
    ServiceProjectOrderField,
    to_order,
)
from civgraph.schema.investigations import Investigations
from civgraph.schema.nodes import (
    Asset,
    Community,
    Facility,
    Household,
    Organization,
    Person,
    Program,
    Region,
    ServiceProject,
)
from civgraph.schema.plan import Plan
from civgraph.schema.reading import one_by_key
from civgraph.schema.scalars import DivisionCode
from civgraph.schema.views import Views

FIRST = "Page size (at most the server's CIVGRAPH_MAX_PAGE_SIZE, 100 by default)."
AFTER = "The `endCursor` of the previous page."


@strawberry.type
class Query(Views, AuditQuery, Investigations, Plan):
    node: relay.Node | None = relay.node(description="Any entity by its global ID.")
    nodes: list[relay.Node | None] = relay.node(
        description="Entities by global ID, in the order asked; null where none exists."
    )

    @strawberry.field(
        description="A region by its code: a province, city, county (GB/T 2260, 6 digits; "
        "a province's or city's short form, `34` or `3401`, names it too) or township (9)."
    )
    async def region(self, info: Info, code: DivisionCode) -> Region | None:
        return await one_by_key(info, Region, code.code)

    @strawberry.field(description="A community by its 12-digit code.")
    async def community(self, info: Info, code: DivisionCode) -> Community | None:
        return await one_by_key(info, Community, code.code)

    @strawberry.field(description="A household by household number (户号).")
    async def household(self, info: Info, number: str) -> Household | None:
        return await one_by_key(info, Household, number)

    @strawberry.field(description="A person by resident identity number (居民身份证号码).")
    async def person(self, info: Info, id_number: str) -> Person | None:
        return await one_by_key(info, Person, lookups.resident_id(id_number))

    @strawberry.field(
        description="An organization by unified social credit code (统一社会信用代码)."
    )
    async def organization(self, info: Info, uscc: str) -> Organization | None:
        return await one_by_key(info, Organization, lookups.uscc(uscc))

    @strawberry.field(description="A facility by its registry code.")
    async def facility(self, info: Info, code: str) -> Facility | None:
        return await one_by_key(info, Facility, code)

    @strawberry.field(description="A program by code.")
    async def program(self, info: Info, code: ProgramCode) -> Program | None:
        return await one_by_key(info, Program, code.value)

    @strawberry.field(description="People, filtered and sorted.")
    async def people(
        self, info: Info, filter: PersonFilter | None = None,
        order_by: PersonOrderField = PersonOrderField.NAME, direction: Direction = Direction.ASC,
        first: int = 20, after: str | None = None,
    ) -> Connection[Person]:  # fmt: skip
        conditions = filter.conditions() if filter else []
        return await connection(
            info, Label.PERSON, conditions, to_order(order_by, direction), first, after
        )

    @strawberry.field(description="Households, filtered and sorted.")
    async def households(
        self, info: Info, filter: HouseholdFilter | None = None,
        order_by: HouseholdOrderField = HouseholdOrderField.NUMBER,
        direction: Direction = Direction.ASC, first: int = 20, after: str | None = None,
    ) -> Connection[Household]:  # fmt: skip
        conditions = filter.conditions() if filter else []
        return await connection(
            info, Label.HOUSEHOLD, conditions, to_order(order_by, direction), first, after
        )

    @strawberry.field(description="Organizations, filtered and sorted.")
    async def organizations(
        self, info: Info, filter: OrganizationFilter | None = None,
        order_by: OrganizationOrderField = OrganizationOrderField.NAME,
        direction: Direction = Direction.ASC, first: int = 20, after: str | None = None,
    ) -> Connection[Organization]:  # fmt: skip
        conditions = filter.conditions() if filter else []
        order = to_order(order_by, direction)
        return await connection(info, Label.ORGANIZATION, conditions, order, first, after)

    @strawberry.field(description="Facilities, filtered and sorted.")
    async def facilities(
        self, info: Info, filter: FacilityFilter | None = None,
        order_by: FacilityOrderField = FacilityOrderField.NAME,
        direction: Direction = Direction.ASC, first: int = 20, after: str | None = None,
    ) -> Connection[Facility]:  # fmt: skip
        conditions = filter.conditions() if filter else []
        return await connection(
            info, Label.FACILITY, conditions, to_order(order_by, direction), first, after
        )

    @strawberry.field(description="Communities, filtered and sorted.")
    async def communities(
        self, info: Info, filter: CommunityFilter | None = None,
        order_by: CommunityOrderField = CommunityOrderField.CODE,
        direction: Direction = Direction.ASC, first: int = 20, after: str | None = None,
    ) -> Connection[Community]:  # fmt: skip
        conditions = filter.conditions() if filter else []
        return await connection(
            info, Label.COMMUNITY, conditions, to_order(order_by, direction), first, after
        )

    @strawberry.field(description="Regions, filtered and sorted.")
    async def regions(
        self, info: Info, filter: RegionFilter | None = None,
        order_by: RegionOrderField = RegionOrderField.CODE,
        direction: Direction = Direction.ASC, first: int = 20, after: str | None = None,
    ) -> Connection[Region]:  # fmt: skip
        conditions = filter.conditions() if filter else []
        return await connection(
            info, Label.REGION, conditions, to_order(order_by, direction), first, after
        )

    @strawberry.field(description="Programs.")
    async def programs(
        self, info: Info, filter: ProgramFilter | None = None,
        order_by: ProgramOrderField = ProgramOrderField.CODE,
        direction: Direction = Direction.ASC, first: int = 20, after: str | None = None,
    ) -> Connection[Program]:  # fmt: skip
        conditions = filter.conditions() if filter else []
        return await connection(
            info, Label.PROGRAM, conditions, to_order(order_by, direction), first, after
        )

    @strawberry.field(description="Government-purchased service projects.")
    async def service_projects(
        self, info: Info, filter: ServiceProjectFilter | None = None,
        order_by: ServiceProjectOrderField = ServiceProjectOrderField.CODE,
        direction: Direction = Direction.ASC, first: int = 20, after: str | None = None,
    ) -> Connection[ServiceProject]:  # fmt: skip
        conditions = filter.conditions() if filter else []
        order = to_order(order_by, direction)
        return await connection(info, Label.SERVICE_PROJECT, conditions, order, first, after)

    @strawberry.field(description="Vehicles and real estate.")
    async def assets(
        self, info: Info, filter: AssetFilter | None = None,
        order_by: AssetOrderField = AssetOrderField.REGISTRATION,
        direction: Direction = Direction.ASC, first: int = 20, after: str | None = None,
    ) -> Connection[Asset]:  # fmt: skip
        conditions = filter.conditions() if filter else []
        return await connection(
            info, Label.ASSET, conditions, to_order(order_by, direction), first, after
        )
