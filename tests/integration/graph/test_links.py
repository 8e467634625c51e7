from __future__ import annotations

from datetime import date

from civgraph.graph import links, nodes
from civgraph.graph.catalog import Label, Rel, relationship
from civgraph.graph.driver import Graph
from civgraph.graph.models import MemberRelation, ProgramCode
from tests import builders

ENROLLED = relationship(Rel.ENROLLED_IN, Label.HOUSEHOLD, Label.PROGRAM)


async def a_household(graph: Graph) -> str:
    await builders.regions(graph)
    await builders.programs(graph)
    await builders.household(graph, "H-1", [("户主", date(1960, 1, 1), MemberRelation.HEAD)])
    [household] = (await nodes.get_nodes_by_key(graph, Label.HOUSEHOLD, ["H-1"])).values()
    return household.id


async def test_a_second_period_is_a_second_relationship(graph: Graph) -> None:
    household = await a_household(graph)
    dibao = ProgramCode.DIBAO_URBAN
    await builders.enroll(graph, Label.HOUSEHOLD, "H-1", dibao, date(2020, 1, 1), date(2021, 6, 30))
    await builders.enroll(graph, Label.HOUSEHOLD, "H-1", dibao, date(2023, 1, 1))
    await builders.enroll(
        graph, Label.HOUSEHOLD, "H-1", dibao, date(2023, 1, 1)
    )  # again: no change

    found = (await links.list_links(graph, links.LinkQuery(ENROLLED), [household]))[household]

    assert [(link.since, link.until) for link in found] == [
        (date(2020, 1, 1), date(2021, 6, 30)),
        (date(2023, 1, 1), None),
    ]


async def test_as_of_keeps_the_relationships_in_effect_that_day(graph: Graph) -> None:
    household = await a_household(graph)
    await builders.enroll(
        graph, Label.HOUSEHOLD, "H-1", ProgramCode.DIBAO_URBAN, date(2020, 1, 1), date(2021, 6, 30)
    )
    await builders.enroll(
        graph, Label.HOUSEHOLD, "H-1", ProgramCode.TEMPORARY_ASSISTANCE, date(2021, 6, 1)
    )

    def on(day: date) -> links.LinkQuery:
        return links.LinkQuery(ENROLLED, as_of=day)

    assert [
        l.other["code"]
        for l in (await links.list_links(graph, on(date(2021, 6, 15)), [household]))[household]
    ] == [
        "DIBAO_URBAN",
        "TEMPORARY_ASSISTANCE",
    ]
    assert [
        l.other["code"]
        for l in (await links.list_links(graph, on(date(2021, 6, 30)), [household]))[household]
    ] == [
        "DIBAO_URBAN",
        "TEMPORARY_ASSISTANCE",
    ]  # `until` is the last day in effect
    assert [
        l.other["code"]
        for l in (await links.list_links(graph, on(date(2021, 7, 1)), [household]))[household]
    ] == ["TEMPORARY_ASSISTANCE"]
    assert (await links.list_links(graph, on(date(2019, 12, 31)), [household]))[household] == []


async def test_relationship_pages_continue_after_the_cursor(graph: Graph) -> None:
    household = await a_household(graph)
    for code in (
        ProgramCode.DIBAO_URBAN,
        ProgramCode.MEDICAL_ASSISTANCE,
        ProgramCode.TEMPORARY_ASSISTANCE,
    ):
        await builders.enroll(graph, Label.HOUSEHOLD, "H-1", code, date(2022, 1, 1))

    first = (await links.list_links(graph, links.LinkQuery(ENROLLED, first=2), [household]))[
        household
    ]
    last_shown = first[1]
    after = (str(last_shown.other["code"]), last_shown.key)
    rest = (
        await links.list_links(graph, links.LinkQuery(ENROLLED, first=2, after=after), [household])
    )[household]

    assert len(first) == 3  # first + 1 tells the caller another page follows
    assert [l.other["code"] for l in first[:2] + rest] == [
        "DIBAO_URBAN",
        "MEDICAL_ASSISTANCE",
        "TEMPORARY_ASSISTANCE",
    ]


async def test_a_link_to_a_missing_node_is_not_created(graph: Graph) -> None:
    await a_household(graph)

    await builders.enroll(graph, Label.HOUSEHOLD, "NO-SUCH-HOUSEHOLD", ProgramCode.DIBAO_URBAN)

    assert await graph.read("MATCH ()-[r:ENROLLED_IN]->() RETURN count(r) AS n") == [{"n": 0}]
