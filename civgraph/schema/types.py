"""Node types of the entity graph: Region, Community, Household, Person."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Self

import strawberry
from strawberry import relay

from civgraph.graph import models
from civgraph.schema.context import Info
from civgraph.schema.enums import CommunityKind, MemberRelation, RegionLevel, Sex


@strawberry.type(
    description="Where a record came from: source registry, record key, first and last seen."
)
class Provenance:
    source: str
    record_key: str
    first_seen: datetime
    last_seen: datetime

    @classmethod
    def of(cls, record: models.Stored) -> Provenance:
        return cls(
            source=record.source,
            record_key=record.record_key,
            first_seen=record.first_seen,
            last_seen=record.last_seen,
        )


@strawberry.type(
    description="An administrative region (行政区划): province, city, county or township."
)
class Region(relay.Node):
    id: relay.NodeID[str]
    code: str = strawberry.field(description="GB/T 2260 code (6 digits); townships 9 digits.")
    name: str
    level: RegionLevel
    provenance: Provenance
    parent_code: strawberry.Private[str | None]

    @classmethod
    def of(cls, record: models.Region) -> Self:
        return cls(
            id=record.id, code=record.code, name=record.name, level=record.level,
            provenance=Provenance.of(record), parent_code=record.parent_code,
        )  # fmt: skip

    @classmethod
    async def resolve_nodes(  # type: ignore[override]  # None for a missing id, required or not
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        ids = list(node_ids)
        found = await info.context.loaders.region_by_id.load_many(ids)
        return [cls.of(record) if record else None for record in found]

    @strawberry.field(description="The region one level up; null for the province.")
    async def parent(self, info: Info) -> Region | None:
        if self.parent_code is None:
            return None
        record = await info.context.loaders.region_by_code.load(self.parent_code)
        return Region.of(record) if record else None

    @strawberry.field(description="Regions one level down, by code.")
    async def children(self, info: Info) -> list[Region]:
        return [Region.of(r) for r in await info.context.loaders.region_children.load(self.code)]

    @strawberry.field(description="Communities (居委会/村委会) directly under this township.")
    async def communities(self, info: Info) -> list[Community]:
        records = await info.context.loaders.region_communities.load(self.code)
        return [Community.of(record) for record in records]


@strawberry.type(
    description="A community: residents' committee (居委会) or villagers' committee (村委会)."
)
class Community(relay.Node):
    id: relay.NodeID[str]
    code: str = strawberry.field(description="12-digit statistical division code (统计用区划代码).")
    name: str
    kind: CommunityKind
    provenance: Provenance
    township_code: strawberry.Private[str]

    @classmethod
    def of(cls, record: models.Community) -> Self:
        return cls(
            id=record.id, code=record.code, name=record.name, kind=record.kind,
            provenance=Provenance.of(record), township_code=record.township_code,
        )  # fmt: skip

    @classmethod
    async def resolve_nodes(  # type: ignore[override]  # None for a missing id, required or not
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        found = await info.context.loaders.community_by_id.load_many(list(node_ids))
        return [cls.of(record) if record else None for record in found]

    @strawberry.field(description="The township (街道/镇/乡) the community belongs to.")
    async def township(self, info: Info) -> Region | None:
        record = await info.context.loaders.region_by_code.load(self.township_code)
        return Region.of(record) if record else None

    @strawberry.field(
        description="Households registered (户籍) in this community, by household number."
    )
    async def households(self, info: Info) -> list[Household]:
        records = await info.context.loaders.community_households.load(self.code)
        return [Household.of(record) for record in records]


@strawberry.type(
    description="A registered household (户), identified by its household number (户号)."
)
class Household(relay.Node):
    id: relay.NodeID[str]
    number: str = strawberry.field(description="Household number (户号).")
    address: str
    provenance: Provenance
    community_code: strawberry.Private[str]

    @classmethod
    def of(cls, record: models.Household) -> Self:
        return cls(
            id=record.id, number=record.number, address=record.address,
            provenance=Provenance.of(record), community_code=record.community_code,
        )  # fmt: skip

    @classmethod
    async def resolve_nodes(  # type: ignore[override]  # None for a missing id, required or not
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        found = await info.context.loaders.household_by_id.load_many(list(node_ids))
        return [cls.of(record) if record else None for record in found]

    @strawberry.field(description="The community the household is registered in.")
    async def community(self, info: Info) -> Community | None:
        record = await info.context.loaders.community_by_code.load(self.community_code)
        return Community.of(record) if record else None

    @strawberry.field(description="Members, head of household first.")
    async def members(self, info: Info) -> list[Membership]:
        records = await info.context.loaders.household_members.load(self.id)
        return [Membership.of(record) for record in records]


@strawberry.type(description="A person, identified by resident identity number (居民身份证号码).")
class Person(relay.Node):
    id: relay.NodeID[str]
    id_number: str = strawberry.field(description="Resident identity number (GB 11643).")
    name: str
    sex: Sex
    birth_date: date = strawberry.field(description="As the resident identity number encodes it.")
    provenance: Provenance

    @classmethod
    def of(cls, record: models.Person) -> Self:
        return cls(
            id=record.id, id_number=record.id_number, name=record.name, sex=record.sex,
            birth_date=record.birth_date, provenance=Provenance.of(record),
        )  # fmt: skip

    @classmethod
    async def resolve_nodes(  # type: ignore[override]  # None for a missing id, required or not
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        found = await info.context.loaders.person_by_id.load_many(list(node_ids))
        return [cls.of(record) if record else None for record in found]

    @strawberry.field(description="The households the person is or was a member of, newest first.")
    async def households(self, info: Info) -> list[Membership]:
        records = await info.context.loaders.person_memberships.load(self.id)
        return [Membership.of(record) for record in records]


@strawberry.type(description="Membership of a person in a household (MEMBER_OF), with its period.")
class Membership:
    relation: MemberRelation
    since: date | None
    until: date | None
    person: Person
    household_id: strawberry.Private[str]

    @classmethod
    def of(cls, record: models.Membership) -> Membership:
        return cls(
            relation=record.relation, since=record.since, until=record.until,
            person=Person.of(record.person), household_id=record.household_id,
        )  # fmt: skip

    @strawberry.field
    async def household(self, info: Info) -> Household | None:
        record = await info.context.loaders.household_by_id.load(self.household_id)
        return Household.of(record) if record else None
