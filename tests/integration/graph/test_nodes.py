from __future__ import annotations

from datetime import date

import pytest

from civgraph.graph import links, nodes
from civgraph.graph.catalog import Label, Rel, relationship
from civgraph.graph.driver import Graph
from civgraph.graph.models import (
    CommunityFields,
    CommunityKind,
    HouseholdFields,
    MemberRelation,
    Person,
    RegionFields,
    RegionLevel,
)
from tests import builders


async def test_upserting_again_keeps_ids_and_first_seen_and_adds_nothing(graph: Graph) -> None:
    await builders.regions(graph)
    before = await nodes.get_nodes_by_key(
        builders.seen_by(graph), Label.REGION, ["340000", builders.TOWNSHIP]
    )

    await builders.regions(graph)

    after = await nodes.get_nodes_by_key(
        builders.seen_by(graph), Label.REGION, ["340000", builders.TOWNSHIP]
    )
    assert {k: r.id for k, r in after.items()} == {k: r.id for k, r in before.items()}
    assert after["340000"].first_seen == before["340000"].first_seen
    assert after["340000"].last_seen >= before["340000"].last_seen
    assert await graph.read("MATCH (r:Region) RETURN count(r) AS n") == [{"n": 6}]


async def test_the_region_tree_is_drawn_from_parent_codes(graph: Graph) -> None:
    await builders.regions(graph)
    [county] = (
        await nodes.get_nodes_by_key(builders.seen_by(graph), Label.REGION, [builders.COUNTY])
    ).values()
    query = links.LinkQuery(relationship(Rel.PART_OF, Label.REGION, Label.REGION), outgoing=False)

    children = (await links.list_links(builders.seen_by(graph), query, [county.id]))[county.id]

    assert [link.other["code"] for link in children] == [builders.TOWNSHIP]
    assert children[0].source == builders.SOURCE


async def test_a_person_is_stored_with_what_the_id_number_encodes(graph: Graph) -> None:
    await builders.regions(graph)
    [number] = await builders.household(
        graph, "H-1", [("户主", date(1941, 12, 5), MemberRelation.HEAD)]
    )

    person = (await nodes.get_nodes_by_key(builders.seen_by(graph), Label.PERSON, [number]))[number]

    assert isinstance(person, Person)
    assert (person.birth_date, person.sex.value) == (date(1941, 12, 5), "MALE")
    assert person.division_code == builders.COMMUNITY  # from the household's community
    assert (await nodes.get_nodes(builders.seen_by(graph), Label.PERSON, [person.id]))[
        person.id
    ] == person


async def test_unknown_keys_and_ids_are_absent(graph: Graph) -> None:
    await builders.regions(graph)

    assert await nodes.get_nodes_by_key(builders.seen_by(graph), Label.REGION, ["349999"]) == {}
    assert await nodes.get_nodes(builders.seen_by(graph), Label.REGION, ["no-such-id"]) == {}


async def test_every_label_has_unique_id_and_natural_key_constraints(graph: Graph) -> None:
    rows = await graph.read("SHOW CONSTRAINTS YIELD labelsOrTypes, properties RETURN *")

    constrained = {(row["labelsOrTypes"][0], row["properties"][0]) for row in rows}
    for label in Label:
        assert (label.value, "id") in constrained


async def test_a_changed_code_moves_the_structural_relationship(graph: Graph) -> None:
    await builders.regions(graph)
    await builders.household(graph, "H-1", [("户主", date(1960, 1, 1), MemberRelation.HEAD)])

    moved = HouseholdFields(number="H-1", address="新址", community_code=builders.OTHER_COMMUNITY)
    await nodes.upsert_nodes(graph, [moved], builders.SOURCE)

    rows = await graph.read(
        "MATCH (:Household {number: 'H-1'})-[:REGISTERED_IN]->(c) RETURN c.code AS code"
    )
    assert rows == [{"code": builders.OTHER_COMMUNITY}]


async def test_a_batch_is_of_one_label(graph: Graph) -> None:
    region = RegionFields(code="340000", name="安徽省", level=RegionLevel.PROVINCE)
    community = CommunityFields(
        code=builders.COMMUNITY, name="x", kind=CommunityKind.URBAN, township_code=builders.TOWNSHIP
    )

    with pytest.raises(ValueError, match="one label"):
        await nodes.upsert_nodes(graph, [region, community], builders.SOURCE)
