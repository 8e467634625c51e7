"""Relationships of every type: upserts between natural keys, batched reads by platform id.

A relationship is identified by its endpoints, its type and its `key`: the start of its
period (ISO date) or `-` when it has none, so the same two entities can be linked again
for a later period (re-enrolled, re-appointed, remarried) without losing the earlier one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, LiteralString

from civgraph.graph.catalog import KEY, LABEL_TEXT, REL_TEXT, Label, Rel, RelSpec, position
from civgraph.graph.changes import SYSTEM, Context, Outbox
from civgraph.graph.driver import Graph, Row, Statement
from civgraph.graph.models import Link, LinkFields
from civgraph.graph.periods import in_effect
from civgraph.graph.pickling import ByFields
from civgraph.graph.provenance import RECORD, Origin, describes, restated
from civgraph.graph.scope import Scoped, in_scope

STANDARD = frozenset({"key", "since", "until", "source", "recordKey", "firstSeen", "lastSeen"})
NO_PERIOD = "-"

# Facts derived from a relationship when it is written, from the rows of `link_statements`
# (their `sourceKey` or `sourceId` names the relationship's source node).
DERIVED: dict[Rel, LiteralString] = {
    # A person's division code is that of the household they belong to now (the latest
    # current membership), and none when they belong to none; a change of it is recorded.
    Rel.MEMBER_OF: """
        UNWIND $rows AS row
        OPTIONAL MATCH (byKey:Person {idNumber: row.sourceKey})
        OPTIONAL MATCH (byId:Person {id: row.sourceId})
        WITH coalesce(byId, byKey) AS p WHERE p IS NOT NULL
        OPTIONAL MATCH (p)-[m:MEMBER_OF]->(h:Household) WHERE m.until IS NULL
        WITH p, h ORDER BY m.since DESC
        WITH p, collect(h)[0] AS current
        WITH DISTINCT p, current, p.divisionCode AS before
        WITH p, before, current.divisionCode AS after
        WHERE before IS NULL AND after IS NOT NULL OR before <> after
          OR before IS NOT NULL AND after IS NULL
        SET p.divisionCode = after, p.version = coalesce(p.version, 0) + 1
        RETURN collect({operation: 'NODE_UPDATED', entity: 'Person', entityId: p.id,
                fields: [['divisionCode', before, after]], regionCode: after,
                programs: []}) AS changes""",
}


@dataclass(frozen=True, slots=True)
class LinkInput(ByFields):
    source_key: str
    target_key: str
    props: LinkFields | None = None
    since: date | None = None
    until: date | None = None
    origin: Origin | None = None  # the source record; by default one keyed by the link
    source_id: str | None = None  # the source node's platform id, when it has no natural key
    target_id: str | None = None  # the same for the target node
    # What tells two relationships between the same nodes apart: the start of the period
    # by default; events without a period (donations, funding) pass their date or record.
    distinct_by: str | None = None
    # how the record identified the target when not by its natural key (match key, score)
    target_match: tuple[str, float] | None = None

    @property
    def key(self) -> str:
        if self.distinct_by is not None:
            return self.distinct_by
        return self.since.isoformat() if self.since else NO_PERIOD

    def row(self, spec: RelSpec) -> dict[str, Any]:
        origin = self.origin or Origin(f"{self.source_key}>{self.target_key}@{self.key}")
        return {
            "sourceKey": self.source_key,
            "sourceId": self.source_id,
            "targetKey": self.target_key,
            "targetId": self.target_id,
            "key": self.key,
            "props": self.props.properties() if self.props else {},
            "since": self.since,
            "until": self.until,
            "targetMatchKey": self.target_match[0] if self.target_match else KEY[spec.target],
            "targetScore": self.target_match[1] if self.target_match else 1.0,
        } | origin.row(KEY[spec.source])


@dataclass(frozen=True, slots=True)
class LinkQuery:
    """Which relationships to read from a batch of nodes, and which page of them."""

    spec: RelSpec
    outgoing: bool = True  # from spec.source to spec.target; False reads them backwards
    as_of: date | None = None
    first: int = 1000
    after: tuple[str, str] | None = None  # (other node's natural key, relationship key)

    @property
    def near(self) -> Label:
        return self.spec.source if self.outgoing else self.spec.target

    @property
    def far(self) -> Label:
        return self.spec.target if self.outgoing else self.spec.source


def endpoint_match(
    label: Label, var: LiteralString, field: LiteralString, by_id: bool, carried: LiteralString
) -> LiteralString:
    """Finds node `var` of `row` by natural key (`row.<field>Key`), or (`by_id`) by platform
    id (`row.<field>Id`) where the row has one; `carried` are the variables bound so far."""
    name, key = LABEL_TEXT[label], KEY[label]
    if not by_id:
        return "MATCH (" + var + ":" + name + " {" + key + ": row." + field + "Key}) "
    return (
        "OPTIONAL MATCH (byKey:" + name + " {" + key + ": row." + field + "Key}) "
        "OPTIONAL MATCH (byId:" + name + " {id: row." + field + "Id}) "
        "WITH " + carried + ", coalesce(byId, byKey) AS " + var + " WHERE " + var + " IS NOT NULL "
    )


@cache
def upsert_statement(spec: RelSpec, by_id: bool = False) -> LiteralString:
    """Creates or updates relationships between nodes found by natural key (or, `by_id`, by
    platform id where a row has one); writes a relationship only when it is new or a
    property or the period changes (provenance and `lastSeen` with it, `version` bumped)
    and returns the changes for the change feed (one row: `linked` positions and `changes`)."""
    rel = REL_TEXT[spec.rel]
    programs: LiteralString = "[t.code]" if spec.target is Label.PROGRAM else "[]"
    return (
        "UNWIND $rows AS row "
        + endpoint_match(spec.source, "s", "source", by_id, "row")
        + endpoint_match(spec.target, "t", "target", by_id, "row, s")
        + "MERGE (s)-[r:" + rel + " {key: row.key}]->(t) "
        "ON CREATE SET r.firstSeen = datetime(), r.version = 0 "
        "WITH s, t, r, row, row.props AS props, r.version = 0 AS created "
        "WITH s, t, r, row, created, props {.*, since: row.since, until: row.until} AS after "
        "WITH s, t, r, row, created, after, [k IN keys(after) WHERE NOT (r[k] IS NULL "
        "AND after[k] IS NULL) AND (created OR r[k] IS NULL OR after[k] IS NULL "
        "OR r[k] <> after[k]) | [k, CASE WHEN created THEN null ELSE r[k] END, after[k]]] "
        "AS changed "
        "FOREACH (_ IN CASE WHEN created OR size(changed) > 0 THEN [1] ELSE [] END | "
        "SET r += row.props, r.since = row.since, r.until = row.until, r.source = $source, "
        "r.recordKey = row.recordKey, r.lastSeen = datetime(), "
        "r.version = coalesce(r.version, 0) + 1) "
        "WITH s, t, row, after, created, changed"
        + RECORD
        + describes("s", "matchKey", "score")
        + described_target(spec, by_id)
        + "RETURN collect(row.index) AS linked, "
        "collect(CASE WHEN created OR size(changed) > 0 THEN {operation: "
        "CASE WHEN created THEN 'RELATIONSHIP_CREATED' "
        "WHEN 'until' IN [c IN changed | c[0]] AND after.until IS NOT NULL "
        "THEN 'RELATIONSHIP_ENDED' "
        "ELSE 'RELATIONSHIP_UPDATED' END, entity: '" + rel + "', "
        "entityId: s.id + '>" + rel + ">' + t.id + '@' + row.key, "
        "fields: changed, "
        "regionCode: coalesce(s.divisionCode, t.divisionCode), programs: " + programs + "} "
        "END) AS changes"
    )  # fmt: skip


def described_target(spec: RelSpec, by_id: bool) -> LiteralString:
    """A record linking two people (a marriage) describes both; otherwise its subject, and
    its target when entity resolution found it (`row.targetId`: an organization named
    without a USCC). The target's `DESCRIBES` has role `target`."""
    role: LiteralString = "SET dt.role = 'target' "
    if spec.source is spec.target:
        return describes("t", "targetMatchKey", "targetScore", "dt") + role
    if not by_id:
        return ""
    return (
        " FOREACH (_ IN CASE WHEN row.targetId IS NULL THEN [] ELSE [1] END | "
        + describes("t", "targetMatchKey", "targetScore", "dt")
        + role
        + ") "
    )


@cache
def restated_statement(spec: RelSpec, by_id: bool = False) -> LiteralString:
    """The source records of rows `link_statements` combined into a later row of the batch."""
    return (
        "UNWIND $rows AS row "
        + endpoint_match(spec.source, "s", "source", by_id, "row")
        + endpoint_match(spec.target, "t", "target", by_id, "row, s")
        + "WITH s, t, row"
        + RECORD
        + describes("s", "matchKey", "score")
        + described_target(spec, by_id)
    )


@cache
def list_statement(spec: RelSpec, outgoing: bool) -> LiteralString:
    """A page of each node's relationships, ordered by the other node's natural key (its
    platform id when it has none: a person known only from records without an ID); those
    whose other node lies outside `$scope` are left out."""
    near = LABEL_TEXT[spec.source] if outgoing else LABEL_TEXT[spec.target]
    far = LABEL_TEXT[spec.target] if outgoing else LABEL_TEXT[spec.source]
    far_label = spec.target if outgoing else spec.source
    arrow: LiteralString = (
        "-[r:" + REL_TEXT[spec.rel] + "]->" if outgoing else "<-[r:" + REL_TEXT[spec.rel] + "]-"
    )
    return (
        "UNWIND $keys AS key MATCH (n:" + near + " {id: key}) "
        "CALL (n) { MATCH (n)" + arrow + "(o:" + far + ") "
        "WHERE ($asOf IS NULL OR (" + in_effect("r") + ")) AND " + in_scope("o", far_label) + " "
        "WITH r, o, " + position("o", far_label) + " AS position "
        "WHERE $afterKey IS NULL OR position > $afterKey "
        "OR (position = $afterKey AND r.key > $afterRel) "
        "RETURN r, o, position ORDER BY position, r.key LIMIT $limit } "
        "RETURN key, r {.*} AS rel, o {.*} AS other, position"
    )


async def upsert_links(graph: Graph, spec: RelSpec, links: Sequence[LinkInput], source: str) -> int:
    """Creates or updates relationships between existing nodes, in one transaction;
    returns how many were written. A link whose endpoint does not exist is not created
    (the count says so)."""
    return len(await link_all(graph, spec, links, source))


async def link_all(
    graph: Graph, spec: RelSpec, links: Sequence[LinkInput], source: str
) -> set[int]:
    """As `upsert_links`, returning the positions (in `links`) of those written."""
    if not links:
        return set()
    outbox = Outbox(Context(source, SYSTEM))
    results = await graph.write_all(link_statements(spec, links, source), outbox)
    return written(results[0])


def link_statements(spec: RelSpec, links: Sequence[LinkInput], source: str) -> list[Statement]:
    """The statements `link_all` runs; the first one's rows say which links were written."""
    rows, records = restated(
        [(identity(row), row | {"index": [index]})
         for index, row in enumerate(link.row(spec) for link in links)],
        lambda before, row: row | {"props": before["props"] | row["props"],
                                   "index": before["index"] + row["index"]},
    )  # fmt: skip
    by_id = any(link.source_id or link.target_id for link in links)
    statement = upsert_statement(spec, by_id)
    statements: list[Statement] = [(statement, {"rows": rows, "source": source})]
    if records:
        statements.append((restated_statement(spec, by_id), {"rows": records, "source": source}))
    if spec.rel in DERIVED:
        statements.append((DERIVED[spec.rel], {"rows": rows}))
    return statements


def identity(row: dict[str, Any]) -> tuple[Any, ...]:
    """What tells a relationship row's relationship apart: its endpoints and key."""
    return row["sourceKey"], row["sourceId"], row["targetKey"], row["targetId"], row["key"]


def written(rows: Sequence[Row]) -> set[int]:
    """Positions of the links the first of `link_statements` wrote, from its rows (each row
    stands for the positions of the links it combines)."""
    return {int(index) for row in rows for indexes in row["linked"] for index in indexes}


async def list_links(scoped: Scoped, query: LinkQuery, ids: Sequence[str]) -> dict[str, list[Link]]:
    """The relationships of each node (by platform id) to nodes in scope, ordered by the
    other node's natural key; at most `query.first + 1` each, so a caller can tell whether
    more follow."""
    after_key, after_rel = query.after or (None, None)
    rows = await scoped.read(
        list_statement(query.spec, query.outgoing),
        keys=list(ids),
        asOf=query.as_of,
        afterKey=after_key,
        afterRel=after_rel,
        limit=query.first + 1,
    )
    found: dict[str, list[Link]] = {key: [] for key in ids}
    for row in rows:
        rel: dict[str, Any] = row["rel"]
        found[row["key"]].append(
            Link(
                key=rel.get("key", NO_PERIOD),
                props={k: v for k, v in rel.items() if k not in STANDARD},
                since=rel.get("since"),
                until=rel.get("until"),
                source=rel["source"],
                record_key=rel["recordKey"],
                first_seen=rel["firstSeen"],
                last_seen=rel["lastSeen"],
                other_label=query.far,
                other=row["other"],
                position=row["position"],
            )
        )
    return found
