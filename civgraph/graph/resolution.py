"""Entity resolution in the graph: candidates for records without an ID number, the
entities such records become, their `POSSIBLY_SAME` links, and the statements that move a
record to another person (an investigator's decisions, `civgraph.graph.decisions`).

A record's person is decided once: the record's `DESCRIBES` link to a person is the
decision, and a later run of the same record reuses it (so ids stay stable and an
investigator's split or join is not undone by the next ingest). A record that became an
entity of its own has a person whose id is derived from the record's key, so writing it
again is idempotent too.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Any, LiteralString

from civgraph.graph.catalog import LABEL_TEXT, REL_TEXT, RELATIONSHIPS, Label, RelSpec
from civgraph.graph.driver import Graph, Statement
from civgraph.graph.scope import in_scope

NAMESPACE = uuid.UUID("5d1f3c52-8a1e-4a8e-9a0c-2f0b1c7e6a11")
CANDIDATE_LIMIT = 200  # per blocking key: people born that day, people of that name
SPLIT = "split"  # the match key of a record an investigator split off


class End(StrEnum):
    """Which end of a record's relationship an entity is: a record describes its subject
    (the source) and, when resolved or a person too, its target (`DESCRIBES.role`)."""

    SOURCE = "source"
    TARGET = "target"


def record_key(source: str, key: str) -> str:
    return f"{source}:{key}"


def entity_id(source: str, key: str, end: End = End.SOURCE) -> str:
    """The stable id of the entity a record's end without a match becomes."""
    name = record_key(source, key) if end is End.SOURCE else f"{record_key(source, key)}#{end}"
    return str(uuid.uuid5(NAMESPACE, name))


# People born the same day whose names begin with one of `initials` (the characters a
# matching name can begin with: a province of ten million has hundreds born each day);
# people of the same name who live in `place` (a division code's prefix, '' anywhere; none
# when `place` is null): a namesake born another day is a likely match only nearby, and a
# common name has thousands of namesakes in a province (~2,600 a record at ten million).
# The namesakes are sought by name and place together (the composite index of migration
# 0008); those without a division code only when `place` is '' (the CASE makes the name
# null otherwise, so the seek finds nothing: a condition on `row` alone would be tested on
# every namesake). A namesake born the same day is in the first part.
PERSON_CANDIDATES: LiteralString = (
    """
UNWIND $rows AS row
CALL (row) {
  MATCH (p:Person {birthDate: row.birthDate}) WHERE row.initials CONTAINS left(p.name, 1)
  RETURN p LIMIT $limit
  UNION
  MATCH (p:Person) WHERE p.name = row.name AND """
    + in_scope("p", Label.PERSON, "row.place")
    + """
  RETURN p LIMIT $limit
  UNION
  MATCH (p:Person {name: CASE row.place WHEN '' THEN row.name END})
  WHERE p.divisionCode IS NULL
  RETURN p LIMIT $limit
}
RETURN row.index AS index,
       collect([p.id, p.name, p.sex, toString(p.birthDate), p.divisionCode]) AS candidates
"""
)

# Organizations of the name (as written or normalised), and those of the county whose name
# starts alike (a variant the normalised spellings miss).
ORGANIZATION_CANDIDATES: LiteralString = (
    """
UNWIND $rows AS row
CALL (row) {
  MATCH (o:Organization) WHERE o.name IN row.names RETURN o LIMIT $limit
  UNION
  MATCH (o:Organization) WHERE o.name STARTS WITH row.prefix
    AND """
    + in_scope("o", Label.ORGANIZATION, "row.county")
    + """ RETURN o LIMIT $limit
}
RETURN row.index AS index, collect([o.id, o.name, null, null, o.divisionCode]) AS candidates
"""
)
CANDIDATES = {Label.PERSON: PERSON_CANDIDATES, Label.ORGANIZATION: ORGANIZATION_CANDIDATES}


@cache
def decided_statement(label: Label) -> LiteralString:
    """The entity each record's end was decided to be (no role: the subject)."""
    return (
        "UNWIND $rows AS row "
        "MATCH (rec:SourceRecord {key: row.key})-[d:DESCRIBES]->(e:" + LABEL_TEXT[label] + ") "
        "WHERE coalesce(d.role, 'source') = row.end "
        "RETURN row.key AS key, row.end AS end, e.id AS id, d.matchKey AS matchKey, "
        "d.score AS score"
    )


# A record's own entity: a person known only by what the record says.
ENTITIES: LiteralString = """
UNWIND $rows AS row
MERGE (p:Person {id: row.id})
ON CREATE SET p.firstSeen = datetime(), p.name = row.name, p.sex = row.sex,
              p.birthDate = row.birthDate, p.divisionCode = row.communityCode, p.version = 0
WITH p, row, p.version = 0 AS created
SET p.source = $source, p.recordKey = row.recordKey, p.lastSeen = datetime(),
    p.version = CASE WHEN created THEN 1 ELSE p.version END
RETURN collect(CASE WHEN created THEN {operation: 'NODE_CREATED', entity: 'Person',
  entityId: p.id, fields: [['name', null, p.name], ['sex', null, p.sex],
  ['birthDate', null, p.birthDate], ['divisionCode', null, p.divisionCode]],
  regionCode: p.divisionCode, programs: []} END) AS changes
"""

# An organization known only by what a record says: its name, region and the kind its
# registry implies.
ORGANIZATION_ENTITIES: LiteralString = """
UNWIND $rows AS row
MERGE (o:Organization {id: row.id})
ON CREATE SET o.firstSeen = datetime(), o.name = row.name, o.divisionCode = row.regionCode,
              o.kind = row.kind, o.status = 'ACTIVE', o.industryAssociation = false,
              o.charityCertified = false, o.version = 0
WITH o, row, o.version = 0 AS created
SET o.source = $source, o.recordKey = row.recordKey, o.lastSeen = datetime(),
    o.version = CASE WHEN created THEN 1 ELSE o.version END
RETURN collect(CASE WHEN created THEN {operation: 'NODE_CREATED', entity: 'Organization',
  entityId: o.id, fields: [['name', null, o.name], ['kind', null, o.kind],
  ['divisionCode', null, o.divisionCode]],
  regionCode: o.divisionCode, programs: []} END) AS changes
"""


@cache
def possibly_same_statement(label: Label) -> LiteralString:
    name = LABEL_TEXT[label]
    return (
        "UNWIND $rows AS row MATCH (a:" + name + " {id: row.id}) "
        "MATCH (b:" + name + " {id: row.candidate}) " + NOT_REJECTED + POSSIBLY_SAME_REST
    )


# Not between a record and someone an investigator ruled it is not (`notSame`).
NOT_REJECTED: LiteralString = """
WHERE NOT EXISTS {
  MATCH (rec:SourceRecord {key: $source + ':' + row.recordKey}) WHERE b.id IN rec.notSame
}
"""
POSSIBLY_SAME_REST: LiteralString = """
MERGE (a)-[r:POSSIBLY_SAME {key: '-'}]->(b)
ON CREATE SET r.firstSeen = datetime(), r.version = 0
WITH a, b, r, row, r.version = 0 AS created
SET r.score = row.score, r.matchKey = row.matchKey, r.source = $source,
    r.recordKey = row.recordKey, r.lastSeen = datetime(),
    r.version = CASE WHEN created THEN 1 ELSE r.version END
RETURN collect(CASE WHEN created THEN {operation: 'RELATIONSHIP_CREATED',
  entity: 'POSSIBLY_SAME', entityId: a.id + '>POSSIBLY_SAME>' + b.id + '@-',
  fields: [['score', null, row.score], ['matchKey', null, row.matchKey]],
  regionCode: a.divisionCode, programs: []} END) AS changes
"""

# What the record said, kept on the record so a split can make its entity later.
IDENTITIES: LiteralString = """
UNWIND $rows AS row
MATCH (rec:SourceRecord {key: $source + ':' + row.recordKey})
SET rec.name = row.name, rec.sex = row.sex, rec.birthDate = row.birthDate,
    rec.communityCode = row.communityCode
"""


@dataclass(frozen=True, slots=True)
class Decided:
    entity_id: str
    match_key: str
    score: float


async def decided(
    graph: Graph, source: str, label: Label, ends: Sequence[tuple[str, End]]
) -> dict[tuple[str, End], Decided]:
    """Earlier decisions for these records' ends (record key, end), if any."""
    rows = [{"key": record_key(source, key), "end": end.value} for key, end in ends]
    found = await graph.read(decided_statement(label), rows=rows)
    prefix = len(source) + 1
    return {
        (row["key"][prefix:], End(row["end"])): Decided(row["id"], row["matchKey"], row["score"])
        for row in found
    }


# A candidate as the queries return it: id, name, sex, birth date, division code.
CandidateRow = tuple[str, str, str | None, date | None, str | None]


async def candidates(
    graph: Graph, label: Label, rows: Sequence[dict[str, Any]]
) -> dict[int, list[CandidateRow]]:
    """For each row (`index` and what the label's query blocks on: a person's `name`,
    `birthDate`, `initials` and `place`, an organization's `names`, `prefix` and `county`), its
    candidates. Lists, not maps: a batch's candidates are hundreds of thousands."""
    found = await graph.read_raw(CANDIDATES[label], rows=list(rows), limit=CANDIDATE_LIMIT)
    return {
        row["index"]: [
            (id_, name or "", sex, date.fromisoformat(born) if born else None, code)
            for id_, name, sex, born, code in row["candidates"]
        ]
        for row in found
    }


Row = dict[str, Any]


def entity_statements(
    source: str,
    entities: Sequence[Row],
    possible: Sequence[Row],
    identities: Sequence[Row],
    label: Label = Label.PERSON,
) -> tuple[list[Statement], list[Statement]]:
    """What a batch's resolution writes before its relationships (new entities, their
    possible matches) and after them (the identities on the records)."""
    before: list[Statement] = []
    own = ENTITIES if label is Label.PERSON else ORGANIZATION_ENTITIES
    if entities:
        before.append((own, {"rows": list(entities), "source": source}))
    if possible:
        before.append((possibly_same_statement(label), {"rows": list(possible), "source": source}))
    after: list[Statement] = []
    if identities:
        after.append((IDENTITIES, {"rows": list(identities), "source": source}))
    return before, after


def moved(rel: LiteralString, start: LiteralString, end: LiteralString) -> LiteralString:
    """The change events of moving `r` (properties `props`) to `c`: deleted, then created;
    `start`/`end` name the old relationship's endpoints, `n` replaces `p` in the new one."""
    created_start: LiteralString = "n" if start == "p" else start
    created_end: LiteralString = "n" if end == "p" else end
    return (
        "RETURN collect({operation: 'RELATIONSHIP_DELETED', entity: '" + rel + "', "
        "entityId: " + start + ".id + '>" + rel + ">' + " + end + ".id + '@' + props.key, "
        "fields: [k IN keys(props) | [k, props[k], null]], regionCode: p.divisionCode, "
        "programs: []}) + collect({operation: 'RELATIONSHIP_CREATED', entity: '" + rel + "', "
        "entityId: " + created_start + ".id + '>" + rel + ">' + " + created_end + ".id + '@' "
        "+ props.key, fields: [k IN keys(props) | [k, null, props[k]]], "
        "regionCode: n.divisionCode, programs: []}) AS changes"
    )


def moves(spec: RelSpec) -> list[LiteralString]:
    """Statements moving a record's relationships of `spec` from one person to another,
    returning their change events."""
    rel = REL_TEXT[spec.rel]
    found: list[LiteralString] = []
    if spec.source is Label.PERSON:
        other = LABEL_TEXT[spec.target]
        found.append(
            "MATCH (p:Person {id: $from})-[r:" + rel + "]->(o:" + other + ") "
            "WHERE r.source = $source AND r.recordKey = $recordKey "
            "MATCH (n:Person {id: $to}) CREATE (n)-[c:" + rel + "]->(o) SET c = properties(r) "
            "WITH p, n, o, r, properties(r) AS props DELETE r " + moved(rel, "p", "o")
        )
    if spec.target is Label.PERSON:
        other = LABEL_TEXT[spec.source]
        found.append(
            "MATCH (p:Person {id: $from})<-[r:" + rel + "]-(o:" + other + ") "
            "WHERE r.source = $source AND r.recordKey = $recordKey "
            "MATCH (n:Person {id: $to}) CREATE (n)<-[c:" + rel + "]-(o) SET c = properties(r) "
            "WITH p, n, o, r, properties(r) AS props DELETE r " + moved(rel, "o", "p")
        )
    return found


MOVES: tuple[LiteralString, ...] = tuple(s for spec in RELATIONSHIPS for s in moves(spec))

# A decided record's possible matches are answered.
UNDECIDED: LiteralString = """
MATCH (a:Person {id: $from})-[r:POSSIBLY_SAME]->(b)
WHERE r.source = $source AND r.recordKey = $recordKey
WITH a, b, r, r.key AS key DELETE r
RETURN collect({operation: 'RELATIONSHIP_DELETED', entity: 'POSSIBLY_SAME',
  entityId: a.id + '>POSSIBLY_SAME>' + b.id + '@' + key, fields: [],
  regionCode: a.divisionCode, programs: []}) AS changes
"""

REDESCRIBE: LiteralString = """
MATCH (rec:SourceRecord {key: $key})-[d:DESCRIBES]->(:Person {id: $from})
MATCH (n:Person {id: $to})
DELETE d
MERGE (rec)-[e:DESCRIBES]->(n)
SET e.matchKey = $matchKey, e.score = $score, rec.decidedAt = datetime(), rec.decidedBy = $actor
"""

# A record's own entity that no record describes any more goes (with its POSSIBLY_SAME).
DROP_ORPHAN: LiteralString = """
MATCH (p:Person {id: $from}) WHERE p.idNumber IS NULL AND NOT (p)<-[:DESCRIBES]-()
WITH p, p.id AS id, p.divisionCode AS region
DETACH DELETE p
RETURN collect({operation: 'NODE_DELETED', entity: 'Person', entityId: id, fields: [],
  regionCode: region, programs: []}) AS changes
"""


def move_statements(
    record: Row, from_id: str, to_id: str, match_key: str, score: float, actor: str
) -> list[Statement]:
    """What moves a record (`SourceRecord` properties) and the relationships it stated from
    one person to another, answering its possible matches and dropping its own entity left
    behind; each statement returns its change events."""
    params = {
        "from": from_id,
        "to": to_id,
        "source": record["source"],
        "recordKey": record["recordKey"],
    }
    statements: list[Statement] = [(UNDECIDED, params)]
    statements += [(statement, params) for statement in MOVES]
    statements.append(
        (
            REDESCRIBE,
            {
                "key": record["key"],
                "from": from_id,
                "to": to_id,
                "matchKey": match_key,
                "score": score,
                "actor": actor,
            },
        )
    )
    statements.append((DROP_ORPHAN, {"from": from_id}))
    return statements


def identity_row(
    key: str, name: str, sex: str | None, birth_date: date, community_code: str | None
) -> Row:
    return {
        "recordKey": key,
        "name": name,
        "sex": sex,
        "birthDate": birth_date,
        "communityCode": community_code,
    }
