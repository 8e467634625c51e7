"""Root connections: keyset-paginated, filtered, sorted lists of one label, and their counts.

Pages are cut by the sort value and the platform id of the last row (never SKIP), so rows
inserted between two requests neither repeat nor hide rows of the next page.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, LiteralString

from civgraph.graph.catalog import LABEL_TEXT, Label
from civgraph.graph.errors import GraphError
from civgraph.graph.filters import Compiled, Condition, InRegion, compile_conditions
from civgraph.graph.models import Stored, stored
from civgraph.graph.scope import Scope, Scoped


class InvalidCursor(GraphError, ValueError):
    """A cursor that this server did not issue, or issued for another sort order."""


@dataclass(frozen=True, slots=True)
class Order:
    prop: LiteralString  # present on every node of the label, unless `nullable`
    descending: bool = False
    # Nodes without the property come last (in either direction), by platform id.
    nullable: bool = False


@dataclass(frozen=True, slots=True)
class Page:
    nodes: list[Stored]
    cursors: list[str]
    has_next: bool


def encode_cursor(order: Order, value: Any, node_id: str) -> str:
    kind = "date" if isinstance(value, date) else "value"
    payload = [order.prop, kind, value.isoformat() if kind == "date" else value, node_id]
    return base64.urlsafe_b64encode(json.dumps(payload, ensure_ascii=False).encode()).decode()


def decode_cursor(order: Order, cursor: str) -> tuple[Any, str]:
    try:
        prop, kind, value, node_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, TypeError) as error:
        raise InvalidCursor(f"cursor {cursor!r} is not one this API issued") from error
    if prop != order.prop:
        raise InvalidCursor(f"cursor {cursor!r} belongs to another sort order")
    return (date.fromisoformat(value) if kind == "date" else value), str(node_id)


@cache
def page_statement(label: Label, order: Order, where: LiteralString, keyset: bool) -> LiteralString:
    prop, direction = order.prop, ("DESC" if order.descending else "ASC")
    # true of every node for a non-nullable order (and the valued part of a nullable one):
    # saying so lets Neo4j read the page in the property's index order instead of sorting
    where = where + " AND n." + prop + " IS NOT NULL"
    beyond: LiteralString = "<" if order.descending else ">"
    cut: LiteralString = (
        " AND (n." + prop + " " + beyond + " $afterValue OR "
        "(n." + prop + " = $afterValue AND n.id " + beyond + " $afterId))"
        if keyset
        else ""
    )
    return (
        "MATCH (n:" + LABEL_TEXT[label] + ") WHERE " + where + cut + " "
        "RETURN n {.*} AS node ORDER BY n." + prop + " " + direction + ", n.id " + direction + " "
        "LIMIT $limit"
    )


@cache
def tail_statement(label: Label, order: Order, where: LiteralString, keyset: bool) -> LiteralString:
    """The tail of a nullable order: the nodes without the property, by platform id."""
    direction: LiteralString = "DESC" if order.descending else "ASC"
    beyond: LiteralString = "<" if order.descending else ">"
    cut: LiteralString = " AND n.id " + beyond + " $afterId" if keyset else ""
    return (
        "MATCH (n:"
        + LABEL_TEXT[label]
        + ") WHERE "
        + where
        + " AND n."
        + order.prop
        + " IS NULL"
        + cut
        + " RETURN n {.*} AS node ORDER BY n.id "
        + direction
        + " LIMIT $limit"
    )


@cache
def count_statement(label: Label, where: LiteralString) -> LiteralString:
    return "MATCH (n:" + LABEL_TEXT[label] + ") WHERE " + where + " RETURN count(n) AS total"


def with_scope(scope: Scope, label: Label, conditions: Sequence[Condition]) -> list[Condition]:
    """The conditions, and the scope's (as an `InRegion`: a plain `STARTS WITH` on the label's
    code that a range index can answer; none for a reader who sees everything)."""
    if scope.prefix is None:
        return list(conditions)
    return [*conditions, InRegion(scope.prefix, label)]


async def list_page(
    scoped: Scoped,
    label: Label,
    conditions: Sequence[Condition],
    order: Order,
    first: int,
    after: str | None = None,
) -> Page:
    """A page of the nodes of `label` in scope that meet `conditions`, by `order`."""
    compiled: Compiled = compile_conditions(with_scope(scoped.scope, label, conditions))
    params = dict(compiled.params, limit=first + 1)
    if after is not None:
        params["afterValue"], params["afterId"] = decode_cursor(order, after)
    in_tail = order.nullable and after is not None and params["afterValue"] is None
    rows = []
    if not in_tail:
        statement = page_statement(label, order, compiled.where, after is not None)
        rows = await scoped.read(statement, **params)
    if order.nullable and len(rows) <= first:
        tail = tail_statement(label, order, compiled.where, in_tail)
        rows += await scoped.read(tail, **(params | {"limit": first + 1 - len(rows)}))
    nodes = [stored(label, row["node"]) for row in rows[:first]]
    cursors = [
        encode_cursor(order, row["node"].get(order.prop), row["node"]["id"]) for row in rows[:first]
    ]
    return Page(nodes, cursors, has_next=len(rows) > first)


async def count(scoped: Scoped, label: Label, conditions: Sequence[Condition]) -> int:
    """How many nodes of `label` in scope meet `conditions`."""
    compiled = compile_conditions(with_scope(scoped.scope, label, conditions))
    rows = await scoped.read(count_statement(label, compiled.where), **compiled.params)
    return int(rows[0]["total"])
