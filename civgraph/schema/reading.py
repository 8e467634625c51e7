"""How node types read: by global id, by natural key, and their relationship fields through
the request's DataLoaders as their `Relation` says (civgraph/resolvers/related.py), as
edges or as the nodes at the far end."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Generic, TypeVar

import strawberry
from strawberry import relay

from civgraph.graph.catalog import Label
from civgraph.graph.models import Link, Stored, stored
from civgraph.resolvers.cursors import encode_cursor
from civgraph.resolvers.errors import UserError
from civgraph.resolvers.related import Item, Node, read_related
from civgraph.resolvers.relations import RELATIONS, Relation
from civgraph.schema.authorization import fields_of
from civgraph.schema.context import Info
from civgraph.schema.scalars import PageInfo

T = TypeVar("T")
N = TypeVar("N")

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


def selects(info: Info, name: str) -> bool:
    """Whether the field being resolved selects `name`, through fragments (a field under
    `@skip` or `@include` counts: it may be shown)."""
    raw = info._raw_info
    return any(
        field.name.value == name
        for node in raw.field_nodes
        if node.selection_set
        for field in fields_of(node.selection_set, raw.fragments, set())
    )


def relation_of(info: Info) -> Relation:
    """The relation the field being resolved reads: RELATIONS[the type it is on (as its
    path names it), its name]."""
    return RELATIONS[str(info.path.typename), info.field_name]


def made(relation: Relation, make: Callable[..., T] | None) -> Callable[[Item], T]:
    """An item as its field shows it: an edge `make` makes of the relationship and the nodes
    at its ends (named as `relation` names them), or without `make` the node at its far end."""
    if make is None:
        return lambda item: item.far
    return lambda item: make(item.link, **item.ends(relation))


async def related(
    info: Info, near: Node, make: Callable[..., T] | None = None, *,
    as_of: date | None = None, role: str | None = None,
) -> list[T]:  # fmt: skip
    """The items of the relationship field of `near` being resolved."""
    relation = relation_of(info)
    items = await read_related(
        info.context.loaders, relation, near, wrap_props, as_of=as_of, role=role
    )
    show = made(relation, make)
    return [show(item) for item in items]


async def related_one(info: Info, near: Node, make: Callable[..., T] | None = None) -> T | None:
    """The item of the relationship field of `near` being resolved (a field of one at most)."""
    return next(iter(await related(info, near, make)), None)


@strawberry.type(description="A page of relationships.")
class LinkPage(Generic[T]):
    items: list[T]
    page_info: PageInfo


async def related_page(
    info: Info, near: Node, make: Callable[..., T] | None = None, *,
    relation: Relation | None = None, as_of: date | None = None, first: int, after: str | None,
) -> LinkPage[T]:  # fmt: skip
    """A page of the items of the relationship field of `near` being resolved (of `relation`,
    if given)."""
    first = page_size(info, first)
    relation = relation or relation_of(info)
    items = await read_related(
        info.context.loaders, relation, near, wrap_props, as_of=as_of, first=first, after=after
    )
    shown, show = items[:first], made(relation, make)
    return LinkPage(
        items=[show(item) for item in shown],
        page_info=PageInfo(
            has_next_page=len(items) > first,
            end_cursor=link_cursor(shown[-1].link) if shown else None,
        ),
    )


async def one_by_key(info: Info, node_type: type[N], key: str) -> N | None:
    """The node of `node_type` (a class with a `label` and `of`) with this natural key."""
    record = await info.context.loaders.node_by_key(node_type.label).load(key)  # type: ignore[attr-defined]
    return node_type.of(record) if record else None  # type: ignore[attr-defined]
