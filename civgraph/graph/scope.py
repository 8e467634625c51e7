"""Region scope, by structure: a principal bound to a region sees only what lies in that
region's subtree, by division code, and every read the API makes takes the request's
`Scoped` graph, so that no read can run without a scope.

The API (for the read planner and every repository read of `civgraph.graph`):

- `Scope`: what a reader may see. `Scope.of(region)` for a principal (its region's division
  code; None: everything); `EVERYTHING` for the system (the command line, the change hub's
  poll); `NOWHERE` for a connection not yet authenticated. `scope.prefix` is the
  division-code prefix its entities' codes start with (None for EVERYTHING: no test at
  all, so entities without a code are seen too); `scope.narrow(prefix)` is the part of a
  region asked for that it sees (`NOTHING` when none); `scope.sees(label, node)` is
  `in_scope` for an entity already read or about to be written.
- `Scoped(graph, scope)`: the shared `Graph` and the reader's `Scope`, made once per request
  (`civgraph.resolvers.context.build_context`; for a WebSocket, when its connection is
  authenticated). `await scoped.read(statement, **params)` and `scoped.stream(…)` run a
  statement with `$scope` bound to the scope's prefix: a statement tests it with `in_scope`.
  Reads take a `Scoped` as their first argument (a unit test holds every public read of
  `civgraph.graph` to it); writes, migrations and ingest take the plain `Graph`.
- `in_scope(var, label, prefix)` and `within(code, prefix)`: the one Cypher region test.
  `prefix` is `$scope` by default (the reader's; null: everything), or any other prefix
  expression that is never null — the region a read was asked for once narrowed (`ASKED`,
  `$prefix`), a county's `r.code` — tested as a plain `STARTS WITH` the planner can answer
  from a range index.

An entity is in scope when its division code (a region's own code) starts with the prefix.
Programs belong to no region and are in scope everywhere; an asset is in scope when someone
in scope owns it. People known only from records without an ID number and not registered in
a household have no division code: only readers who see everything see them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, LiteralString

from civgraph.graph.catalog import Label
from civgraph.graph.driver import Graph, Row
from civgraph.graph.identifiers import parse_division_code

SCOPE: LiteralString = "$scope"  # the reader's prefix, bound by Scoped; null: everything
ASKED: LiteralString = "$prefix"  # the region a read was asked for, narrowed to the scope
NOTHING = "-"  # a prefix no division code starts with


def within(
    code: LiteralString, prefix: LiteralString = SCOPE, *, seek: bool = True
) -> LiteralString:
    """True when the division code `code` (a Cypher expression) lies in the region `prefix`
    names (an expression giving a division-code prefix). `seek=False` writes it as a
    comparison the planner cannot answer from an index: for a statement that must start
    elsewhere (from a province's range it would start from everyone)."""
    if seek:
        return code + " STARTS WITH " + prefix
    return "substring(" + code + ", 0, size(" + prefix + ")) = " + prefix


def in_scope(
    var: LiteralString,
    label: Label | None = None,
    prefix: LiteralString = SCOPE,
    *,
    seek: bool = True,
) -> LiteralString:
    """True when node `var` (of `label`, when known) lies in the region `prefix`: `$scope`,
    the reader's (null: everything), unless told another. Knowing the label keeps the test
    to one property read; without it, `var` may be anything but an asset (search hits,
    paths)."""
    if label is Label.PROGRAM:
        return "true"
    if label is Label.ASSET:
        owner = within("owner.divisionCode", prefix, seek=seek)
        test = "EXISTS { MATCH (owner)-[:OWNS]->(" + var + ") WHERE " + owner + " }"
    elif label is Label.REGION:
        test = within(var + ".code", prefix, seek=seek)
    elif label is not None:
        test = within(var + ".divisionCode", prefix, seek=seek)
    else:
        code = (
            "coalesce("
            + var
            + ".divisionCode, CASE WHEN "
            + var
            + ":Region THEN "
            + var
            + ".code END)"
        )
        test = "(" + var + ":Program OR " + within(code, prefix, seek=seek) + ")"
    return "(" + SCOPE + " IS NULL OR " + test + ")" if prefix == SCOPE else test


def division_of(label: Label, node: object) -> str | None:
    """The division code of an entity read from the graph (as `in_scope` reads it)."""
    if label is Label.REGION:
        return str(getattr(node, "code", "")) or None
    if label is Label.HOUSEHOLD:
        return getattr(node, "community_code", None)
    code = getattr(node, "division_code", None)
    return str(code) if code else None


@dataclass(frozen=True, slots=True)
class Scope:
    """What a reader may see: the subtree of a region, by division-code prefix, or (prefix
    None: `EVERYTHING` only) everything."""

    prefix: str | None

    @staticmethod
    def of(region: str | None) -> Scope:
        """A principal's: its region's subtree (a division code), everything when None."""
        return EVERYTHING if region is None else Scope(parse_division_code(region).prefix)

    def narrow(self, requested: str) -> str:
        """The prefix of what this scope sees of the region `requested` (a prefix): the inner
        one when one holds the other, else `NOTHING`."""
        if self.prefix is None or requested.startswith(self.prefix):
            return requested
        if self.prefix.startswith(requested):
            return self.prefix
        return NOTHING

    def sees(self, label: Label, node: object) -> bool:
        """`in_scope` for an entity already read or about to be written (a finding's
        evidence, a scoped write): programs everywhere, an asset only through its owner (so
        not on its own), others by division code."""
        if self.prefix is None or label is Label.PROGRAM:
            return True
        code = division_of(label, node) if label is not Label.ASSET else None
        return code is not None and code.startswith(self.prefix)


EVERYTHING = Scope(None)  # the system's, and a principal's without a region
NOWHERE = Scope(NOTHING)  # before a connection is authenticated: programs only


@dataclass(frozen=True, slots=True)
class Scoped:
    """The shared graph as one reader may read it: every statement runs with `$scope`."""

    graph: Graph
    scope: Scope

    async def read(self, query: LiteralString, **params: Any) -> list[Row]:
        """`Graph.read`, with `$scope` bound."""
        return await self.graph.read(query, scope=self.scope.prefix, **params)

    async def read_raw(self, query: LiteralString, **params: Any) -> list[Row]:
        """`Graph.read_raw` (a large nested answer), with `$scope` bound."""
        return await self.graph.read_raw(query, scope=self.scope.prefix, **params)

    def stream(self, query: LiteralString, **params: Any) -> AsyncIterator[Row]:
        """`Graph.stream`, with `$scope` bound."""
        return self.graph.stream(query, scope=self.scope.prefix, **params)

    def narrow(self, requested: str) -> str:
        return self.scope.narrow(requested)
