from __future__ import annotations

from datetime import date
from typing import Any

from civgraph.graph import statistics
from civgraph.graph.catalog import Label
from civgraph.graph.driver import Graph
from civgraph.graph.models import MemberRelation, ProgramCode
from tests import builders

DAY = date(2024, 6, 1)
ALL = [code.value for code in ProgramCode]


async def enrolled_province(graph: Graph) -> tuple[str, str, str]:
    """H-1 (长丰县) on DIBAO with two members; its head also on MEDICAL_ASSISTANCE and
    OLD_AGE_ALLOWANCE; H-2 (蜀山区) head on MEDICAL_ASSISTANCE only."""
    await builders.regions(graph)
    await builders.programs(graph)
    head, child = await builders.household(
        graph,
        "H-1",
        [
            ("甲", date(1940, 3, 1), MemberRelation.HEAD),
            ("乙", date(2010, 5, 1), MemberRelation.CHILD),
        ],
    )
    [other] = await builders.household(
        graph,
        "H-2",
        [("丙", date(1985, 1, 1), MemberRelation.HEAD)],
        start=10,
        community=builders.OTHER_COMMUNITY,
    )
    await builders.enroll(
        graph, Label.HOUSEHOLD, "H-1", ProgramCode.DIBAO_RURAL, date(2023, 1, 1), amount=600
    )
    await builders.enroll(
        graph, Label.PERSON, head, ProgramCode.MEDICAL_ASSISTANCE, date(2024, 1, 1), amount=100
    )
    await builders.enroll(
        graph, Label.PERSON, head, ProgramCode.OLD_AGE_ALLOWANCE, date(2024, 1, 1), amount=50
    )
    await builders.enroll(
        graph, Label.PERSON, other, ProgramCode.MEDICAL_ASSISTANCE, date(2024, 1, 1), amount=80
    )
    await builders.enroll(
        graph,
        Label.PERSON,
        other,
        ProgramCode.TEMPORARY_ASSISTANCE,
        date(2023, 1, 1),
        date(2023, 2, 1),
    )
    return head, child, other


async def overlap_count(
    graph: Graph, programs: list[str], region: str, day: date, minimum: int
) -> int:
    total, _ = await statistics.overlap_counted_page(
        builders.seen_by(graph), programs, region, day, minimum, 10, None
    )
    return total


async def test_overlap_counts_people_in_at_least_the_minimum_of_programs(graph: Graph) -> None:
    head, _, _ = await enrolled_province(graph)

    assert await overlap_count(graph, ALL, "34", DAY, 2) == 1
    assert await overlap_count(graph, ALL, "34", DAY, 3) == 1
    assert await overlap_count(graph, ALL, "34", DAY, 4) == 0
    assert await overlap_count(graph, ALL, "34", DAY, 1) == 3
    assert await overlap_count(graph, ["DIBAO_RURAL", "MEDICAL_ASSISTANCE"], "340104", DAY, 2) == 0
    rows = await statistics.overlap_page(builders.seen_by(graph), ALL, "34", DAY, 2, 10, None)
    assert [(row["person"]["idNumber"], sorted(row["codes"])) for row in rows] == [
        (head, ["DIBAO_RURAL", "MEDICAL_ASSISTANCE", "OLD_AGE_ALLOWANCE"])
    ]


def shown(row: dict[str, Any]) -> tuple[str, list[str]]:
    return row["person"]["id"], sorted(row["codes"])


async def test_the_counted_page_is_the_page_and_the_count_in_one_statement(graph: Graph) -> None:
    await enrolled_province(graph)
    scoped = builders.seen_by(graph)

    pages, after, total = [], None, None
    while True:  # pages of one: every person once, by id, then nothing more
        total, rows = await statistics.overlap_counted_page(scoped, ALL, "34", DAY, 1, 1, after)
        alone = await statistics.overlap_page(scoped, ALL, "34", DAY, 1, 1, after)
        assert [shown(row) for row in rows] == [shown(row) for row in alone]
        pages.append([row["person"]["id"] for row in rows[:1]])
        if len(rows) < 2:
            break
        after = rows[0]["person"]["id"]

    assert total == 3
    assert [len(page) for page in pages] == [1, 1, 1]
    ids = [page[0] for page in pages]
    assert ids == sorted(ids)


async def test_ended_enrollments_do_not_count_after_their_end(graph: Graph) -> None:
    await enrolled_province(graph)

    assert await overlap_count(graph, ALL, "340104", date(2023, 1, 15), 1) == 1
    assert await overlap_count(graph, ALL, "340104", date(2023, 2, 2), 1) == 0


async def test_statistics_group_by_child_region_and_program(graph: Graph) -> None:
    await enrolled_province(graph)

    groups = await statistics.enrollment_statistics(
        builders.seen_by(graph), ALL, "3401", DAY, frozenset({"region", "program"})
    )

    assert sorted(
        (g.keys["region"], g.keys["program"], g.people, g.enrollments, g.amount) for g in groups
    ) == [
        ("340104", "MEDICAL_ASSISTANCE", 1, 1, 80.0),
        ("340121", "DIBAO_RURAL", 2, 1, 600.0),
        ("340121", "MEDICAL_ASSISTANCE", 1, 1, 100.0),
        ("340121", "OLD_AGE_ALLOWANCE", 1, 1, 50.0),
    ]


async def test_statistics_by_age_band_and_sex(graph: Graph) -> None:
    await enrolled_province(graph)

    groups = await statistics.enrollment_statistics(
        builders.seen_by(graph), ALL, "34", DAY, frozenset({"ageBand", "sex"})
    )

    assert sorted((g.keys["ageBand"], g.keys["sex"], g.people) for g in groups) == [
        ("0-17", "FEMALE", 1),
        ("18-59", "FEMALE", 1),  # sequence 10: even
        ("80+", "MALE", 1),
    ]
