"""Root connections: Relay-style pages of one node type with a lazily counted total."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import strawberry

from civgraph.graph import pages
from civgraph.graph.catalog import Label
from civgraph.graph.filters import Condition
from civgraph.resolvers.errors import UserError
from civgraph.schema.context import Info
from civgraph.schema.reading import page_size, wrap
from civgraph.schema.scalars import PageInfo

T = TypeVar("T")


@strawberry.type(description="A node and the cursor just after it.")
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="A page of nodes, cut by keyset cursors.")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    nodes: list[T] = strawberry.field(description="The edges' nodes, for clients without cursors.")
    page_info: PageInfo
    counter: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="Rows matching the filter in all pages; counted only when asked.")
    async def total_count(self) -> int:
        return await self.counter()


async def connection(
    info: Info,
    label: Label,
    conditions: list[Condition],
    order: pages.Order,
    first: int,
    after: str | None,
) -> Connection[Any]:
    scoped = info.context.scoped  # only what lies in the principal's region
    try:
        page = await pages.list_page(
            scoped, label, conditions, order, page_size(info, first), after
        )
    except pages.InvalidCursor as error:
        raise UserError(str(error)) from error
    nodes = [wrap(label, record) for record in page.nodes]
    return Connection(
        edges=[Edge(cursor=c, node=n) for c, n in zip(page.cursors, nodes, strict=True)],
        nodes=nodes,
        page_info=PageInfo(
            has_next_page=page.has_next, end_cursor=page.cursors[-1] if page.cursors else None
        ),
        counter=lambda: pages.count(scoped, label, conditions),
    )
