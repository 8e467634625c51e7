"""Planned reads: what a root field reads, as a tree, compiled into one Cypher statement.

The read planner (civgraph/resolvers/planner.py) describes what to read of each node: the
properties it needs, and for each relationship field a column of items, each item the
relationship's properties, the node at the other end and (for an edge that names it) the
near node again. This module turns the tree into nested `COLLECT {}` subqueries, each with
its own keyset order and limit, so a root field of any depth is one statement. Labels,
relationship types, property names and variable names come from the catalog and fixed
lists; every value is a parameter. Every node read lies in `$scope` (graph/scope.py), as
the DataLoader path reads them.

Item maps read: `p` the position (the far node's natural key, or its id), `k` the
relationship's key, `r` its properties, `o` the far node, `n` the near node (for a hop
`through` a first one, the node that one reached).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, LiteralString

from civgraph.graph.catalog import KEY, LABEL_TEXT, REL_TEXT, Label, RelSpec, position
from civgraph.graph.driver import Row
from civgraph.graph.filters import Condition, compile_conditions
from civgraph.graph.pages import Order, with_scope
from civgraph.graph.periods import in_effect
from civgraph.graph.scope import Scope, Scoped, in_scope

# Names come from these fixed lists, never from input (the filters' own are f0…, n, r, x, h).
VARS: tuple[LiteralString, ...] = tuple(f"v{i}" for i in range(256))
RELS: tuple[LiteralString, ...] = tuple(f"e{i}" for i in range(256))
POSITIONS: tuple[LiteralString, ...] = tuple(f"q{i}" for i in range(256))
COLUMNS: tuple[LiteralString, ...] = tuple(f"c{i}" for i in range(256))
PARAMS: tuple[LiteralString, ...] = tuple(f"p{i}" for i in range(512))


class TooLarge(ValueError):
    """A selection wider than the statement's fixed name lists: found while planning, the
    planner falls back; found while the statement is written, the root field fails."""


@dataclass(eq=False)
class Read:
    """What to read of one node: properties and columns (relationship fields)."""

    label: Label
    props: list[LiteralString] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)

    def need(self, prop: LiteralString) -> LiteralString:
        if prop not in self.props:
            self.props.append(prop)
        return prop

    def add(self, column: Column) -> LiteralString:
        """The key of the new column in this node's map."""
        if len(self.columns) == len(COLUMNS):
            raise TooLarge("too many relationship fields on one node")
        self.columns.append(column)
        return COLUMNS[len(self.columns) - 1]


@dataclass(eq=False)
class Through:
    """A first hop, e.g. a person's households (MEMBER_OF), whose far node is the near node
    of the hop it belongs to (the households' enrollments; an item's `n`); read in scope
    and on the hop's `as_of`."""

    spec: RelSpec
    limit: int


@dataclass(eq=False)
class Hop:
    """Relationships of one type from a node, in one direction: items ordered by the far
    node's natural key (its id without one), then the relationship's key."""

    spec: RelSpec
    outgoing: bool
    far: Read
    limit: int
    near: Read | None = None  # the near node again, when an item names it
    rel_props: list[LiteralString] = field(default_factory=list)
    as_of: date | None = None
    after: tuple[str, str] | None = None  # (position, relationship key) of the last item seen
    rel_equals: tuple[LiteralString, Any] | None = None  # a property the relationship has
    through: Through | None = None
    cursors: bool = False  # items carry `p` and `k`, to make a page's cursor of

    def need(self, prop: LiteralString) -> LiteralString:
        if prop not in self.rel_props:
            self.rel_props.append(prop)
        return prop


@dataclass(eq=False)
class Lookup:
    """The node of `label` whose natural key is the near node's property `by` (a household's
    community by `communityCode`); at most one."""

    label: Label
    by: LiteralString
    node: Read


@dataclass(eq=False)
class Sources:
    """The source records describing the node (DESCRIBES), oldest first, at most `limit`,
    each with the match key and score that tied it to the node."""

    limit: int


Column = Hop | Lookup | Sources


class Statement:
    """A statement being written: its parameters and fresh variable names."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope  # `$scope` itself is bound by `Scoped`
        self.params: dict[str, Any] = {}
        self.names = 0
        self.values = 0

    def param(self, value: Any) -> LiteralString:
        if self.values >= len(PARAMS):
            raise TooLarge("too many values in one statement")
        name = PARAMS[self.values]
        self.values += 1
        self.params[name] = value
        return "$" + name

    def fresh(self) -> tuple[LiteralString, LiteralString, LiteralString]:
        """A node, a relationship and a position variable not used elsewhere in the
        statement (subqueries see the variables around them)."""
        self.names += 1
        if self.names >= len(VARS):
            raise TooLarge("too many nested relationship fields")
        return VARS[self.names], RELS[self.names], POSITIONS[self.names]

    def in_scope(self, var: LiteralString, label: Label) -> LiteralString:
        """`graph.scope.in_scope`, left out for a principal who sees everything: the
        condition is then true for every node, and reading its code costs on each."""
        return "true" if self.scope.prefix is None else in_scope(var, label)

    def projection(self, var: LiteralString, read: Read) -> LiteralString:
        entries: list[LiteralString] = ["." + prop for prop in read.props]
        for key, column in zip(COLUMNS, read.columns, strict=False):
            if isinstance(column, Hop):
                text = self.hop(var, column)
            elif isinstance(column, Lookup):
                text = self.lookup(var, column)
            else:
                text = self.sources(var, column)
            entries.append(key + ": " + text)
        return var + " {" + ", ".join(entries) + "}"

    def sources(self, near: LiteralString, sources: Sources) -> LiteralString:
        record, d, _ = self.fresh()
        return (
            "COLLECT { MATCH (" + near + ")<-[" + d + ":DESCRIBES]-(" + record + ":SourceRecord) "
            "WITH " + record + ", " + d + " ORDER BY " + record + ".firstSeen, " + record
            + ".key LIMIT " + self.param(sources.limit) + " RETURN " + record + " {.source, "
            ".recordKey, .file, .line, .firstSeen, .lastSeen, matchKey: " + d + ".matchKey, "
            "score: " + d + ".score} }"
        )  # fmt: skip

    def lookup(self, near: LiteralString, lookup: Lookup) -> LiteralString:
        o, _, _ = self.fresh()
        label = lookup.label
        return (
            "COLLECT { MATCH (" + o + ":" + LABEL_TEXT[label] + " {" + KEY[label] + ": "
            + near + "." + lookup.by + "}) WHERE " + self.in_scope(o, label) + " "
            "RETURN " + self.projection(o, lookup.node) + " }"
        )  # fmt: skip

    def hop(self, near: LiteralString, hop: Hop) -> LiteralString:
        o, r, q = self.fresh()
        far = hop.far.label
        conditions: list[LiteralString] = [self.in_scope(o, far)]
        if hop.as_of is not None:
            conditions.append(in_effect(r, self.param(hop.as_of)))
        if hop.rel_equals is not None:
            prop, value = hop.rel_equals
            conditions.append(r + "." + prop + " = " + self.param(value))
        rel = REL_TEXT[hop.spec.rel]
        arrow: LiteralString = (
            "-[" + r + ":" + rel + "]->" if hop.outgoing else "<-[" + r + ":" + rel + "]-"
        )
        # Relationships without a period are one per pair of nodes (their keys all `-`):
        # the far node's position orders them alone, and reading `key` is saved.
        periodic = hop.spec.period
        tiebreak: LiteralString = ", " + r + ".key" if periodic else ""
        cut: LiteralString = ""
        if hop.after is not None:
            last = self.param(hop.after[0])
            cut = " WHERE " + q + " > " + last
            if periodic:
                key = self.param(hop.after[1])
                cut += " OR (" + q + " = " + last + " AND " + r + ".key > " + key + ")"
        start = near
        first: LiteralString = ""
        if hop.through is not None:  # the near node is reached by a first hop
            start, h, hq = self.fresh()
            hk = self.fresh()[2]  # nested hops each need their own names
            first = self.through(near, start, h, hq, hk, hop)
        item: list[LiteralString] = ["p: " + q, "k: " + r + ".key"] if hop.cursors else []
        if hop.rel_props:
            item.append("r: " + r + " {" + ", ".join("." + p for p in hop.rel_props) + "}")
        item.append("o: " + self.projection(o, hop.far))
        if hop.near is not None:
            item.append("n: " + self.projection(start, hop.near))
        ordered = (
            "MATCH (" + start + ")" + arrow + "(" + o + ":" + LABEL_TEXT[far] + ") "
            "WHERE " + " AND ".join(conditions) + " "
            "WITH " + r + ", " + o + ", " + position(o, far) + " AS " + q + cut + " "
            "ORDER BY " + q + tiebreak + " LIMIT " + self.param(hop.limit)
        )  # fmt: skip
        shown: LiteralString = " RETURN {" + ", ".join(item) + "} }"
        if hop.through is None:
            return "COLLECT { " + ordered + shown
        return (
            "COLLECT { " + first + " CALL (" + start + ") { " + ordered + " RETURN " + r + ", "
            + o + ", " + q + " } WITH * ORDER BY " + hq + ", " + hk + ", " + q + tiebreak + shown
        )  # fmt: skip

    def through(
        self, near: LiteralString, start: LiteralString, h: LiteralString, hq: LiteralString,
        hk: LiteralString, hop: Hop,
    ) -> LiteralString:  # fmt: skip
        """The first hop's match: the nodes it reaches, as `start`, in order (hq, hk)."""
        assert hop.through is not None
        spec = hop.through.spec
        conditions: list[LiteralString] = [self.in_scope(start, spec.target)]
        if hop.as_of is not None:
            conditions.append(in_effect(h, self.param(hop.as_of)))
        return (
            "MATCH (" + near + ")-[" + h + ":" + REL_TEXT[spec.rel] + "]->(" + start + ":"
            + LABEL_TEXT[spec.target] + ") WHERE " + " AND ".join(conditions) + " "
            "WITH " + start + ", " + position(start, spec.target) + " AS " + hq + ", "
            + h + ".key AS " + hk + " ORDER BY " + hq + ", " + hk + " LIMIT "
            + self.param(hop.through.limit) + " WITH " + start + ", " + hq + ", " + hk
        )  # fmt: skip


async def read_one(
    scoped: Scoped, label: Label, read: Read, *, key: str | None = None,
    node_id: str | None = None,
) -> dict[str, Any] | None:  # fmt: skip
    """One node by natural key or platform id, as `read` says; None outside scope."""
    statement = Statement(scoped.scope)
    prop: LiteralString = "id" if node_id is not None else KEY[label]
    value = statement.param(node_id if node_id is not None else key)
    query = (
        "MATCH (v0:" + LABEL_TEXT[label] + " {" + prop + ": " + value + "}) "
        "WHERE " + statement.in_scope("v0", label) + " "
        "RETURN " + statement.projection("v0", read) + " AS node"
    )  # fmt: skip
    rows = await scoped.read_raw(query, **statement.params)
    return rows[0]["node"] if rows else None


async def read_many(
    scoped: Scoped, label: Label, read: Read, ids: list[str]
) -> dict[str, dict[str, Any]]:
    """Nodes of one label by platform id, as `read` says; those outside scope are absent."""
    statement = Statement(scoped.scope)
    keys = statement.param(ids)
    query = (
        "UNWIND " + keys + " AS key MATCH (v0:" + LABEL_TEXT[label] + " {id: key}) "
        "WHERE " + statement.in_scope("v0", label) + " "
        "RETURN key, " + statement.projection("v0", read) + " AS node"
    )  # fmt: skip
    return {row["key"]: row["node"] for row in await scoped.read_raw(query, **statement.params)}


async def read_page(
    scoped: Scoped, label: Label, read: Read, *,
    conditions: list[Condition], order: Order, limit: int,
    after: tuple[Any, str] | None, total: bool,
) -> Row:  # fmt: skip
    """A keyset page of nodes of one label (`page`: items `s` the sort value, `i` the id and
    `o` the node) and, when `total`, how many match in all (`total`); one row. A nullable
    order's nodes without the value come last, by id."""
    compiled = compile_conditions(with_scope(scoped.scope, label, conditions))
    statement = Statement(scoped.scope)
    statement.params.update(compiled.params)
    matched: LiteralString = "MATCH (n:" + LABEL_TEXT[label] + ") WHERE " + compiled.where
    limited = " LIMIT " + statement.param(limit)
    prop, direction = order.prop, ("DESC" if order.descending else "ASC")
    beyond: LiteralString = "<" if order.descending else ">"
    in_tail = order.nullable and after is not None and after[0] is None
    valued: LiteralString = ""
    if not in_tail:
        cut: LiteralString = ""
        if after is not None:
            value, last = statement.param(after[0]), statement.param(after[1])
            cut = (
                " AND (n." + prop + " " + beyond + " " + value + " OR (n." + prop + " = "
                + value + " AND n.id " + beyond + " " + last + "))"
            )  # fmt: skip
        # every node has a non-nullable order's property: saying so lets Neo4j read the
        # page in the order of the property's index instead of sorting every match
        present: LiteralString = " AND n." + prop + " IS NOT NULL"
        valued = (
            matched + present + cut + " WITH n, 0 AS part ORDER BY n." + prop + " " + direction
            + ", n.id " + direction + limited
        )  # fmt: skip
    pages: list[LiteralString] = [valued] if valued else []
    if order.nullable:
        tail_cut: LiteralString = ""
        if in_tail and after is not None:
            tail_cut = " AND n.id " + beyond + " " + statement.param(after[1])
        pages.append(
            matched + " AND n." + prop + " IS NULL" + tail_cut + " WITH n, 1 AS part "
            "ORDER BY n.id " + direction + limited
        )  # fmt: skip
    page: LiteralString = pages[0] + " "
    if len(pages) > 1:  # the valued nodes, then those without the value
        page = (
            "CALL () { " + " RETURN n, part UNION ALL ".join(pages) + " RETURN n, part } "
            "WITH n, part ORDER BY part, n." + prop
            + " " + direction + ", n.id " + direction + limited + " "
        )  # fmt: skip
    query = (
        "RETURN COLLECT { " + page + "RETURN {s: n." + prop + ", i: n.id, "
        "o: " + statement.projection("n", read) + "} } AS page"
    )  # fmt: skip
    if total:
        query += ", COUNT { " + matched + " } AS total"
    rows = await scoped.read_raw(query, **statement.params)
    return rows[0]
