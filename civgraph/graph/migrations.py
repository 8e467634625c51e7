"""Schema migrations: constraints and indexes, applied idempotently and recorded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import LiteralString

import structlog

from civgraph.graph.driver import Graph

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class Migration:
    id: str
    statements: tuple[LiteralString, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "0001-natural-keys",
        (
            "CREATE CONSTRAINT region_id IF NOT EXISTS FOR (n:Region) REQUIRE n.id IS UNIQUE",
            "CREATE CONSTRAINT region_code IF NOT EXISTS FOR (n:Region) REQUIRE n.code IS UNIQUE",
            "CREATE CONSTRAINT community_id IF NOT EXISTS FOR (n:Community) REQUIRE n.id IS UNIQUE",
            "CREATE CONSTRAINT community_code IF NOT EXISTS "
            "FOR (n:Community) REQUIRE n.code IS UNIQUE",
            "CREATE CONSTRAINT household_id IF NOT EXISTS FOR (n:Household) REQUIRE n.id IS UNIQUE",
            "CREATE CONSTRAINT household_number IF NOT EXISTS "
            "FOR (n:Household) REQUIRE n.number IS UNIQUE",
            "CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE",
            "CREATE CONSTRAINT person_id_number IF NOT EXISTS "
            "FOR (n:Person) REQUIRE n.idNumber IS UNIQUE",
            "CREATE CONSTRAINT migration_id IF NOT EXISTS "
            "FOR (n:SchemaMigration) REQUIRE n.id IS UNIQUE",
        ),
    ),
    Migration(
        "0002-person-name",
        ("CREATE INDEX person_name IF NOT EXISTS FOR (n:Person) ON (n.name)",),
    ),
)

LIST_APPLIED: LiteralString = "MATCH (m:SchemaMigration) RETURN m.id AS id"
RECORD_APPLIED: LiteralString = (
    "MERGE (m:SchemaMigration {id: $id}) ON CREATE SET m.appliedAt = datetime()"
)
AWAIT_INDEXES: LiteralString = "CALL db.awaitIndexes(300)"
COUNT_DATA_NODES: LiteralString = (
    "MATCH (n) WHERE NOT n:SchemaMigration RETURN count(n) > 0 AS hasData"
)


async def migrate(graph: Graph) -> list[str]:
    """Applies the migrations not yet recorded; returns their ids. Safe to run concurrently."""
    applied = {row["id"] for row in await graph.read(LIST_APPLIED)}
    newly_applied = []
    for migration in MIGRATIONS:
        if migration.id in applied:
            continue
        for statement in migration.statements:  # each is IF NOT EXISTS: a rerun is harmless
            await graph.run_schema(statement)
        await graph.write(RECORD_APPLIED, id=migration.id)
        log.info("migration applied", migration=migration.id)
        newly_applied.append(migration.id)
    await graph.run_schema(AWAIT_INDEXES)
    return newly_applied


async def has_data(graph: Graph) -> bool:
    rows = await graph.read(COUNT_DATA_NODES)
    return bool(rows[0]["hasData"])
