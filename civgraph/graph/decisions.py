"""An investigator's decisions on entity resolution's matches, each in one transaction and
within the decider's region:

- confirm: the record's person is this one (its relationships move to them, its possible
  matches are answered, its own entity goes when no other record describes it);
- reject: the record is not this person: the `POSSIBLY_SAME` link between them goes and the
  record remembers (`notSame`), so that resolution does not link them again;
- split: the record becomes an entity of its own, taking the relationships it stated.

A record lies in the region when the person it describes does, and a person named must lie
in it too; outside, both look absent (`RecordNotFound`, `NotFound`), as on every read path.
Changes reach the feed as `er:<source>`, with the decider as their actor.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, LiteralString

from civgraph.graph.catalog import Label
from civgraph.graph.changes import Context, Outbox
from civgraph.graph.driver import Graph, Row, Transaction
from civgraph.graph.errors import AlreadyDecided, NotFound, NotResolved, RecordNotFound
from civgraph.graph.provenance import SourceRef
from civgraph.graph.resolution import (
    ENTITIES,
    SPLIT,
    entity_id,
    move_statements,
    record_key,
)
from civgraph.graph.scope import EVERYTHING, Scope, in_scope

JOINED = "joined"  # the match key of a record an investigator confirmed

# The record and the person it describes, write-locked so that two decisions on one record
# follow each other; none when that person lies outside `$scope`.
CURRENT: LiteralString = (
    "MATCH (rec:SourceRecord {key: $key})-[d:DESCRIBES]->(p:Person) "
    "WHERE " + in_scope("p", Label.PERSON) + " "
    "SET rec._lock = true REMOVE rec._lock "
    "RETURN rec {.*} AS record, d.matchKey AS matchKey, d.score AS score, p.id AS person "
    "LIMIT 1"
)
PERSON: LiteralString = (
    "MATCH (p:Person {id: $id}) WHERE " + in_scope("p", Label.PERSON) + " RETURN p.id AS id"
)
REMEMBER: LiteralString = """
MATCH (rec:SourceRecord {key: $key})
SET rec.notSame = [id IN coalesce(rec.notSame, []) WHERE id <> $person] + [$person],
    rec.decidedAt = datetime(), rec.decidedBy = $actor
"""
FORGET: LiteralString = """
MATCH (rec:SourceRecord {key: $key}) WHERE $person IN rec.notSame
SET rec.notSame = [id IN rec.notSame WHERE id <> $person]
"""
UNLINK: LiteralString = """
MATCH (a:Person)-[r:POSSIBLY_SAME]->(b:Person {id: $person})
WHERE r.source = $source AND r.recordKey = $recordKey
WITH a, b, r, r.key AS key DELETE r
RETURN collect({operation: 'RELATIONSHIP_DELETED', entity: 'POSSIBLY_SAME',
  entityId: a.id + '>POSSIBLY_SAME>' + b.id + '@' + key, fields: [],
  regionCode: a.divisionCode, programs: []}) AS changes
"""


@dataclass(frozen=True, slots=True)
class Decider:
    """Who decides (as the feed and the audit log name them) and where: its principal's
    scope (the command line's is EVERYTHING)."""

    actor: str
    scope: Scope


@dataclass(frozen=True, slots=True)
class Decision:
    """A record as a decision left it."""

    record: SourceRef  # with the match key and score that tie it to its person
    person_id: str
    not_same: tuple[str, ...]  # people an investigator ruled it is not


@dataclass(frozen=True, slots=True)
class Current:
    record: Row  # the SourceRecord's properties
    match_key: str
    score: float
    person_id: str

    def decision(self) -> Decision:
        rec = self.record
        ref = SourceRef(
            source=rec["source"], record_key=rec["recordKey"], file=rec.get("file"),
            line=rec.get("line"), first_seen=rec["firstSeen"], last_seen=rec["lastSeen"],
            match_key=self.match_key, score=self.score,
        )  # fmt: skip
        return Decision(ref, self.person_id, tuple(rec.get("notSame") or ()))


async def current(tx: Transaction, source: str, key: str, scope: Scope) -> Current:
    """The record a decision is about; it must have been matched by resolution."""
    rows = await tx.run(CURRENT, key=record_key(source, key), scope=scope.prefix)
    if not rows:
        raise RecordNotFound(source, key)
    found = Current(rows[0]["record"], rows[0]["matchKey"], rows[0]["score"], rows[0]["person"])
    if "birthDate" not in found.record:  # what resolution keeps of the records it matched
        raise NotResolved(source, key, found.match_key)
    return found


async def person(tx: Transaction, id: str, scope: Scope) -> None:
    if not await tx.run(PERSON, id=id, scope=scope.prefix):
        raise NotFound(Label.PERSON, id)


Work = Callable[[Transaction, Current], Awaitable[None]]


async def decide(graph: Graph, decider: Decider, source: str, key: str, work: Work) -> Decision:
    """Runs `work` on the record in one transaction and returns the record as it left it."""

    async def unit(tx: Transaction) -> Decision:
        await work(tx, await current(tx, source, key, decider.scope))
        # read back as the decision left it, wherever its person now lies (a split's new
        # person may have no division code yet)
        return (await current(tx, source, key, EVERYTHING)).decision()

    return await graph.transact(unit, Outbox(Context(f"er:{source}", decider.actor)))


async def confirm(
    graph: Graph, decider: Decider, source: str, key: str, person_id: str
) -> Decision:
    """The record describes `person_id` from now on (nothing changes if it does already)."""

    async def work(tx: Transaction, found: Current) -> None:
        await person(tx, person_id, decider.scope)
        if found.person_id != person_id:
            moves = move_statements(
                found.record, found.person_id, person_id, JOINED, 1.0, decider.actor
            )
            await tx.run_all(moves)
        await tx.run(FORGET, key=record_key(source, key), person=person_id)

    return await decide(graph, decider, source, key, work)


async def reject(graph: Graph, decider: Decider, source: str, key: str, person_id: str) -> Decision:
    """The record is not `person_id`: their possible match goes, and stays gone."""

    async def work(tx: Transaction, found: Current) -> None:
        await person(tx, person_id, decider.scope)
        if found.person_id == person_id:
            raise AlreadyDecided(
                f"record {key!r} of {source} describes person {person_id!r}: split it to undo "
                "that match",
                person_id,
            )
        params: dict[str, Any] = {"person": person_id, "source": source, "recordKey": key}
        await tx.run(UNLINK, **params)
        await tx.run(REMEMBER, key=record_key(source, key), person=person_id, actor=decider.actor)

    return await decide(graph, decider, source, key, work)


async def split(graph: Graph, decider: Decider, source: str, key: str) -> Decision:
    """The record becomes an entity of its own (id derived from its key), taking the
    relationships it stated."""
    own = entity_id(source, key)

    async def work(tx: Transaction, found: Current) -> None:
        if found.person_id == own:
            raise AlreadyDecided(f"record {key!r} of {source} is an entity of its own already", own)
        rec = found.record
        entity = {
            "id": own, "recordKey": key, "name": rec["name"], "sex": rec["sex"],
            "birthDate": rec["birthDate"], "communityCode": rec.get("communityCode"),
        }  # fmt: skip
        await tx.run(ENTITIES, rows=[entity], source=source)
        await tx.run_all(move_statements(rec, found.person_id, own, SPLIT, 1.0, decider.actor))

    return await decide(graph, decider, source, key, work)
