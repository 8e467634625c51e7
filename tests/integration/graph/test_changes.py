"""The change feed's outbox in the real graph: every committed change is an event in the same
transaction, with before and after values, under cursors strictly increasing in commit
order; nothing is recorded for writes that change nothing."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest

from civgraph.graph.catalog import Label, Rel, relationship
from civgraph.graph.changes import (
    ChangeFilter,
    Cursor,
    CursorExpired,
    Operation,
    prune,
    read_changes,
)
from civgraph.graph.driver import Graph
from civgraph.graph.identifiers import parse_division_code
from civgraph.graph.links import LinkInput, upsert_links
from civgraph.graph.models import (
    Enrollment,
    HouseholdFields,
    MemberRelation,
    PersonFields,
    ProgramCode,
)
from civgraph.graph.nodes import upsert_nodes
from tests import builders

ENROLLED = relationship(Rel.ENROLLED_IN, Label.PERSON, Label.PROGRAM)


async def test_a_created_then_changed_node_gives_two_events_and_a_rerun_none(
    graph: Graph,
) -> None:
    await builders.regions(graph)
    start = (await read_changes(builders.seen_by(graph), None, 1000))[-1].cursor
    members = [("张三", date(1950, 1, 1), MemberRelation.HEAD)]
    (head,) = await builders.household(graph, "H-1", members)
    created = await read_changes(builders.seen_by(graph), start, 1000)

    await builders.household(graph, "H-1", members)  # the same again: nothing changes
    unchanged = await read_changes(builders.seen_by(graph), created[-1].cursor, 1000)
    await upsert_nodes(graph, [PersonFields(id_number=head, name="张叁")], builders.SOURCE)
    updated = await read_changes(builders.seen_by(graph), created[-1].cursor, 1000)

    assert [(e.operation, e.entity) for e in created] == [
        (Operation.NODE_CREATED, "Household"),
        (Operation.NODE_CREATED, "Person"),
        (Operation.RELATIONSHIP_CREATED, "MEMBER_OF"),
        (Operation.NODE_UPDATED, "Person"),  # placed in the household's community
    ]
    assert created[1].fields["name"] == {"before": None, "after": "张三"}
    assert created[3].fields == {"divisionCode": {"before": None, "after": builders.COMMUNITY}}
    assert unchanged == []
    assert [(e.operation, e.entity, e.fields) for e in updated] == [
        (Operation.NODE_UPDATED, "Person", {"name": {"before": "张三", "after": "张叁"}})
    ]
    version = await graph.read("MATCH (p:Person {idNumber: $id}) RETURN p.version AS v", id=head)
    assert version == [{"v": 3}]  # created, placed, renamed


async def test_an_enrollment_is_created_then_ended_with_its_program(graph: Graph) -> None:
    await builders.regions(graph)
    await builders.programs(graph)
    (head,) = await builders.household(
        graph, "H-1", [("李四", date(1940, 1, 1), MemberRelation.HEAD)]
    )
    start = (await read_changes(builders.seen_by(graph), None, 1000))[-1].cursor
    since = date(2024, 1, 1)
    enrollment = Enrollment(amount=100, region_code=builders.COUNTY)
    link = LinkInput(head, ProgramCode.OLD_AGE_ALLOWANCE, enrollment, since=since)

    await upsert_links(graph, ENROLLED, [link], "test (synthetic)")
    ended = LinkInput(
        head, ProgramCode.OLD_AGE_ALLOWANCE, enrollment, since=since, until=date(2025, 1, 1)
    )
    await upsert_links(graph, ENROLLED, [ended], "test (synthetic)")

    events = await read_changes(builders.seen_by(graph), start, 1000)
    assert [(e.operation, e.entity, e.programs) for e in events] == [
        (Operation.RELATIONSHIP_CREATED, "ENROLLED_IN", ("OLD_AGE_ALLOWANCE",)),
        (Operation.RELATIONSHIP_ENDED, "ENROLLED_IN", ("OLD_AGE_ALLOWANCE",)),
    ]
    assert events[1].fields == {"until": {"before": None, "after": "2025-01-01"}}
    only_programs = ChangeFilter(programs=frozenset({"DIBAO_URBAN"}))
    assert await read_changes(builders.seen_by(graph), start, 1000, only_programs) == []
    in_county = ChangeFilter(
        region=parse_division_code(builders.COUNTY), types=frozenset({"ENROLLED_IN"})
    )
    assert len(await read_changes(builders.seen_by(graph), start, 1000, in_county)) == 2


async def test_concurrent_writers_never_share_or_reorder_a_cursor(graph: Graph) -> None:
    await builders.regions(graph)
    start = (await read_changes(builders.seen_by(graph), None, 1000))[-1].cursor

    async def writer(n: int) -> None:
        for i in range(5):
            household = HouseholdFields(
                number=f"W-{n}-{i}", address="测试路", community_code=builders.COMMUNITY
            )
            await upsert_nodes(graph, [household], builders.SOURCE)

    await asyncio.gather(*(writer(n) for n in range(8)))

    events = await read_changes(builders.seen_by(graph), start, 10_000)
    cursors = [e.cursor for e in events]
    transactions = sorted({c.tx for c in cursors})
    assert len(events) == 40
    assert cursors == sorted(set(cursors))  # strictly increasing, none reused
    assert transactions == list(range(transactions[0], transactions[0] + 40))  # no gaps


async def test_a_pruned_cursor_is_refused_with_the_way_out(graph: Graph) -> None:
    await builders.regions(graph)
    events = await read_changes(builders.seen_by(graph), None, 1000)

    last = await prune(graph, datetime.now(UTC) + timedelta(seconds=1))

    assert last == events[-1].cursor
    assert await read_changes(builders.seen_by(graph), last, 1000) == []
    with pytest.raises(CursorExpired, match="resynchronise"):
        await read_changes(builders.seen_by(graph), Cursor(0, -1), 1000)
