"""Nodes of every label: upserts by natural key, lookups by platform id or natural key."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import LiteralString

from civgraph.graph.catalog import KEY, LABEL_TEXT, Label
from civgraph.graph.changes import SYSTEM, Context, Outbox
from civgraph.graph.driver import Graph, Statement
from civgraph.graph.models import NodeFields, Stored, stored
from civgraph.graph.provenance import RECORD, Origin, describes, restated
from civgraph.graph.scope import Scoped, in_scope

# Structural relationships drawn from a node's own properties when it is upserted; they
# carry the node's provenance.
# Written when the relationship is created: an unchanged one is not written again.
PROVENANCE: LiteralString = (
    " ON CREATE SET r.source = n.source, r.recordKey = n.recordKey, "
    "r.firstSeen = datetime(), r.lastSeen = datetime()"
)
# A structural relationship follows the node's code: the one to an old target goes.
REPLACE_STALE: LiteralString = (
    " WITH n, o CALL (n, o) { MATCH (n)-[stale:PART_OF|REGISTERED_IN|LOCATED_IN]->(old) "
    "WHERE old <> o DELETE stale }"
)
STRUCTURE: dict[Label, LiteralString] = {
    Label.REGION: "UNWIND $keys AS key MATCH (n:Region {code: key}) "
    "MATCH (o:Region {code: n.parentCode}) MERGE (n)-[r:PART_OF {key: '-'}]->(o)"
    + PROVENANCE
    + REPLACE_STALE,
    Label.COMMUNITY: "UNWIND $keys AS key MATCH (n:Community {code: key}) "
    "MATCH (o:Region {code: n.townshipCode}) MERGE (n)-[r:PART_OF {key: '-'}]->(o)"
    + PROVENANCE
    + REPLACE_STALE,
    Label.HOUSEHOLD: "UNWIND $keys AS key MATCH (n:Household {number: key}) "
    "MATCH (o:Community {code: n.communityCode}) MERGE (n)-[r:REGISTERED_IN {key: '-'}]->(o)"
    + PROVENANCE
    + REPLACE_STALE,
    Label.FACILITY: "UNWIND $keys AS key MATCH (n:Facility {code: key}) "
    "MATCH (o:Community {code: n.divisionCode}) MERGE (n)-[r:LOCATED_IN {key: '-'}]->(o)"
    + PROVENANCE
    + REPLACE_STALE,
    # An organization is located in its region (a community's township for 12-digit codes).
    Label.ORGANIZATION: "UNWIND $keys AS key MATCH (n:Organization {uscc: key}) "
    "MATCH (o:Region {code: CASE size(n.divisionCode) WHEN 12 THEN left(n.divisionCode, 9) "
    "ELSE n.divisionCode END}) MERGE (n)-[r:LOCATED_IN {key: '-'}]->(o)"
    + PROVENANCE
    + REPLACE_STALE,
}


@cache
def upsert_statement(label: Label) -> LiteralString:
    """Creates or updates nodes by natural key; writes a node only when a field changes
    (its provenance and `lastSeen` with it, `version` bumped) and returns the changes for the
    change feed (one row: `changes`). The record is written, and describes the node, either
    way: when a record was last read is its own `lastSeen`."""
    name, key = LABEL_TEXT[label], KEY[label]
    return (
        "UNWIND $rows AS row MERGE (n:" + name + " {" + key + ": row.props." + key + "}) "
        "ON CREATE SET n.id = randomUUID(), n.firstSeen = datetime(), n.version = 0 "
        "WITH n, row, CASE WHEN n.version = 0 "
        "THEN [k IN keys(row.props) | [k, null, row.props[k]]] "
        "ELSE [k IN keys(row.props) WHERE n[k] IS NULL OR n[k] <> row.props[k] "
        "| [k, n[k], row.props[k]]] END AS changed, n.version = 0 AS created "
        "FOREACH (_ IN CASE WHEN size(changed) > 0 THEN [1] ELSE [] END | "
        "SET n += row.props, n.source = $source, n.recordKey = row.recordKey, "
        "n.lastSeen = datetime(), n.version = coalesce(n.version, 0) + 1) "
        "WITH n, row, changed, created" + RECORD + describes("n", "matchKey", "score") + " "
        "RETURN collect(CASE WHEN size(changed) > 0 THEN {operation: CASE WHEN created "
        "THEN 'NODE_CREATED' ELSE 'NODE_UPDATED' END, entity: '" + name + "', "
        "entityId: n.id, fields: changed, "
        "regionCode: n.divisionCode, programs: []} END) AS changes"
    )


@cache
def restated_statement(label: Label) -> LiteralString:
    """The source records of rows `node_statements` combined into a later row of the batch."""
    name, key = LABEL_TEXT[label], KEY[label]
    return (
        "UNWIND $rows AS row MATCH (n:" + name + " {" + key + ": row.props." + key + "}) "
        "WITH n, row" + RECORD + describes("n", "matchKey", "score")
    )


@cache
def by_id_statement(label: Label) -> LiteralString:
    """Nodes by platform id, those in `$scope` only (null: all)."""
    return (
        "UNWIND $keys AS key MATCH (n:" + LABEL_TEXT[label] + " {id: key}) "
        "WHERE " + in_scope("n", label) + " RETURN key, n {.*} AS node"
    )


@cache
def by_key_statement(label: Label) -> LiteralString:
    """Nodes by natural key, those in `$scope` only (null: all)."""
    name, key = LABEL_TEXT[label], KEY[label]
    return (
        "UNWIND $keys AS key MATCH (n:" + name + " {" + key + ": key}) "
        "WHERE " + in_scope("n", label) + " RETURN key, n {.*} AS node"
    )


def natural_key(record: NodeFields) -> str:
    return str(record.properties()[KEY[record.label]])


async def upsert_nodes(
    graph: Graph,
    records: Sequence[NodeFields],
    source: str,
    origins: Sequence[Origin] | None = None,
) -> None:
    """Creates or updates nodes of one label by natural key, in one transaction; `origins`
    name the source records (by default records keyed by the natural keys)."""
    if records:
        outbox = Outbox(Context(source, SYSTEM))
        await graph.write_all(node_statements(records, source, origins), outbox)


def node_statements(
    records: Sequence[NodeFields], source: str, origins: Sequence[Origin] | None = None
) -> list[Statement]:
    """The statements `upsert_nodes` runs, for callers that batch several in a transaction."""
    if not records:
        return []
    label = records[0].label
    if any(record.label is not label for record in records):
        raise ValueError("upsert_nodes takes records of one label at a time")
    props = [record.properties() for record in records]  # a model dump each: once
    keys = [str(p[KEY[label]]) for p in props]
    origins = origins or [Origin(key) for key in keys]
    rows, earlier = restated(
        [
            (key, {"props": given} | origin.row(KEY[label]))
            for key, given, origin in zip(keys, props, origins, strict=True)
        ],
        lambda before, row: row | {"props": before["props"] | row["props"]},
    )
    statements: list[Statement] = [(upsert_statement(label), {"rows": rows, "source": source})]
    if earlier:
        statements.append((restated_statement(label), {"rows": earlier, "source": source}))
    if label in STRUCTURE:
        statements.append((STRUCTURE[label], {"keys": list(dict.fromkeys(keys))}))
    return statements


async def get_nodes(scoped: Scoped, label: Label, ids: Sequence[str]) -> dict[str, Stored]:
    """Nodes of `label` by platform id; ids with no such node (in scope) are absent."""
    rows = await scoped.read(by_id_statement(label), keys=list(ids))
    return {row["key"]: stored(label, row["node"]) for row in rows}


async def get_nodes_by_key(scoped: Scoped, label: Label, keys: Sequence[str]) -> dict[str, Stored]:
    """Nodes of `label` by natural key (resident ID, USCC, code, …), in scope."""
    rows = await scoped.read(by_key_statement(label), keys=list(keys))
    return {row["key"]: stored(label, row["node"]) for row in rows}
