"""The household verification report (家庭经济状况核对): every member of a household on a
day with every cross-registry signal, each with its relationship, period and source
record, and which checks the household passes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import LiteralString

from civgraph.graph.catalog import Label
from civgraph.graph.driver import Graph
from civgraph.graph.investigations import RECORD_OF, EvidenceLink, evidence, link_map, link_of
from civgraph.graph.models import Stored, stored
from civgraph.graph.periods import in_effect, not_ended
from civgraph.graph.scope import in_scope

CURRENT: LiteralString = in_effect("r")

# Each kind of signal: the relationships of member `x` that make it (`r`, in effect).
SIGNALS: dict[str, LiteralString] = {
    "ENTERPRISE_ROLE": "MATCH (x)-[r:HOLDS_POST]->(:Organization {kind: 'ENTERPRISE'})",
    "INVESTMENT": "MATCH (x)-[r:INVESTED_IN]->(:Organization)",
    "VEHICLE": "MATCH (x)-[r:OWNS]->(:Asset {kind: 'VEHICLE'})",
    "PROPERTY": "MATCH (x)-[r:OWNS]->(:Asset {kind: 'REAL_ESTATE'})",
    "PUBLIC_EMPLOYMENT": "MATCH (x)-[r:EMPLOYED_BY]->(:Organization) WHERE r.publicPayroll",
    "OTHER_ENROLLMENT": "MATCH (x)-[r:ENROLLED_IN]->(:Program) WHERE r.status = 'ACTIVE'",
    "CREMATION": "MATCH (x)-[r:CREMATED_AT]->(:Facility) WHERE r.crematedOn <= $asOf",
    "MARRIAGE": "MATCH (x)-[r:MARRIED_TO]-(:Person)",
}


def signal_branches() -> LiteralString:
    branches: LiteralString = ""
    for kind, match in SIGNALS.items():
        where: LiteralString = " AND " if " WHERE " in match else " WHERE "
        branch: LiteralString = (
            match + where + CURRENT + " RETURN '" + kind + "' AS kind, r"
        )  # fmt: skip
        branches = branches + (" UNION " if branches else "") + branch
    return branches


REPORT: LiteralString = (
    "MATCH (h:Household {id: $id}) WHERE " + in_scope("h", Label.HOUSEHOLD) + " "
    "OPTIONAL MATCH (x:Person)-[m:MEMBER_OF]->(h) "
    "WHERE " + in_effect("m") + " "
    "OPTIONAL CALL (x) { " + signal_branches() + " } "
    "WITH h, x, m, collect({kind: kind, r: r}) AS found "
    "CALL (found) { UNWIND found AS f WITH f WHERE f.r IS NOT NULL "
    "WITH f.kind AS kind, f.r AS ev " + RECORD_OF
    + "RETURN collect({kind: kind, link: " + link_map("ev", "rec {.*}") + "}) AS signals } "
    "WITH h, collect({person: x {.*}, signals: signals, "
    "spouseOutside: [s IN signals WHERE s.kind = 'MARRIAGE' AND NOT EXISTS { "
    "MATCH (o:Person {id: CASE WHEN s.link.fromNode.id = x.id THEN s.link.toNode.id "
    "ELSE s.link.fromNode.id END})-[n:MEMBER_OF]->(h) "
    "WHERE " + not_ended("n") + " } | s.link.rel.key]}) AS members "
    "CALL (h) { MATCH (h)-[r:ENROLLED_IN]->(:Program) WHERE " + CURRENT + " "
    "WITH collect(r) AS enrollments "
    + evidence("enrollments", "enrollments")
    + "RETURN links AS enrollments } "
    "RETURN h {.*} AS household, members, enrollments"
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Signal:
    kind: str
    link: EvidenceLink


@dataclass(frozen=True, slots=True)
class MemberReport:
    person: Stored
    signals: list[Signal]
    spouses_outside: int  # current spouses not in the household


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    passed: bool
    failing: int  # signals that fail it


@dataclass(frozen=True, slots=True)
class Report:
    household: Stored
    as_of: date
    members: list[MemberReport]
    enrollments: list[EvidenceLink]

    @property
    def checks(self) -> list[Check]:
        """The 核对 checks: none of these may hold for an assisted household."""

        def count(*kinds: str) -> int:
            return sum(1 for m in self.members for s in m.signals if s.kind in kinds)

        properties = sum(
            max(0, sum(1 for s in m.signals if s.kind == "PROPERTY") - 1) for m in self.members
        )
        failing = {
            "NO_ENTERPRISE": count("ENTERPRISE_ROLE", "INVESTMENT"),
            "NO_VEHICLE": count("VEHICLE"),
            "AT_MOST_ONE_PROPERTY_EACH": properties,
            "NO_PUBLIC_PAYROLL": count("PUBLIC_EMPLOYMENT"),
            "NO_DEATHS": count("CREMATION")
            + sum(1 for m in self.members if getattr(m.person, "death_date", None)),
            "SPOUSES_DECLARED": sum(m.spouses_outside for m in self.members),
        }
        return [Check(name, n == 0, n) for name, n in failing.items()]


async def verification_report(
    graph: Graph, household_id: str, as_of: date, scope: str | None
) -> Report | None:
    """The report for a household (by platform id), or None outside the scope."""
    rows = await graph.read(REPORT, id=household_id, asOf=as_of, scope=scope)
    if not rows:
        return None
    row = rows[0]
    members = [
        MemberReport(
            person=stored(Label.PERSON, member["person"]),
            signals=[Signal(s["kind"], link_of(s["link"])) for s in member["signals"]],
            spouses_outside=len(member["spouseOutside"]),
        )
        for member in row["members"]
        if member["person"] is not None
    ]
    enrollments = [link_of(link) for link in row["enrollments"]]
    return Report(stored(Label.HOUSEHOLD, row["household"]), as_of, members, enrollments)
