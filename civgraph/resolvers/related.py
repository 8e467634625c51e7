"""How a relationship field is read where the planner does not read it: each part of its
`Relation` through the request's DataLoaders (batched with every other node asking the
same), in order, as items naming the relationship and the nodes at both of its ends."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from civgraph.graph.catalog import Label
from civgraph.graph.links import LinkQuery
from civgraph.graph.models import Link
from civgraph.resolvers.cursors import decode_link_cursor
from civgraph.resolvers.loaders import Loaders
from civgraph.resolvers.relations import Part, Relation

LIST_LIMIT = 500  # a plain list field's bound; relationships that can be larger paginate

# The node type of a label, made of a node's properties: the schema's, which resolvers do
# not import.
Wrap = Callable[[Label, dict[str, object]], Any]


class Node(Protocol):
    """A node type: what a relationship is read from."""

    @property
    def id(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Item:
    """One relationship a field reads, the nodes at its ends (`near`: the node the field is
    on, or the one a first hop reached from it) and, for an enrollment, whose benefit it is."""

    link: Link
    near: Node
    far: Any
    via: str | None = None

    def ends(self, relation: Relation) -> dict[str, Any]:
        """The edge's fields naming these nodes, as `relation` names them, and its `via`."""
        ends: dict[str, Any] = {"via": self.via} if self.via else {}
        if relation.near is not None:
            ends[relation.near] = self.near
        if relation.far is not None:
            ends[relation.far] = self.far
        return ends


async def read_related(
    loaders: Loaders, relation: Relation, near: Node, wrap: Wrap, *,
    as_of: date | None = None, role: str | None = None,
    first: int = LIST_LIMIT, after: str | None = None,
) -> list[Item]:  # fmt: skip
    """The items of `near`'s field `relation`: its parts' in turn, each at most `first + 1`
    (after the cursor `after`, so a page of one part can tell whether more follow); only
    those with `role`, or best first, as the relation says."""
    cursor = decode_link_cursor(after) if after else None
    reads = (
        read_part(loaders, part, part.links(as_of, first, cursor), near, wrap)
        for part in relation.parts
    )
    items = [item for found in await asyncio.gather(*reads) for item in found]
    if relation.role_filter and role is not None:
        items = [item for item in items if item.link.props.get("role") == role]
    if relation.by_score:
        items.sort(key=lambda item: -float(str(item.link.props["score"])))
    return items


async def read_part(
    loaders: Loaders, part: Part, query: LinkQuery, near: Node, wrap: Wrap
) -> list[Item]:
    """A part's items; from each node its first hop reaches (in order), when it has one."""
    if part.through is None:
        return await read_links(loaders, query, near, wrap, part.via)
    first_hop = LinkQuery(part.through, True, query.as_of, LIST_LIMIT)
    reached = await loaders.links(first_hop).load(near.id)
    starts = [wrap(link.other_label, link.other) for link in reached]
    found = await asyncio.gather(
        *(read_links(loaders, query, start, wrap, part.via) for start in starts)
    )
    return [item for items in found for item in items]


async def read_links(
    loaders: Loaders, query: LinkQuery, near: Node, wrap: Wrap, via: str | None
) -> list[Item]:
    links = await loaders.links(query).load(near.id)
    return [Item(link, near, wrap(link.other_label, link.other), via) for link in links]
