"""Entity resolution during ingest: the rows of a batch that name a person without an ID
number, or an organization without a USCC, are matched (`civgraph.ingest.matching`,
`civgraph.ingest.matching_organizations`) against the people or organizations in the graph,
and their relationships are pointed at the one they are, or at an entity of their own.
Either end of a relationship may be resolved (both spouses of a marriage, say)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from civgraph.graph.catalog import Label
from civgraph.graph.driver import Graph, Statement
from civgraph.graph.resolution import (
    CandidateRow,
    End,
    candidates,
    decided,
    entity_id,
    entity_statements,
    identity_row,
)
from civgraph.ingest import matching_organizations
from civgraph.ingest.matching import (
    Candidate,
    Decision,
    Identity,
    Outcome,
    decide,
    initials,
    namesake_place,
    normalised,
)
from civgraph.ingest.matching_organizations import OrganizationIdentity

__all__ = ["End", "Pending", "Resolved", "Unresolved", "resolve"]

OWN = "record"  # the match key of a record that is an entity of its own
Unresolved = Identity | OrganizationIdentity


@dataclass(frozen=True, slots=True)
class Pending:
    """An end of a relationship (by position in its row's links) to be resolved."""

    record_key: str
    links: list[Any]  # the row's LinkInputs, the pending one replaced in place
    index: int
    identity: Unresolved
    end: End = End.SOURCE

    @property
    def label(self) -> Label:
        return Label.PERSON if isinstance(self.identity, Identity) else Label.ORGANIZATION


@dataclass
class Resolved:
    before: list[Statement]  # entities and POSSIBLY_SAME links, written before relationships
    after: list[Statement]  # the identities on the records, written after them
    merged: int = 0  # ends joined to an existing person or organization
    possible: int = 0  # ends left as an entity of their own with possible matches


def lookup(n: int, identity: Unresolved, grey: float) -> dict[str, Any]:
    """What a candidate query blocks on, for one record."""
    if isinstance(identity, Identity):
        place = namesake_place(identity, grey)
        return {"index": n, "name": identity.name, "birthDate": identity.birth_date,
                "initials": initials(identity.name), "place": place}  # fmt: skip
    return {
        "index": n, "names": identity.names, "prefix": normalised(identity.name)[:2],
        "county": identity.region_code[:6],
    }  # fmt: skip


def decision_on(
    identity: Unresolved, found: list[CandidateRow], join: float, grey: float
) -> Decision:
    candidates = (Candidate(*row) for row in found)
    if isinstance(identity, Identity):
        return decide(identity, candidates, join, grey)
    return matching_organizations.decide(identity, candidates, join, grey)


async def resolve(
    graph: Graph, source: str, pending: Sequence[Pending], join: float, grey: float
) -> Resolved:
    result = Resolved([], [])
    for label in (Label.PERSON, Label.ORGANIZATION):
        items = [item for item in pending if item.label is label]
        if items:
            await resolve_label(graph, source, label, items, (join, grey), result)
    return result


async def resolve_label(
    graph: Graph,
    source: str,
    label: Label,
    pending: Sequence[Pending],
    thresholds: tuple[float, float],
    result: Resolved,
) -> None:
    earlier = await decided(graph, source, label, [(i.record_key, i.end) for i in pending])
    todo = {
        n: lookup(n, item.identity, thresholds[1])
        for n, item in enumerate(pending)
        if (item.record_key, item.end) not in earlier
    }
    found = await candidates(graph, label, list(todo.values())) if todo else {}
    fresh: list[CandidateRow] = []  # entities this batch made so far, as candidates
    entities: list[dict[str, Any]] = []
    possible: list[dict[str, Any]] = []
    identities: list[dict[str, Any]] = []
    made: dict[tuple[str, End], tuple[str, str, float]] = {}  # a row's two links, one person
    for n, item in enumerate(pending):
        key, identity = item.record_key, item.identity
        if (key, item.end) in earlier:
            was = earlier[key, item.end]
            entity, match_key, score = was.entity_id, was.match_key, was.score
        elif (key, item.end) in made:
            item.links[item.index] = pointed(item, *made[key, item.end])
            continue
        else:
            earlier_in_batch = [c for c in fresh if blocks(identity, todo[n], c)]
            decision = decision_on(identity, found.get(n, []) + earlier_in_batch, *thresholds)
            entity, match_key, score = outcome(source, key, item.end, decision)
            if decision.outcome is Outcome.JOIN:
                result.merged += 1
            else:
                entities.append({"id": entity} | entity_row(key, identity))
                fresh.append(as_candidate(entity, identity))
                possible += [
                    {"id": entity, "candidate": m.candidate.id, "score": m.score,
                     "matchKey": m.key, "recordKey": key}
                    for m in decision.matches
                ]  # fmt: skip
                result.possible += decision.outcome is Outcome.POSSIBLE
        if isinstance(identity, Identity) and item.end is End.SOURCE:
            identities.append(entity_row(key, identity))  # what `civgraph er split` needs
        made[key, item.end] = entity, match_key, score
        item.links[item.index] = pointed(item, entity, match_key, score)
    before, after = entity_statements(source, entities, possible, identities, label)
    result.before += before
    result.after += after


def as_candidate(entity: str, identity: Unresolved) -> CandidateRow:
    """An entity a record became, as the candidate queries return one: the next records of
    the batch are matched against it as if it had been written before them (so a batch's
    size changes no decision)."""
    if isinstance(identity, Identity):
        return entity, identity.name, identity.sex, identity.birth_date, identity.community_code
    return entity, identity.name, None, None, identity.region_code


def blocks(identity: Unresolved, looked: dict[str, Any], candidate: CandidateRow) -> bool:
    """Whether the candidate queries would find `candidate` for a record (`looked`: its
    `lookup`, computed once for all the candidates it is tested against)."""
    _, name, _, born, division = candidate
    if isinstance(identity, Identity):
        place = looked["place"]
        nearby = place is not None and (place == "" or (division or "").startswith(place))
        alike = born == looked["birthDate"] and name[:1] in looked["initials"]
        return alike or (name == looked["name"] and nearby)
    return name in looked["names"] or (
        name.startswith(looked["prefix"]) and str(division).startswith(looked["county"])
    )


def pointed(item: Pending, entity: str, match_key: str, score: float) -> Any:
    """The pending relationship, its resolved end pointed at `entity`."""
    link = item.links[item.index]
    if item.end is End.TARGET:
        return replace(link, target_id=entity, target_match=(match_key, score))
    return replace(
        link, source_id=entity, origin=replace(link.origin, match_key=match_key, score=score)
    )


def outcome(source: str, key: str, end: End, decision: Decision) -> tuple[str, str, float]:
    """The entity a record's end is, with the match key and score that say why."""
    if decision.outcome is Outcome.JOIN:
        match = decision.matches[0]
        return match.candidate.id, match.key, match.score
    return entity_id(source, key, end), OWN, 1.0


def entity_row(key: str, identity: Unresolved) -> dict[str, Any]:
    if isinstance(identity, Identity):
        return identity_row(
            key, identity.name, identity.sex, identity.birth_date, identity.community_code
        )
    return {
        "recordKey": key, "name": identity.name, "regionCode": identity.region_code,
        "kind": identity.kind.value,
    }  # fmt: skip
