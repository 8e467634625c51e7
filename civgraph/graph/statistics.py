"""Aggregates for dashboards: counts computed in Neo4j, never by fetching rows.

Enrolled people are those enrolled themselves or through a household they belong to on
the day asked; a household's benefit counts once per enrollment and once per member.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, LiteralString

from civgraph.graph.catalog import Label
from civgraph.graph.periods import in_effect
from civgraph.graph.scope import ASKED, Scoped, in_scope

IN_EFFECT: LiteralString = in_effect("r")
MEMBER_IN_EFFECT: LiteralString = in_effect("m")

# Every (person, program, enrollment) in effect on $asOf among $programs, people in $prefix.
ENROLLED_PEOPLE: LiteralString = (
    "MATCH (p:Program) WHERE p.code IN $programs "
    "CALL (p) { "
    "  MATCH (p)<-[r:ENROLLED_IN]-(x:Person) WHERE " + IN_EFFECT + " RETURN x, r "
    "  UNION "
    "  MATCH (p)<-[r:ENROLLED_IN]-(:Household)<-[m:MEMBER_OF]-(x:Person) "
    "  WHERE " + IN_EFFECT + " AND " + MEMBER_IN_EFFECT + " RETURN x, r "
    "} "
    # Filtering by region here, after the enrollments, is 3x faster than inside the union,
    # where the planner seeks every person of the region by divisionCode (measured at 100k).
    "WITH p, x, r WHERE " + in_scope("x", Label.PERSON, ASKED) + " "
)

# The people enrolled in at least $minimum of the programs, as `x` with their `codes`.
OVERLAPPING: LiteralString = (
    ENROLLED_PEOPLE + "WITH x, collect(DISTINCT p.code) AS codes WHERE size(codes) >= $minimum "
)
OVERLAP_PAGE: LiteralString = (
    OVERLAPPING + "AND ($afterId IS NULL OR x.id > $afterId) "
    "RETURN x {.*} AS person, codes ORDER BY x.id LIMIT $limit"
)
# The page and the count in one pass over the enrollments (half the work of the two).
OVERLAP_COUNTED_PAGE: LiteralString = (
    OVERLAPPING + "WITH x, codes ORDER BY x.id "
    "WITH collect({x: x, codes: codes}) AS found "
    "WITH size(found) AS total, "
    "[f IN found WHERE $afterId IS NULL OR f.x.id > $afterId][0..$limit] AS page "
    "RETURN total, COLLECT { UNWIND page AS f WITH f.x AS x, f.codes AS codes "
    "RETURN {person: x {.*}, codes: codes} } AS rows"
)

# Group keys, each a literal expression, in the order results list them.
GROUPS: tuple[tuple[LiteralString, LiteralString], ...] = (
    ("region", "left(x.divisionCode, $regionLength)"),
    ("program", "p.code"),
    ("status", "r.status"),
    ("sex", "x.sex"),
    (
        "ageBand",
        "CASE WHEN duration.between(x.birthDate, $asOf).years >= 80 THEN '80+' "
        "WHEN duration.between(x.birthDate, $asOf).years >= 60 THEN '60-79' "
        "WHEN duration.between(x.birthDate, $asOf).years >= 18 THEN '18-59' ELSE '0-17' END",
    ),
)
AGE_BANDS = ("0-17", "18-59", "60-79", "80+")


@dataclass(frozen=True, slots=True)
class Group:
    keys: dict[str, Any]
    people: int
    enrollments: int
    amount: float


def child_code_length(prefix: str) -> int:
    """Digits that name the next level down: province → city (4), city → county (6),
    county → township (9), township → community (12)."""
    return {2: 4, 4: 6, 6: 9, 9: 12}.get(len(prefix), len(prefix))


def statistics_statement(group_by: frozenset[str]) -> LiteralString:
    expressions: LiteralString = ""
    names: LiteralString = ""
    for name, expression in GROUPS:
        if name in group_by:
            expressions += expression + " AS " + name + ", "
            names += name + ", "
    return (
        ENROLLED_PEOPLE + "WITH " + expressions + "x, r "
        "RETURN " + names + "count(DISTINCT x) AS people, "
        "collect(DISTINCT [elementId(r), coalesce(r.amount, 0.0)]) AS enrollments "
        "ORDER BY " + names + "people"
    )


async def enrollment_statistics(
    scoped: Scoped, programs: Sequence[str], prefix: str, as_of: date, group_by: frozenset[str]
) -> list[Group]:
    """Enrolled people, enrollments and monthly amounts in the region `prefix` (as far as the
    scope sees it), grouped as asked."""
    prefix = scoped.narrow(prefix)
    rows = await scoped.read(
        statistics_statement(group_by), programs=list(programs), prefix=prefix, asOf=as_of,
        regionLength=child_code_length(prefix),
    )  # fmt: skip
    names = [name for name, _ in GROUPS if name in group_by]
    return [
        Group(
            keys={name: row[name] for name in names},
            people=int(row["people"]),
            enrollments=len(row["enrollments"]),
            amount=float(sum(amount for _, amount in row["enrollments"])),
        )
        for row in rows
    ]


async def overlap_page(
    scoped: Scoped, programs: Sequence[str], prefix: str, as_of: date, minimum: int,
    first: int, after_id: str | None,
) -> list[dict[str, Any]]:  # fmt: skip
    """A page of the people of the region `prefix` (as far as the scope sees it) enrolled in
    at least `minimum` of `programs` on `as_of`: `first + 1` at most, by platform id after
    `after_id`."""
    return await scoped.read(
        OVERLAP_PAGE, programs=list(programs), prefix=scoped.narrow(prefix), asOf=as_of,
        minimum=minimum, limit=first + 1, afterId=after_id,
    )  # fmt: skip


async def overlap_counted_page(
    scoped: Scoped, programs: Sequence[str], prefix: str, as_of: date, minimum: int,
    first: int, after_id: str | None,
) -> tuple[int, list[dict[str, Any]]]:  # fmt: skip
    """How many such people there are in all, and `overlap_page`'s page of them, read in one
    statement."""
    rows = await scoped.read(
        OVERLAP_COUNTED_PAGE, programs=list(programs), prefix=scoped.narrow(prefix),
        asOf=as_of, minimum=minimum, limit=first + 1, afterId=after_id,
    )  # fmt: skip
    return int(rows[0]["total"]), list(rows[0]["rows"])
