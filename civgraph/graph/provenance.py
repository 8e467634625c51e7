"""Provenance: the source records every node and relationship came from.

Each record of a source registry becomes a `SourceRecord` node (key `<source>:<record key>`,
with the file and line it was read from, first and last seen), written in the same
transaction as the facts it states. It `DESCRIBES` the entities it identified, with the
match key and score that tied it to each: the natural key and 1.0 when the record carried
it, the evidence and score of entity resolution when it did not. A relationship names its
record in its own `source` and `recordKey`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, LiteralString

from civgraph.graph.catalog import LABEL_TEXT, Label
from civgraph.graph.pickling import ByFields
from civgraph.graph.scope import Scoped, in_scope

# Merges the record of `row` (into `rec`); statements that use it bind `row` and `$source`.
# A transaction's records are seen at one instant (its clock), whichever statement wrote them.
RECORD: LiteralString = (
    " MERGE (rec:SourceRecord {key: $source + ':' + row.recordKey}) "
    "ON CREATE SET rec.id = randomUUID(), rec.source = $source, rec.recordKey = row.recordKey, "
    "rec.firstSeen = datetime.transaction() "
    "SET rec.file = row.file, rec.line = row.line, rec.lastSeen = datetime.transaction() "
)


def describes(
    node: LiteralString, match_key: LiteralString, score: LiteralString, var: LiteralString = "d"
) -> LiteralString:
    """Links the record `rec` to `node` with the match key and score in `row`'s fields."""
    return (
        " MERGE (rec)-[" + var + ":DESCRIBES]->(" + node + ") "
        "SET " + var + ".matchKey = row." + match_key + ", " + var + ".score = row." + score + " "
    )


def restated(
    keyed: Sequence[tuple[object, dict[str, Any]]],
    combine: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A batch's rows with one row per entity: rows stating the same one (same key) are
    combined in order, so the entity changes once a batch, as the rows one after another
    would leave it (one statement would see each row against the entity before the batch).
    Also returns the earlier rows whose source records the combined row does not carry (the
    last of each record key, as writing them in order would leave it)."""
    last: dict[object, dict[str, Any]] = {}
    earlier: dict[object, dict[str, dict[str, Any]]] = {}
    for key, row in keyed:
        if key in last:
            earlier.setdefault(key, {})[last[key]["recordKey"]] = last[key]
            last[key] = combine(last[key], row)
        else:
            last[key] = row
    records = [
        row
        for key, rows in earlier.items()
        for record, row in rows.items()
        if record != last[key]["recordKey"]
    ]
    return list(last.values()), records


@dataclass(frozen=True, slots=True)
class Origin(ByFields):
    """Where a written fact comes from: a source record, and how it identified the entity."""

    record_key: str
    file: str | None = None
    line: int | None = None
    match_key: str | None = None  # None: the entity's natural key, carried by the record
    score: float = 1.0

    def row(self, natural_key: str) -> dict[str, Any]:
        return {
            "recordKey": self.record_key,
            "file": self.file,
            "line": self.line,
            "matchKey": self.match_key or natural_key,
            "score": self.score,
        }


@dataclass(frozen=True, slots=True)
class SourceRef:
    """One source record describing an entity, as the API shows it."""

    source: str
    record_key: str
    file: str | None
    line: int | None
    first_seen: datetime
    last_seen: datetime
    match_key: str | None  # None: the record describes neither end of what it stated
    score: float | None


@cache
def sources_statement(label: Label) -> LiteralString:
    return (
        "UNWIND $ids AS id MATCH (n:" + LABEL_TEXT[label] + " {id: id}) "
        "WHERE " + in_scope("n", label) + " "
        "MATCH (n)<-[d:DESCRIBES]-(rec:SourceRecord) "
        "WITH id, rec, d ORDER BY rec.firstSeen, rec.key "
        "RETURN id, collect(rec {.*, matchKey: d.matchKey, score: d.score})[..$limit] AS records"
    )


async def sources_of(
    scoped: Scoped, label: Label, ids: Sequence[str], limit: int
) -> dict[str, list[SourceRef]]:
    """The source records describing each entity in scope (by platform id), oldest first;
    none for an entity outside it."""
    rows = await scoped.read(sources_statement(label), ids=list(ids), limit=limit)
    found: dict[str, list[SourceRef]] = {id_: [] for id_ in ids}
    for row in rows:
        found[row["id"]] = [
            SourceRef(
                source=rec["source"],
                record_key=rec["recordKey"],
                file=rec.get("file"),
                line=rec.get("line"),
                first_seen=rec["firstSeen"],
                last_seen=rec["lastSeen"],
                match_key=rec["matchKey"],
                score=rec["score"],
            )
            for rec in row["records"]
        ]
    return found
