from __future__ import annotations

from datetime import date

from civgraph.graph import links, nodes
from civgraph.graph.catalog import Label, Rel, relationship
from civgraph.graph.driver import Graph
from civgraph.graph.models import (
    Donation,
    Enrollment,
    MemberRelation,
    Membership,
    OrganizationKind,
    ProgramCode,
)
from tests import builders

ENROLLED = relationship(Rel.ENROLLED_IN, Label.HOUSEHOLD, Label.PROGRAM)


async def a_household(graph: Graph) -> str:
    await builders.regions(graph)
    await builders.programs(graph)
    await builders.household(graph, "H-1", [("户主", date(1960, 1, 1), MemberRelation.HEAD)])
    [household] = (
        await nodes.get_nodes_by_key(builders.seen_by(graph), Label.HOUSEHOLD, ["H-1"])
    ).values()
    return household.id


async def test_a_second_period_is_a_second_relationship(graph: Graph) -> None:
    household = await a_household(graph)
    dibao = ProgramCode.DIBAO_URBAN
    await builders.enroll(graph, Label.HOUSEHOLD, "H-1", dibao, date(2020, 1, 1), date(2021, 6, 30))
    await builders.enroll(graph, Label.HOUSEHOLD, "H-1", dibao, date(2023, 1, 1))
    await builders.enroll(
        graph, Label.HOUSEHOLD, "H-1", dibao, date(2023, 1, 1)
    )  # again: no change

    found = (
        await links.list_links(builders.seen_by(graph), links.LinkQuery(ENROLLED), [household])
    )[household]

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
        link.other["code"]
        for link in (
            await links.list_links(builders.seen_by(graph), on(date(2021, 6, 15)), [household])
        )[household]
    ] == [
        "DIBAO_URBAN",
        "TEMPORARY_ASSISTANCE",
    ]
    assert [
        link.other["code"]
        for link in (
            await links.list_links(builders.seen_by(graph), on(date(2021, 6, 30)), [household])
        )[household]
    ] == [
        "DIBAO_URBAN",
        "TEMPORARY_ASSISTANCE",
    ]  # `until` is the last day in effect
    assert [
        link.other["code"]
        for link in (
            await links.list_links(builders.seen_by(graph), on(date(2021, 7, 1)), [household])
        )[household]
    ] == ["TEMPORARY_ASSISTANCE"]
    assert (await links.list_links(builders.seen_by(graph), on(date(2019, 12, 31)), [household]))[
        household
    ] == []


async def test_relationship_pages_continue_after_the_cursor(graph: Graph) -> None:
    household = await a_household(graph)
    for code in (
        ProgramCode.DIBAO_URBAN,
        ProgramCode.MEDICAL_ASSISTANCE,
        ProgramCode.TEMPORARY_ASSISTANCE,
    ):
        await builders.enroll(graph, Label.HOUSEHOLD, "H-1", code, date(2022, 1, 1))

    first = (
        await links.list_links(
            builders.seen_by(graph), links.LinkQuery(ENROLLED, first=2), [household]
        )
    )[household]
    last_shown = first[1]
    after = (str(last_shown.other["code"]), last_shown.key)
    rest = (
        await links.list_links(
            builders.seen_by(graph), links.LinkQuery(ENROLLED, first=2, after=after), [household]
        )
    )[household]

    assert len(first) == 3  # first + 1 tells the caller another page follows
    assert [link.other["code"] for link in first[:2] + rest] == [
        "DIBAO_URBAN",
        "MEDICAL_ASSISTANCE",
        "TEMPORARY_ASSISTANCE",
    ]


async def test_a_link_to_a_missing_node_is_not_created_and_the_count_says_so(graph: Graph) -> None:
    await a_household(graph)
    enrollment = Enrollment(region_code=builders.COUNTY)
    rows = [
        links.LinkInput("NO-SUCH-HOUSEHOLD", "DIBAO_URBAN", enrollment),
        links.LinkInput("H-1", "DIBAO_URBAN", enrollment),
    ]

    assert await links.upsert_links(graph, ENROLLED, rows, builders.SOURCE) == 1
    assert await graph.read("MATCH ()-[r:ENROLLED_IN]->() RETURN count(r) AS n") == [{"n": 1}]


async def test_events_without_a_period_are_told_apart_by_their_own_key(graph: Graph) -> None:
    await builders.regions(graph)
    await builders.household(graph, "H-1", [("捐赠人", date(1960, 1, 1), MemberRelation.HEAD)])
    [donor] = [builders.resident_id(date(1960, 1, 1), 1)]
    charity = await builders.organization(graph, "慈善会", OrganizationKind.FOUNDATION, 1)
    spec = relationship(Rel.DONATED_TO, Label.PERSON, Label.ORGANIZATION)
    gifts = [
        links.LinkInput(donor, charity, Donation(amount=a, donated_on=d), distinct_by=d.isoformat())
        for a, d in ((100, date(2024, 1, 1)), (300, date(2024, 6, 1)))
    ]

    await links.upsert_links(graph, spec, gifts, builders.SOURCE)

    rows = await graph.read("MATCH ()-[r:DONATED_TO]->() RETURN r.amount AS amount ORDER BY amount")
    assert rows == [{"amount": 100.0}, {"amount": 300.0}]


async def test_leaving_a_household_clears_the_persons_division_code(graph: Graph) -> None:
    await a_household(graph)
    [number] = [builders.resident_id(date(1960, 1, 1), 1)]
    spec = relationship(Rel.MEMBER_OF, Label.PERSON, Label.HOUSEHOLD)
    ended = links.LinkInput(
        number, "H-1", Membership(relation=MemberRelation.HEAD), until=date(2024, 1, 1)
    )

    await links.upsert_links(graph, spec, [ended], builders.SOURCE)

    person = (await nodes.get_nodes_by_key(builders.seen_by(graph), Label.PERSON, [number]))[number]
    assert person.division_code is None  # type: ignore[attr-defined]
