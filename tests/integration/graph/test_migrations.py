from __future__ import annotations

from civgraph.graph.catalog import KEY, Label
from civgraph.graph.driver import Graph
from civgraph.graph.migrations import MIGRATIONS, has_data, migrate


async def test_migrations_already_applied_are_not_applied_again(graph: Graph) -> None:
    assert await migrate(graph) == []


async def test_every_natural_key_has_a_uniqueness_constraint(graph: Graph) -> None:
    rows = await graph.read("SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type RETURN *")

    unique = {
        (r["labelsOrTypes"][0], r["properties"][0]) for r in rows if r["type"] == "UNIQUENESS"
    }
    assert {(label.value, KEY[label]) for label in Label} <= unique


async def test_names_and_addresses_have_a_cjk_full_text_index(graph: Graph) -> None:
    rows = await graph.read(
        "SHOW FULLTEXT INDEXES YIELD name, labelsOrTypes, properties, options RETURN *"
    )

    [index] = [row for row in rows if row["name"] == "entity_text"]
    assert set(index["labelsOrTypes"]) == {"Person", "Organization", "Facility", "Community"}
    assert index["options"]["indexConfig"]["fulltext.analyzer"] == "cjk"


async def test_each_migration_is_recorded(graph: Graph) -> None:
    rows = await graph.read("MATCH (m:SchemaMigration) RETURN m.id AS id ORDER BY id")

    assert [row["id"] for row in rows] == [migration.id for migration in MIGRATIONS]


async def test_an_empty_database_has_no_data(graph: Graph) -> None:
    assert not await has_data(graph)
