from __future__ import annotations

from datetime import date

from civgraph.graph import households, people
from civgraph.graph.driver import Graph
from civgraph.graph.models import MemberRelation
from tests import builders


async def test_members_come_head_first_then_by_age(graph: Graph) -> None:
    await builders.county_with_community(graph)
    await builders.household(
        graph,
        "H-1",
        [
            ("孙女", date(2010, 5, 1), MemberRelation.CHILD),
            ("户主", date(1970, 1, 1), MemberRelation.HEAD),
            ("父亲", date(1940, 1, 1), MemberRelation.PARENT),
        ],
    )
    [household] = (await households.list_community_households(graph, [builders.COMMUNITY]))[
        builders.COMMUNITY
    ]

    members = (await households.list_household_members(graph, [household.id]))[household.id]

    assert [m.person.name for m in members] == ["户主", "父亲", "孙女"]
    assert [m.relation for m in members] == [
        MemberRelation.HEAD,
        MemberRelation.PARENT,
        MemberRelation.CHILD,
    ]


async def test_a_persons_memberships_name_the_household(graph: Graph) -> None:
    await builders.county_with_community(graph)
    [number] = await builders.household(
        graph, "H-2", [("户主", date(1980, 2, 2), MemberRelation.HEAD)]
    )
    person = (await people.get_people_by_id_number(graph, [number]))[number]

    memberships = (await households.list_person_memberships(graph, [person.id]))[person.id]

    household = await households.get_households_by_id(graph, [memberships[0].household_id])
    assert [h.number for h in household.values()] == ["H-2"]


async def test_loading_a_household_twice_duplicates_nothing(graph: Graph) -> None:
    await builders.county_with_community(graph)
    members = [
        ("户主", date(1980, 2, 2), MemberRelation.HEAD),
        ("配偶", date(1982, 3, 3), MemberRelation.SPOUSE),
    ]

    await builders.household(graph, "H-3", members)
    await builders.household(graph, "H-3", members)

    rows = await graph.read(
        "MATCH (p:Person)-[m:MEMBER_OF]->(h:Household) RETURN count(DISTINCT p) AS people, "
        "count(m) AS memberships, count(DISTINCT h) AS households"
    )
    assert rows == [{"people": 2, "memberships": 2, "households": 1}]


async def test_a_batch_lookup_returns_an_empty_list_for_a_household_without_members(
    graph: Graph,
) -> None:
    await builders.county_with_community(graph)
    await builders.household(graph, "H-4", [])
    [household] = (await households.list_community_households(graph, [builders.COMMUNITY]))[
        builders.COMMUNITY
    ]

    assert await households.list_household_members(graph, [household.id, "missing"]) == {
        household.id: [],
        "missing": [],
    }
