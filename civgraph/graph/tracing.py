"""Tracing: the shortest connections between two entities, and the bounded subgraph around
one, through the relationship types asked for, on a day, within the caller's scope.

Variable-length bounds cannot be Cypher parameters, so each bound has its own statement
(from the fixed ranges below); relationship types come from the catalog's enum only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import LiteralString

from civgraph.graph.catalog import LABEL_TEXT, REL_TEXT, Label, Rel
from civgraph.graph.models import Stored
from civgraph.graph.periods import in_effect
from civgraph.graph.rules.evidence import EvidenceLink, link_map, link_of, node_of
from civgraph.graph.scope import Scoped, in_scope

MAX_PATH_HOPS = 6
MAX_NEIGHBORHOOD_HOPS = 3
TRACEABLE = tuple(rel for rel in Rel if rel is not Rel.DESCRIBES)
# Ties between people and organizations; the division tree, programs and communities
# would connect everyone to everyone and are left out unless asked for.
TIES = (
    Rel.MEMBER_OF, Rel.MARRIED_TO, Rel.HOLDS_POST, Rel.INVESTED_IN, Rel.EMPLOYED_BY,
    Rel.SUPERVISED_BY, Rel.OPERATES, Rel.RESIDENT_OF, Rel.DONATED_TO, Rel.FUNDS,
    Rel.DELIVERS, Rel.OWNS, Rel.POSSIBLY_SAME,
)  # fmt: skip

IN_EFFECT: LiteralString = in_effect("r")
# Relationship `r` as evidence, without its record.
LINK: LiteralString = link_map("r")


def types(via: Sequence[Rel]) -> LiteralString:
    text: LiteralString = ""
    for rel in sorted(set(via)):
        text = text + ("|" if text else "") + REL_TEXT[rel]
    return text


@cache
def paths_statement(source: Label, target: Label, hops: int, via: tuple[Rel, ...]) -> LiteralString:
    bound = BOUNDS[hops]
    return (
        "MATCH (a:"
        + LABEL_TEXT[source]
        + " {id: $from}), (b:"
        + LABEL_TEXT[target]
        + " {id: $to}) "
        "MATCH p = allShortestPaths((a)-[:" + types(via) + "*.." + bound + "]-(b)) "
        "WHERE all(r IN relationships(p) WHERE " + IN_EFFECT + ") "
        "AND all(n IN nodes(p) WHERE " + in_scope("n") + ") "
        "WITH p LIMIT $limit "
        "RETURN [n IN nodes(p) | n {.*, label: labels(n)[0]}] AS nodes, "
        "[r IN relationships(p) | " + LINK + "] AS links"
    )


@cache
def neighborhood_statement(center: Label, hops: int, via: tuple[Rel, ...]) -> LiteralString:
    bound = BOUNDS[hops]
    return (
        "MATCH (a:" + LABEL_TEXT[center] + " {id: $id}) WHERE " + in_scope("a", center) + " "
        "MATCH p = (a)-[:" + types(via) + "*1.." + bound + "]-() "
        "WHERE all(r IN relationships(p) WHERE " + IN_EFFECT + ") "
        "AND all(n IN nodes(p) WHERE " + in_scope("n") + ") "
        "UNWIND relationships(p) AS r WITH DISTINCT r LIMIT $limit "
        "RETURN " + LINK + " AS link"
    )


# Literal bounds, one statement each.
BOUNDS: dict[int, LiteralString] = {1: "1", 2: "2", 3: "3", 4: "4", 5: "5", 6: "6"}


@dataclass(frozen=True, slots=True)
class Path:
    nodes: list[tuple[Label, Stored]]
    links: list[EvidenceLink]


@dataclass(frozen=True, slots=True)
class Neighborhood:
    links: list[EvidenceLink]
    truncated: bool  # more relationships lie within the hops than `limit`


async def paths(
    scoped: Scoped,
    source: tuple[Label, str],
    target: tuple[Label, str],
    *,
    hops: int,
    via: Sequence[Rel],
    as_of: date,
    limit: int = 10,
) -> list[Path]:
    """The shortest connections (at most `hops` long) between two entities (label and
    platform id), every node on them in scope."""
    bound = min(max(hops, 1), MAX_PATH_HOPS)
    statement = paths_statement(source[0], target[0], bound, tuple(sorted(set(via))))
    ends = {"from": source[1], "to": target[1]}
    rows = await scoped.read(statement, **ends, asOf=as_of, limit=limit)
    return [
        Path([node_of(n) for n in row["nodes"]], [link_of(link) for link in row["links"]])
        for row in rows
    ]


async def neighborhood(
    scoped: Scoped,
    center: tuple[Label, str],
    *,
    hops: int,
    via: Sequence[Rel],
    as_of: date,
    limit: int,
) -> Neighborhood:
    """The relationships within `hops` of an entity, at most `limit` of them, every node on
    the way in scope."""
    bound = min(max(hops, 1), MAX_NEIGHBORHOOD_HOPS)
    statement = neighborhood_statement(center[0], bound, tuple(sorted(set(via))))
    rows = await scoped.read(statement, id=center[1], asOf=as_of, limit=limit + 1)
    links = [link_of(row["link"]) for row in rows]
    return Neighborhood(links[:limit], truncated=len(links) > limit)
