from __future__ import annotations

from civgraph.graph import communities, regions
from civgraph.graph.driver import Graph
from tests import builders


async def test_regions_form_a_tree_with_children_in_code_order(graph: Graph) -> None:
    await builders.county_with_community(graph)

    children = await regions.list_child_regions(graph, ["340000", "340100", "340121001"])

    assert [r.code for r in children["340000"]] == ["340100"]
    assert [r.code for r in children["340100"]] == ["340121"]
    assert children["340121001"] == []


async def test_upserting_again_keeps_ids_and_adds_nothing(graph: Graph) -> None:
    await builders.county_with_community(graph)
    before = await regions.get_regions_by_code(graph, ["340000", "340121001"])

    await builders.county_with_community(graph)

    after = await regions.get_regions_by_code(graph, ["340000", "340121001"])
    assert {k: r.id for k, r in after.items()} == {k: r.id for k, r in before.items()}
    rows = await graph.read("MATCH (r:Region) RETURN count(r) AS n")
    assert rows == [{"n": 4}]
    assert after["340000"].last_seen >= before["340000"].last_seen
    assert after["340000"].first_seen == before["340000"].first_seen


async def test_records_carry_their_provenance(graph: Graph) -> None:
    await builders.county_with_community(graph)

    found = await communities.get_communities_by_code(graph, [builders.COMMUNITY])

    community = found[builders.COMMUNITY]
    assert (community.source, community.record_key) == (builders.SOURCE, builders.COMMUNITY)
    assert community.township_code == builders.TOWNSHIP


async def test_unknown_keys_are_absent_from_lookups(graph: Graph) -> None:
    await builders.county_with_community(graph)

    assert await regions.get_regions_by_code(graph, ["349999"]) == {}
