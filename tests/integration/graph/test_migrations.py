from __future__ import annotations

from civgraph.graph.driver import Graph
from civgraph.graph.migrations import MIGRATIONS, has_data, migrate


async def test_migrations_already_applied_are_not_applied_again(graph: Graph) -> None:
    assert await migrate(graph) == []


async def test_every_natural_key_has_a_uniqueness_constraint(graph: Graph) -> None:
    rows = await graph.read("SHOW CONSTRAINTS YIELD name, type RETURN name, type")

    constraints = {row["name"]: row["type"] for row in rows}
    for name in (
        "region_code",
        "community_code",
        "household_number",
        "person_id_number",
        "person_id",
    ):
        assert constraints[name] == "UNIQUENESS"


async def test_each_migration_is_recorded(graph: Graph) -> None:
    rows = await graph.read("MATCH (m:SchemaMigration) RETURN m.id AS id ORDER BY id")

    assert [row["id"] for row in rows] == [migration.id for migration in MIGRATIONS]


async def test_an_empty_database_has_no_data(graph: Graph) -> None:
    assert not await has_data(graph)
