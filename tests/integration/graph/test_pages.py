from __future__ import annotations

from datetime import date

import pytest

from civgraph.graph import pages
from civgraph.graph.catalog import Label
from civgraph.graph.driver import Graph
from civgraph.graph.filters import Compare, Op
from civgraph.graph.models import MemberRelation
from civgraph.graph.resolution import entity_id, entity_statements, identity_row
from tests import builders

BY_NAME = pages.Order("name")


async def people(graph: Graph, names: list[str], number: str = "H-1", start: int = 1) -> None:
    members = [(name, date(1970, 1, 1 + i), MemberRelation.OTHER) for i, name in enumerate(names)]
    await builders.household(graph, number, members, start=start)


async def all_pages(graph: Graph, order: pages.Order, size: int) -> list[str]:
    names: list[str] = []
    after = None
    while True:
        page = await pages.list_page(builders.seen_by(graph), Label.PERSON, [], order, size, after)
        names += [node.name for node in page.nodes]  # type: ignore[attr-defined]
        if not page.has_next:
            return names
        after = page.cursors[-1]


async def test_paging_through_returns_every_row_once_in_order(graph: Graph) -> None:
    await builders.regions(graph)
    await people(graph, ["丙", "甲", "乙", "丁", "甲"])  # two people share a name

    assert await all_pages(graph, BY_NAME, 2) == sorted(["丙", "甲", "乙", "丁", "甲"])
    assert await all_pages(graph, pages.Order("name", descending=True), 2) == sorted(
        ["丙", "甲", "乙", "丁", "甲"], reverse=True
    )


async def test_rows_inserted_between_pages_neither_repeat_nor_hide_rows(graph: Graph) -> None:
    await builders.regions(graph)
    await people(graph, ["b", "d", "f", "h"])
    first = await pages.list_page(builders.seen_by(graph), Label.PERSON, [], BY_NAME, 2)

    await people(graph, ["a", "c", "e"], number="H-2", start=20)  # before and after the cursor
    second = await pages.list_page(
        builders.seen_by(graph), Label.PERSON, [], BY_NAME, 10, first.cursors[-1]
    )

    assert [n.name for n in first.nodes] == ["b", "d"]  # type: ignore[attr-defined]
    assert [n.name for n in second.nodes] == ["e", "f", "h"]  # type: ignore[attr-defined]


async def test_counting_uses_the_same_filter(graph: Graph) -> None:
    await builders.regions(graph)
    await people(graph, ["张一", "张二", "李三"])
    starts_with_zhang = [Compare("name", Op.STARTS_WITH, "张")]

    page = await pages.list_page(
        builders.seen_by(graph), Label.PERSON, starts_with_zhang, BY_NAME, 1
    )

    assert page.has_next
    assert await pages.count(builders.seen_by(graph), Label.PERSON, starts_with_zhang) == 2


async def test_a_cursor_from_another_order_is_refused(graph: Graph) -> None:
    await builders.regions(graph)
    await people(graph, ["甲", "乙"])
    page = await pages.list_page(builders.seen_by(graph), Label.PERSON, [], BY_NAME, 1)

    with pytest.raises(pages.InvalidCursor, match="another sort order"):
        await pages.list_page(
            builders.seen_by(graph), Label.PERSON, [], pages.Order("birthDate"), 1, page.cursors[0]
        )
    with pytest.raises(pages.InvalidCursor, match="not one this API issued"):
        await pages.list_page(builders.seen_by(graph), Label.PERSON, [], BY_NAME, 1, "garbage")


async def test_dates_survive_the_cursor(graph: Graph) -> None:
    await builders.regions(graph)
    await people(graph, ["甲", "乙", "丙"])
    order = pages.Order("birthDate")
    page = await pages.list_page(builders.seen_by(graph), Label.PERSON, [], order, 1)

    rest = await pages.list_page(
        builders.seen_by(graph), Label.PERSON, [], order, 5, page.cursors[0]
    )

    assert [n.birth_date for n in rest.nodes] == [date(1970, 1, 2), date(1970, 1, 3)]  # type: ignore[attr-defined]


async def test_people_without_id_numbers_come_last_in_id_order(graph: Graph) -> None:
    await builders.regions(graph)
    await people(graph, ["甲", "乙", "丙"])
    unkeyed = [
        identity_row(f"R-{n}", name, "FEMALE", date(1940, 1, n + 1), None)
        | {"id": entity_id("cremations", f"R-{n}")}
        for n, name in enumerate(["子", "丑", "寅"])
    ]
    before, _ = entity_statements("cremations", unkeyed, [], [])
    await graph.write_all(before)
    by_id = sorted(unkeyed, key=lambda row: row["id"])

    for descending in (False, True):
        order = pages.Order("idNumber", descending=descending, nullable=True)
        for size in (1, 2, 4, 10):
            names = await all_pages(graph, order, size)
            keyed = ["甲", "乙", "丙"] if not descending else ["丙", "乙", "甲"]
            tail = [row["name"] for row in (reversed(by_id) if descending else by_id)]
            assert names == keyed + tail, (descending, size)
