"""Schema migrations: constraints and indexes, applied idempotently and recorded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, LiteralString

import structlog

from civgraph.graph.catalog import INDEXED, KEY, LABEL_TEXT, Label
from civgraph.graph.driver import Graph

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class Migration:
    id: str
    statements: tuple[LiteralString, ...]


def unique(label: LiteralString, prop: LiteralString) -> LiteralString:
    return (
        "CREATE CONSTRAINT " + label.lower() + "_" + prop.lower() + " IF NOT EXISTS "
        "FOR (n:" + label + ") REQUIRE n." + prop + " IS UNIQUE"
    )


def indexed(label: LiteralString, prop: LiteralString) -> LiteralString:
    return (
        "CREATE INDEX " + label.lower() + "_" + prop.lower() + " IF NOT EXISTS "
        "FOR (n:" + label + ") ON (n." + prop + ")"
    )


def rel_indexed(rel: LiteralString, prop: LiteralString) -> LiteralString:
    return (
        "CREATE INDEX rel_" + rel.lower() + "_" + prop.lower() + " IF NOT EXISTS "
        "FOR ()-[r:" + rel + "]-() ON (r." + prop + ")"
    )


# Chinese names and addresses: the cjk analyzer indexes character bigrams.
FULLTEXT: LiteralString = (
    "CREATE FULLTEXT INDEX entity_text IF NOT EXISTS "
    "FOR (n:Person|Organization|Facility|Community) ON EACH [n.name, n.address] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}"
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "0001-unique-keys",
        (
            *(unique(LABEL_TEXT[label], "id") for label in Label),
            *(unique(LABEL_TEXT[label], KEY[label]) for label in Label),
            "CREATE CONSTRAINT schemamigration_id IF NOT EXISTS "
            "FOR (n:SchemaMigration) REQUIRE n.id IS UNIQUE",
        ),
    ),
    Migration(
        "0002-filter-indexes",
        (
            *(indexed(LABEL_TEXT[label], prop) for label in Label for prop in INDEXED[label]),
            rel_indexed("ENROLLED_IN", "since"),
            rel_indexed("ENROLLED_IN", "until"),
            rel_indexed("HOLDS_POST", "leading"),
        ),
    ),
    Migration("0003-fulltext-cjk", (FULLTEXT,)),
    Migration(
        "0004-change-feed",
        (
            "CREATE CONSTRAINT changesequence_id IF NOT EXISTS "
            "FOR (n:ChangeSequence) REQUIRE n.id IS UNIQUE",
            indexed("ChangeBatch", "tx"),
            indexed("ChangeBatch", "at"),
        ),
    ),
    Migration(
        "0005-access-control",
        (
            "CREATE CONSTRAINT apikey_id IF NOT EXISTS FOR (n:ApiKey) REQUIRE n.id IS UNIQUE",
            indexed("AuditEntry", "at"),
            indexed("AuditEntry", "actor"),
        ),
    ),
    Migration(
        "0006-finding-reviews",
        (
            "CREATE CONSTRAINT findingreview_id IF NOT EXISTS "
            "FOR (n:FindingReview) REQUIRE n.id IS UNIQUE",
        ),
    ),
    Migration(
        "0007-plan-targets",
        (
            "CREATE CONSTRAINT plantarget_id IF NOT EXISTS "
            "FOR (n:PlanTarget) REQUIRE n.id IS UNIQUE",
        ),
    ),
    # Entity resolution's namesakes where they could be likely matches: one seek for the
    # name and the place's prefix (`resolution.PERSON_CANDIDATES`). Without it, at ten
    # million people, the candidate query read every namesake's division code (~2,600 a
    # record) and took 8.3 s a batch of 2,000; with it, 0.8 s.
    Migration(
        "0008-namesakes-by-place",
        (
            "CREATE INDEX person_name_divisioncode IF NOT EXISTS "
            "FOR (n:Person) ON (n.name, n.divisionCode)",
        ),
    ),
)
# Platform bookkeeping, not data: an empty database may hold these.
BOOKKEEPING: LiteralString = (
    "NOT n:SchemaMigration AND NOT n:ChangeSequence AND NOT n:ApiKey AND NOT n:AuditEntry "
    "AND NOT n:PlanTarget"
)

# Bookkeeping a first load keeps (`civgraph load --initial` writes a new store): migrations
# are applied again instead. None of these nodes has relationships.
KEPT: tuple[LiteralString, ...] = ("ChangeSequence", "ApiKey", "AuditEntry", "PlanTarget")

LIST_APPLIED: LiteralString = "MATCH (m:SchemaMigration) RETURN m.id AS id"
RECORD_APPLIED: LiteralString = (
    "MERGE (m:SchemaMigration {id: $id}) ON CREATE SET m.appliedAt = datetime()"
)
AWAIT_INDEXES: LiteralString = "CALL db.awaitIndexes($seconds)"
COUNT_DATA_NODES: LiteralString = (
    "MATCH (n) WHERE " + BOOKKEEPING + " RETURN count(n) > 0 AS hasData"
)


async def migrate(graph: Graph, index_wait: int = 300) -> list[str]:
    """Applies the migrations not yet recorded, then waits up to `index_wait` seconds for
    the indexes to come online; returns their ids. Safe to run concurrently."""
    applied = {row["id"] for row in await graph.read(LIST_APPLIED)}
    newly_applied = []
    for migration in MIGRATIONS:
        if migration.id in applied:
            continue
        for statement in migration.statements:  # each is IF NOT EXISTS: a rerun is harmless
            await graph.run_auto(statement)
        await graph.write(RECORD_APPLIED, id=migration.id)
        log.info("migration applied", migration=migration.id)
        newly_applied.append(migration.id)
    await graph.run_auto(AWAIT_INDEXES, seconds=index_wait)
    return newly_applied


async def has_data(graph: Graph) -> bool:
    rows = await graph.read(COUNT_DATA_NODES)
    return bool(rows[0]["hasData"])


async def read_kept(graph: Graph) -> dict[str, list[dict[str, Any]]]:
    """The bookkeeping nodes a new store must keep, by label (`KEPT`)."""
    return {
        label: [row["props"] for row in await graph.read(
            "MATCH (n:" + label + ") RETURN properties(n) AS props")]
        for label in KEPT
    }  # fmt: skip


async def restore_kept(graph: Graph, kept: dict[str, list[dict[str, Any]]]) -> None:
    """Puts the kept bookkeeping nodes back, in place of any there (so again is the same)."""
    await graph.write_all([
        ("MATCH (n:" + label + ") DETACH DELETE n WITH count(*) AS gone "
         "UNWIND $rows AS row CREATE (n:" + label + ") SET n = row", {"rows": kept.get(label, [])})
        for label in KEPT
    ])  # fmt: skip
