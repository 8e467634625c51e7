"""The root Query type."""

from __future__ import annotations

import strawberry
from strawberry import relay

from civgraph.resolvers import lookups
from civgraph.schema.context import Info
from civgraph.schema.types import Person, Region


@strawberry.type
class Query:
    node: relay.Node | None = relay.node(description="Any entity by its global ID.")
    nodes: list[relay.Node | None] = relay.node(
        description="Entities by global ID, in the order asked; null where none exists."
    )

    @strawberry.field(description="A region by its GB/T 2260 code (6 digits, townships 9).")
    async def region(self, info: Info, code: str) -> Region | None:
        record = await lookups.region_by_code(info.context, code)
        return Region.of(record) if record else None

    @strawberry.field(description="A person by resident identity number (居民身份证号码).")
    async def person(self, info: Info, id_number: str) -> Person | None:
        record = await lookups.person_by_id_number(info.context, id_number)
        return Person.of(record) if record else None
