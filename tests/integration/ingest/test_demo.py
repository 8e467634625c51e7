from __future__ import annotations

from civgraph.graph.driver import Graph
from civgraph.graph.migrations import has_data
from civgraph.ingest.demo import MEMBERS, load_demo

COUNTS = """
MATCH (n) WHERE NOT n:SchemaMigration
RETURN labels(n)[0] AS label, count(*) AS n ORDER BY label
"""


async def test_the_demo_dataset_loads_into_an_empty_database(graph: Graph) -> None:
    loaded = await load_demo(graph)

    assert loaded == len(MEMBERS)
    assert await has_data(graph)
    counts = {row["label"]: row["n"] for row in await graph.read(COUNTS)}
    assert counts == {"Community": 2, "Household": 3, "Person": 7, "Region": 6}


async def test_loading_the_demo_twice_changes_no_count(graph: Graph) -> None:
    await load_demo(graph)
    first = await graph.read(COUNTS)

    await load_demo(graph)

    assert await graph.read(COUNTS) == first
