from __future__ import annotations

from datetime import date

from civgraph.graph.catalog import Label
from civgraph.graph.driver import Graph
from civgraph.graph.models import MemberRelation, OrganizationKind
from civgraph.graph.search import SEARCHABLE, search
from tests import builders


async def test_chinese_names_are_found_by_two_characters_best_first(graph: Graph) -> None:
    await builders.regions(graph)
    await builders.household(graph, "H-1", [("欧阳明华", date(1970, 1, 1), MemberRelation.HEAD)])
    await builders.organization(
        graph, "明华养老服务中心", OrganizationKind.PRIVATE_NON_ENTERPRISE, 1
    )

    hits = await search(builders.seen_by(graph), "明华", SEARCHABLE, 10)

    assert {hit.label for hit in hits} == {Label.PERSON, Label.ORGANIZATION}
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


async def test_types_narrow_the_search(graph: Graph) -> None:
    await builders.regions(graph)
    await builders.household(graph, "H-1", [("欧阳明华", date(1970, 1, 1), MemberRelation.HEAD)])
    await builders.organization(
        graph, "明华养老服务中心", OrganizationKind.PRIVATE_NON_ENTERPRISE, 1
    )

    hits = await search(builders.seen_by(graph), "明华", [Label.ORGANIZATION], 10)

    assert [hit.record.name for hit in hits] == ["明华养老服务中心"]  # type: ignore[attr-defined]


async def test_query_syntax_in_the_text_is_searched_literally(graph: Graph) -> None:
    await builders.regions(graph)

    assert await search(builders.seen_by(graph), 'name:"x" AND (y OR z~) /', SEARCHABLE, 5) == []
    assert await search(builders.seen_by(graph), "   ", SEARCHABLE, 5) == []


async def test_one_character_is_a_name_that_starts_with_it_in_every_type_asked(
    graph: Graph,
) -> None:
    await builders.regions(graph)
    await builders.household(graph, "H-1", [("明华", date(1970, 1, 1), MemberRelation.HEAD)])
    await builders.organization(
        graph, "明德养老服务中心", OrganizationKind.PRIVATE_NON_ENTERPRISE, 1
    )

    hits = await search(builders.seen_by(graph), " 明 ", SEARCHABLE, 10)
    people = await search(builders.seen_by(graph), "明", [Label.PERSON], 10)

    assert [hit.record.name for hit in hits] == ["明华", "明德养老服务中心"]  # type: ignore[attr-defined]
    assert [hit.label for hit in people] == [Label.PERSON]
