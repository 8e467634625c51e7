"""How node types read their relationships: through the request's DataLoaders, as pairs of
(relationship, the node type at the other end)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Generic, TypeVar

import strawberry
from strawberry import relay

from civgraph.graph.catalog import Label, Rel, relationship
from civgraph.graph.links import LinkQuery
from civgraph.graph.models import Link, Stored, stored
from civgraph.resolvers.cursors import decode_link_cursor, encode_cursor
from civgraph.resolvers.errors import UserError
from civgraph.schema.context import Info
from civgraph.schema.scalars import PageInfo

T = TypeVar("T")
N = TypeVar("N")
LIST_LIMIT = 500  # a plain list field's bound; relationships that can be larger paginate

# Filled by civgraph.schema.nodes: the node type of each label.
NODE_TYPES: dict[Label, Any] = {}


def decode_id(given: str, label: Label | None = None) -> tuple[Label, str]:
    """The label and platform id of a global id (of `label`, if given); a ValueError says
    why not."""
    try:
        decoded = relay.GlobalID.from_id(given)
        found = Label(decoded.type_name)
    except (ValueError, TypeError) as error:
        raise ValueError(f"{given!r} is not an entity's global id") from error
    if label is not None and found is not label:
        raise ValueError(f"{given!r} is the id of a {found}, not of a {label}")
    return found, decoded.node_id


def wrap(label: Label, record: Stored) -> Any:
    return NODE_TYPES[label].of(record)


def wrap_props(label: Label, props: dict[str, object]) -> Any:
    return wrap(label, stored(label, props))


def link_cursor(link: Link) -> str:
    return encode_cursor(link.position, link.key)


def page_size(info: Info, first: int) -> int:
    cap = info.context.settings.max_page_size
    if not 0 <= first <= cap:
        raise UserError(f"first must be between 0 and {cap}, not {first}")
    return first


async def related(
    info: Info,
    node_id: str,
    rel: Rel,
    near: Label,
    far: Label,
    *,
    outgoing: bool = True,
    as_of: date | None = None,
    first: int = LIST_LIMIT,
    after: str | None = None,
) -> list[tuple[Link, Any]]:
    """The relationships of one node (batched with every other node asking the same), each
    with the node type at the other end; at most `first + 1`."""
    spec = relationship(rel, near, far) if outgoing else relationship(rel, far, near)
    query = LinkQuery(spec, outgoing, as_of, first, decode_link_cursor(after) if after else None)
    found = await info.context.loaders.links(query).load(node_id)
    return [(link, wrap_props(far, link.other)) for link in found]


@strawberry.type(description="A page of relationships.")
class LinkPage(Generic[T]):
    items: list[T]
    page_info: PageInfo


def link_page(
    pairs: list[tuple[Link, Any]], first: int, make: Callable[[Link, Any], T]
) -> LinkPage[T]:
    shown = pairs[:first]
    return LinkPage(
        items=[make(link, node) for link, node in shown],
        page_info=PageInfo(
            has_next_page=len(pairs) > first,
            end_cursor=link_cursor(shown[-1][0]) if shown else None,
        ),
    )


async def related_page(
    info: Info,
    node_id: str,
    rel: Rel,
    near: Label,
    far: Label,
    *,
    make: Callable[[Link, Any], T],
    outgoing: bool = True,
    as_of: date | None = None,
    first: int,
    after: str | None,
) -> LinkPage[T]:
    """A page of a node's relationships, each made into an edge by `make`."""
    first = page_size(info, first)
    pairs = await related(
        info, node_id, rel, near, far, outgoing=outgoing, as_of=as_of, first=first, after=after
    )
    return link_page(pairs, first, make)


async def one_by_key(info: Info, node_type: type[N], key: str) -> N | None:
    """The node of `node_type` (a class with a `label` and `of`) with this natural key."""
    record = await info.context.loaders.node_by_key(node_type.label).load(key)  # type: ignore[attr-defined]
    return node_type.of(record) if record else None  # type: ignore[attr-defined]
