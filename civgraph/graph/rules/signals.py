"""The 核对 signals: what the registries say about a person's means, once, for both the
rules (`assistedMeans`, `hiddenSpouses`) and the household verification report, so the two
judge a household the same way.

Each kind is a pattern over person `y` binding relationship `r`; a signal counts when `r`
is in effect on `$asOf`. The means signals fail a check of the report and make an
`assistedMeans` finding; the others are shown in the report only."""

from __future__ import annotations

from enum import StrEnum
from typing import LiteralString

from civgraph.graph.periods import in_effect


class SignalKind(StrEnum):
    ENTERPRISE_ROLE = "ENTERPRISE_ROLE"  # legal representative, director, supervisor
    INVESTMENT = "INVESTMENT"  # a share of an enterprise
    VEHICLE = "VEHICLE"
    PROPERTY = "PROPERTY"  # real estate; one is allowed, more is a signal
    PUBLIC_PAYROLL = "PUBLIC_PAYROLL"  # 财政供养
    OTHER_ENROLLMENT = "OTHER_ENROLLMENT"
    CREMATION = "CREMATION"
    MARRIAGE = "MARRIAGE"


MEANS: tuple[SignalKind, ...] = (
    SignalKind.ENTERPRISE_ROLE,
    SignalKind.INVESTMENT,
    SignalKind.VEHICLE,
    SignalKind.PROPERTY,
    SignalKind.PUBLIC_PAYROLL,
)
ALLOWED = {SignalKind.PROPERTY: 1}  # how many of a kind a person may hold

ACTIVE_ENTERPRISE: LiteralString = "(:Organization {kind: 'ENTERPRISE', status: 'ACTIVE'})"
PATTERNS: dict[SignalKind, LiteralString] = {
    SignalKind.ENTERPRISE_ROLE: "MATCH (y)-[r:HOLDS_POST]->" + ACTIVE_ENTERPRISE + " WHERE ",
    SignalKind.INVESTMENT: "MATCH (y)-[r:INVESTED_IN]->" + ACTIVE_ENTERPRISE + " WHERE ",
    SignalKind.VEHICLE: "MATCH (y)-[r:OWNS]->(:Asset {kind: 'VEHICLE'}) WHERE ",
    SignalKind.PROPERTY: "MATCH (y)-[r:OWNS]->(:Asset {kind: 'REAL_ESTATE'}) WHERE ",
    SignalKind.PUBLIC_PAYROLL: (
        "MATCH (y)-[r:EMPLOYED_BY]->(:Organization) WHERE r.publicPayroll AND "
    ),
    SignalKind.OTHER_ENROLLMENT: (
        "MATCH (y)-[r:ENROLLED_IN]->(:Program) WHERE r.status = 'ACTIVE' AND "
    ),
    SignalKind.CREMATION: (
        "MATCH (y)-[r:CREMATED_AT]->(:Facility) WHERE r.crematedOn <= $asOf AND "
    ),
    SignalKind.MARRIAGE: "MATCH (y)-[r:MARRIED_TO]-(:Person) WHERE ",
}
CURRENT: LiteralString = in_effect("r")


def branches(kinds: tuple[SignalKind, ...]) -> LiteralString:
    """A UNION of the kinds' patterns over `y`, each row `kind` and `r`."""
    parts: LiteralString = ""
    for kind in kinds:
        name: LiteralString = KIND_TEXT[kind]
        branch: LiteralString = PATTERNS[kind] + CURRENT + " RETURN '" + name + "' AS kind, r"
        parts = parts + (" UNION " if parts else "") + branch
    return parts


# The kinds as Cypher string literals (StrEnum values are not LiteralString).
KIND_TEXT: dict[SignalKind, LiteralString] = {
    SignalKind.ENTERPRISE_ROLE: "ENTERPRISE_ROLE",
    SignalKind.INVESTMENT: "INVESTMENT",
    SignalKind.VEHICLE: "VEHICLE",
    SignalKind.PROPERTY: "PROPERTY",
    SignalKind.PUBLIC_PAYROLL: "PUBLIC_PAYROLL",
    SignalKind.OTHER_ENROLLMENT: "OTHER_ENROLLMENT",
    SignalKind.CREMATION: "CREMATION",
    SignalKind.MARRIAGE: "MARRIAGE",
}


COUNTS: dict[int, LiteralString] = {1: "1", 2: "2", 3: "3"}  # allowances, as literals


def allowance() -> LiteralString:
    """`ALLOWED` in Cypher: how many signals of the row's `kind` a person may hold."""
    cases: LiteralString = ""
    for kind, allowed in ALLOWED.items():
        cases = cases + "WHEN '" + KIND_TEXT[kind] + "' THEN " + COUNTS[allowed] + " "
    return "CASE kind " + cases + "ELSE 0 END"


ALLOWANCE: LiteralString = allowance()

# Means signals of person `x` and of anyone possibly the same (a record without an ID number
# tied only as possibly them): per kind, the relationships and the POSSIBLY_SAME links used;
# a kind with an allowance only when over it.
MEANS_OF_X: LiteralString = (
    "CALL (x) { MATCH (x)-[same:POSSIBLY_SAME*0..1]-(y:Person) "
    "CALL (y) { " + branches(MEANS) + " } "
    "WITH kind, collect(r) AS signals, collect(same) AS sames, " + ALLOWANCE + " AS allowed "
    "WHERE size(signals) > allowed "
    "RETURN kind, signals, CASE WHEN size([s IN sames WHERE size(s) = 0]) > allowed THEN 1.0 "
    "ELSE reduce(c = 0.0, s IN sames | CASE WHEN size(s) > 0 AND s[0].score > c "
    "THEN s[0].score ELSE c END) END AS sure, reduce(l = [], s IN sames | l + s) AS possible } "
)
