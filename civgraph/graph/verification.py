"""The household verification report (家庭经济状况核对): every member of a household on a
day with every cross-registry signal, each with its relationship, period and source
record, spouses outside the household with their own means, and which checks the
household passes. The signals and the deceased-member condition are the rules' own
(`civgraph.graph.rules.signals`, `benefits.DEAD_MEMBER`), so the report and the rules judge
a household the same way."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import LiteralString

from civgraph.graph.catalog import Label
from civgraph.graph.models import Stored, stored
from civgraph.graph.periods import in_effect
from civgraph.graph.rules.benefits import DEAD_MEMBER
from civgraph.graph.rules.evidence import (
    RECORD,
    RECORD_OF,
    EvidenceLink,
    Withheld,
    link_map,
    link_of,
    within,
)
from civgraph.graph.rules.signals import ALLOWED, MEANS, SignalKind, branches
from civgraph.graph.scope import Scope, Scoped, in_scope


# The signals of person `y` (all kinds, or the means only) with their records, as `signals`;
# with `possible`, also those of anyone possibly the same as `y` (each with that match's
# score), as the rules count them.
def signals_of(kinds: tuple[SignalKind, ...], possible: bool = True) -> LiteralString:
    hop: LiteralString = "*0..1" if possible else "*0..0"
    return (
        "CALL (y) { MATCH (y)-[same:POSSIBLY_SAME" + hop + "]-(z:Person) "
        "CALL (z) { WITH z AS y CALL (y) { " + branches(kinds) + " } RETURN kind, r } "
        "WITH kind, r AS ev, same " + RECORD_OF
        + "RETURN collect({kind: kind, link: " + link_map("ev", RECORD) + ", "
        "score: CASE size(same) WHEN 0 THEN 1.0 ELSE same[0].score END}) AS signals } "
    )  # fmt: skip


REPORT: LiteralString = (
    "MATCH (h:Household {id: $id}) WHERE " + in_scope("h", Label.HOUSEHOLD) + " "
    "CALL (h) { MATCH (y:Person)-[m:MEMBER_OF]->(h) WHERE " + in_effect("m") + " "
    + signals_of(tuple(SignalKind)) +
    "CALL (y, h) { MATCH (y)-[r:MARRIED_TO]-(s:Person) WHERE " + in_effect("r") + " "
    "AND NOT EXISTS { (s)-[n:MEMBER_OF]->(h) WHERE " + in_effect("n") + " } "
    "WITH s, r AS ev " + RECORD_OF + "WITH s, " + link_map("ev", RECORD) + " AS marriage "
    "CALL (s) { WITH s AS y " + signals_of(MEANS, possible=False) + "RETURN signals } "
    "RETURN collect({person: s {.*}, marriage: marriage, signals: signals}) AS outside } "
    "RETURN collect({person: y {.*}, signals: signals, outside: outside}) AS members } "
    "CALL (h) { CALL (h) { "
    "MATCH (p:Person)-[m:MEMBER_OF]->(h) "
    "MATCH (p)-[:POSSIBLY_SAME*0..1]-(:Person)-[c:CREMATED_AT]->() "
    "WHERE c.crematedOn <= $asOf RETURN p, m, c.crematedOn AS died "
    "UNION MATCH (p:Person)-[m:MEMBER_OF]->(h) WHERE p.deathDate <= $asOf "
    "RETURN p, m, p.deathDate AS died } "
    "WITH h, p, m, died WHERE " + DEAD_MEMBER + " "
    "RETURN collect(DISTINCT p.id) AS deceased } "
    "CALL (h) { MATCH (h)-[ev:ENROLLED_IN]->(:Program) WHERE " + in_effect("ev") + " "
    + RECORD_OF + "RETURN collect(" + link_map("ev", RECORD) + ") AS enrollments } "
    "RETURN h {.*} AS household, members, deceased, enrollments"
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Signal:
    kind: SignalKind
    link: EvidenceLink
    # 1.0: the person's own; else the score of the possible match (`POSSIBLY_SAME`) whose
    # record it is, as the rules count it (a lower-confidence signal)
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class OutsideSpouse:
    """A current spouse on the marriage register who is not in the household, with their
    own means signals (a spouse is part of the means test)."""

    person: Stored
    marriage: EvidenceLink
    signals: list[Signal]


@dataclass(frozen=True, slots=True)
class MemberReport:
    person: Stored
    signals: list[Signal]
    outside_spouses: list[OutsideSpouse]
    spouses_outside: int  # all of them, those outside the reader's region too

    def over(self, *kinds: SignalKind) -> int:
        """How many of the member's signals of `kinds` are beyond what is allowed."""
        return sum(
            max(0, sum(1 for s in self.signals if s.kind is kind) - ALLOWED.get(kind, 0))
            for kind in kinds
        )


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
    deceased: list[str]  # platform ids of people the household is still paid for, dead
    checks: list[Check]  # judged on everything, whatever the reader may see of it
    withheld: Withheld | None = None  # what lies outside the reader's region, left out


def judged(members: list[MemberReport], deceased: list[str]) -> list[Check]:
    """The 核对 checks: none of these may hold for an assisted household."""

    def over(*kinds: SignalKind) -> int:
        return sum(member.over(*kinds) for member in members)

    failing = {
        "NO_ENTERPRISE": over(SignalKind.ENTERPRISE_ROLE, SignalKind.INVESTMENT),
        "NO_VEHICLE": over(SignalKind.VEHICLE),
        "AT_MOST_ONE_PROPERTY_EACH": over(SignalKind.PROPERTY),
        "NO_PUBLIC_PAYROLL": over(SignalKind.PUBLIC_PAYROLL),
        "NO_DEATHS": len(deceased),
        "SPOUSES_DECLARED": sum(m.spouses_outside for m in members),
    }
    return [Check(name, n == 0, n) for name, n in failing.items()]


def shown(members: list[MemberReport], scope: Scope) -> tuple[list[MemberReport], Withheld | None]:
    """The members as a reader scoped to `scope` sees them: spouses outside the region and
    signals reaching outside it left out, counted (as a finding's evidence is)."""
    spouses = [(Label.PERSON, o.person) for m in members for o in m.outside_spouses]
    links = [s.link for m in members for s in [*m.signals, *(x for o in m.outside_spouses
                                                             for x in o.signals)]]  # fmt: skip
    people, kept, withheld = within(spouses, links, scope)
    if withheld is None:
        return members, None
    seen = {node.id for _, node in people}

    def kept_signals(signals: list[Signal]) -> list[Signal]:
        return [s for s in signals if s.link in kept]

    return [
        replace(m, signals=kept_signals(m.signals), outside_spouses=[
            replace(o, signals=kept_signals(o.signals)) for o in m.outside_spouses
            if o.person.id in seen
        ])
        for m in members
    ], withheld  # fmt: skip


def signal_of(row: dict[str, object]) -> Signal:
    return Signal(SignalKind(str(row["kind"])), link_of(row["link"]), float(row["score"]))  # type: ignore[arg-type]


async def verification_report(scoped: Scoped, household_id: str, as_of: date) -> Report | None:
    """The report for a household (by platform id), or None outside the scope."""
    rows = await scoped.read(REPORT, id=household_id, asOf=as_of)
    if not rows:
        return None
    row = rows[0]
    members = [
        MemberReport(
            person=stored(Label.PERSON, member["person"]),
            signals=[signal_of(s) for s in member["signals"]],
            outside_spouses=[
                OutsideSpouse(
                    stored(Label.PERSON, o["person"]),
                    link_of(o["marriage"]),
                    [signal_of(s) for s in o["signals"]],
                )
                for o in member["outside"]
            ],
            spouses_outside=len(member["outside"]),
        )
        for member in row["members"]
    ]
    enrollments = [link_of(link) for link in row["enrollments"]]
    household = stored(Label.HOUSEHOLD, row["household"])
    deceased = list(row["deceased"])
    checks = judged(members, deceased)
    members, withheld = shown(members, scoped.scope)
    return Report(household, as_of, members, enrollments, deceased, checks, withheld)
