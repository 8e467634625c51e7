"""Entity resolution during ingest: the rows of a batch that name a person without an ID
number are matched (`civgraph.ingest.matching`) against the people in the graph, and their
relationships are pointed at the person they are, or at an entity of their own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from civgraph.graph.driver import Graph, Statement
from civgraph.graph.resolution import (
    candidates,
    decided,
    entity_id,
    entity_statements,
    identity_row,
)
from civgraph.ingest.matching import Candidate, Decision, Identity, Outcome, decide

OWN = "record"  # the match key of a record that is an entity of its own


@dataclass(frozen=True, slots=True)
class Pending:
    """A relationship (by position in its row's links) whose person is to be resolved."""

    record_key: str
    links: list[Any]  # the row's LinkInputs, the pending one replaced in place
    index: int
    identity: Identity


@dataclass
class Resolved:
    before: list[Statement]  # entities and POSSIBLY_SAME links, written before relationships
    after: list[Statement]  # the identities on the records, written after them
    merged: int = 0  # rows joined to an existing person
    possible: int = 0  # rows left as an entity of their own with possible matches


def candidate(row: dict[str, Any]) -> Candidate:
    return Candidate(
        row["id"], row.get("name") or "", row.get("sex"), row.get("birthDate"),
        row.get("divisionCode"),
    )  # fmt: skip


async def resolve(
    graph: Graph, source: str, pending: Sequence[Pending], join: float, grey: float
) -> Resolved:
    result = Resolved([], [])
    if not pending:
        return result
    earlier = await decided(graph, source, [item.record_key for item in pending])
    todo = [
        {"index": n, "name": item.identity.name, "birthDate": item.identity.birth_date}
        for n, item in enumerate(pending)
        if item.record_key not in earlier
    ]
    found = await candidates(graph, todo) if todo else {}
    entities: list[dict[str, Any]] = []
    possible: list[dict[str, Any]] = []
    identities: list[dict[str, Any]] = []
    for n, item in enumerate(pending):
        key, identity = item.record_key, item.identity
        if key in earlier:
            person, match_key, score = (
                earlier[key].person_id, earlier[key].match_key, earlier[key].score
            )  # fmt: skip
        else:
            decision = decide(identity, map(candidate, found.get(n, [])), join, grey)
            person, match_key, score = outcome(source, key, decision)
            if decision.outcome is Outcome.JOIN:
                result.merged += 1
            else:
                entities.append({"id": person} | identity_row(key, *fields(identity)))
                possible += [
                    {"id": person, "candidate": m.candidate.id, "score": m.score,
                     "matchKey": m.key, "recordKey": key}
                    for m in decision.matches
                ]  # fmt: skip
                result.possible += decision.outcome is Outcome.POSSIBLE
        identities.append(identity_row(key, *fields(identity)))
        link = item.links[item.index]
        item.links[item.index] = replace(
            link, source_id=person, origin=replace(link.origin, match_key=match_key, score=score)
        )
    result.before, result.after = entity_statements(source, entities, possible, identities)
    return result


def outcome(source: str, key: str, decision: Decision) -> tuple[str, str, float]:
    """The person a record is, with the match key and score that say why."""
    if decision.outcome is Outcome.JOIN:
        match = decision.matches[0]
        return match.candidate.id, match.key, match.score
    return entity_id(source, key), OWN, 1.0


def fields(identity: Identity) -> tuple[str, str, Any, str | None]:
    return identity.name, identity.sex, identity.birth_date, identity.community_code
