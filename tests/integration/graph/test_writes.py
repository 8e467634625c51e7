"""Single writes against the real graph: version checks, typed failures that write nothing,
relationships by platform id, and the events each write records in its own transaction."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from pydantic import ValidationError

from civgraph.graph.catalog import Label, Rel, relationship
from civgraph.graph.changes import ChangeEvent, Cursor, Operation, read_changes
from civgraph.graph.driver import Graph
from civgraph.graph.errors import Conflict, InvalidWrite, NotFound, StaleVersion
from civgraph.graph.models import (
    Enrollment,
    EnrollmentStatus,
    HouseholdFields,
    MemberRelation,
    Membership,
    Person,
    PersonFields,
    ProgramCode,
)
from civgraph.graph.nodes import get_nodes_by_key
from civgraph.graph.scope import EVERYTHING
from civgraph.graph.writes import (
    Ends,
    Write,
    create_node,
    delete_node,
    end_link,
    link,
    unlink,
    update_node,
    upsert_node,
)
from tests import builders

WRITE = Write("test", "tester (synthetic)", EVERYTHING)
BORN = date(1950, 3, 1)
ENROLLED = relationship(Rel.ENROLLED_IN, Label.HOUSEHOLD, Label.PROGRAM)
MEMBER = relationship(Rel.MEMBER_OF, Label.PERSON, Label.HOUSEHOLD)


async def last_cursor(graph: Graph) -> Cursor | None:
    events = await read_changes(builders.seen_by(graph), None, 100_000)
    return events[-1].cursor if events else None


async def since(graph: Graph, cursor: Cursor | None) -> list[ChangeEvent]:
    return await read_changes(builders.seen_by(graph), cursor, 100_000)


def id_of(record: object) -> str:
    assert isinstance(record, Person)
    assert record.id_number
    return record.id_number


def person(sequence: int, name: str = "王五") -> PersonFields:
    return PersonFields(id_number=builders.resident_id(BORN, sequence), name=name)


async def test_create_then_update_bumps_the_version_and_records_before_and_after(
    graph: Graph,
) -> None:
    await builders.regions(graph)
    start = await last_cursor(graph)
    created = await create_node(graph, person(1), WRITE)
    updated = await update_node(
        graph, Label.PERSON, created.id, {"name": "王伍", "phone": "13800000000"}, 1, WRITE
    )
    events = await since(graph, start)

    assert isinstance(updated, Person)
    assert (created.version, updated.version) == (1, 2)
    assert (updated.name, updated.phone, updated.source) == ("王伍", "13800000000", "api")
    assert [(e.operation, e.source, e.actor) for e in events] == [
        (Operation.NODE_CREATED, "api:test", "tester (synthetic)"),
        (Operation.NODE_UPDATED, "api:test", "tester (synthetic)"),
    ]
    assert events[1].fields == {
        "name": {"before": "王五", "after": "王伍"},
        "phone": {"before": None, "after": "13800000000"},
    }


async def test_clearing_a_field_removes_it_and_the_event_says_so(graph: Graph) -> None:
    created = await create_node(graph, person(1).model_copy(update={"phone": "1"}), WRITE)
    start = await last_cursor(graph)
    cleared = await update_node(graph, Label.PERSON, created.id, {"phone": None}, 1, WRITE)

    assert cleared.phone is None  # type: ignore[attr-defined]
    assert (await since(graph, start))[0].fields == {"phone": {"before": "1", "after": None}}


async def test_a_stale_version_writes_nothing(graph: Graph) -> None:
    created = await create_node(graph, person(1), WRITE)
    await update_node(graph, Label.PERSON, created.id, {"name": "甲"}, 1, WRITE)
    start = await last_cursor(graph)

    with pytest.raises(StaleVersion) as stale:
        await update_node(graph, Label.PERSON, created.id, {"name": "乙"}, 1, WRITE)

    assert (stale.value.expected, stale.value.actual) == (1, 2)
    assert await since(graph, start) == []
    stored = await get_nodes_by_key(builders.seen_by(graph), Label.PERSON, [id_of(created)])
    assert stored[id_of(created)].name == "甲"  # type: ignore[attr-defined]


async def test_concurrent_updates_at_one_version_let_exactly_one_through(graph: Graph) -> None:
    created = await create_node(graph, person(1), WRITE)

    async def rename(name: str) -> str:
        try:
            await update_node(graph, Label.PERSON, created.id, {"name": name}, 1, WRITE)
        except StaleVersion:
            return "stale"
        return "written"

    outcomes = await asyncio.gather(*(rename(f"名{i}") for i in range(6)))

    assert sorted(outcomes) == ["stale"] * 5 + ["written"]


async def test_create_refuses_a_taken_natural_key_and_upsert_takes_it(graph: Graph) -> None:
    created = await create_node(graph, person(1), WRITE)

    with pytest.raises(Conflict) as conflict:
        await create_node(graph, person(1, "别名"), WRITE)
    upserted = await upsert_node(graph, person(1, "别名"), WRITE, version=1)

    assert conflict.value.existing_id == created.id
    assert (upserted.id, upserted.name) == (created.id, "别名")  # type: ignore[attr-defined]
    with pytest.raises(StaleVersion):
        await upsert_node(graph, person(1, "再改"), WRITE, version=1)


async def test_an_update_is_validated_as_a_whole_record(graph: Graph) -> None:
    created = await create_node(graph, person(1), WRITE)
    other = await create_node(graph, person(2), WRITE)

    with pytest.raises(ValidationError):
        await update_node(graph, Label.PERSON, created.id, {"id_number": "123"}, 1, WRITE)
    with pytest.raises(ValidationError):
        await update_node(graph, Label.PERSON, created.id, {"name": ""}, 1, WRITE)
    with pytest.raises(Conflict):
        await update_node(graph, Label.PERSON, created.id, {"id_number": id_of(other)}, 1, WRITE)
    with pytest.raises(NotFound):
        await update_node(graph, Label.PERSON, "no-such-id", {"name": "x"}, 0, WRITE)


async def test_a_household_with_members_is_deleted_only_with_detach(graph: Graph) -> None:
    await builders.regions(graph)
    (head,) = await builders.household(graph, "H-1", [("户主", BORN, MemberRelation.HEAD)])
    household = (await get_nodes_by_key(builders.seen_by(graph), Label.HOUSEHOLD, ["H-1"]))["H-1"]
    member = (await get_nodes_by_key(builders.seen_by(graph), Label.PERSON, [head]))[head]
    start = await last_cursor(graph)

    with pytest.raises(Conflict, match="1 MEMBER_OF"):
        await delete_node(graph, Label.HOUSEHOLD, household.id, household.version, WRITE)
    deleted = await delete_node(
        graph, Label.HOUSEHOLD, household.id, household.version, WRITE, detach=True
    )
    events = await since(graph, start)

    assert deleted.relationships == 2  # the membership and its own REGISTERED_IN
    assert sorted((e.operation, e.entity) for e in events) == [
        (Operation.NODE_DELETED, "Household"),
        (Operation.NODE_UPDATED, "Person"),  # the member is no longer in the community
        (Operation.RELATIONSHIP_DELETED, "MEMBER_OF"),
        (Operation.RELATIONSHIP_DELETED, "REGISTERED_IN"),
    ]
    gone = next(e for e in events if e.operation is Operation.NODE_DELETED)
    assert gone.fields["number"] == {"before": "H-1", "after": None}
    left = (await get_nodes_by_key(builders.seen_by(graph), Label.PERSON, [head]))[head]
    assert (member.division_code, left.division_code) == (builders.COMMUNITY, None)  # type: ignore[attr-defined]


async def test_link_end_and_unlink_by_platform_id(graph: Graph) -> None:
    await builders.regions(graph)
    await builders.programs(graph)
    household = await create_node(
        graph,
        HouseholdFields(number="H-9", address="九号", community_code=builders.COMMUNITY),
        WRITE,
    )
    program = (
        await get_nodes_by_key(builders.seen_by(graph), Label.PROGRAM, [ProgramCode.DIBAO_URBAN])
    )[ProgramCode.DIBAO_URBAN]
    ends = Ends(ENROLLED, household.id, program.id)
    terms = Enrollment(amount=600, region_code=builders.COUNTY)
    start = await last_cursor(graph)

    linked = await link(graph, ends, terms, WRITE, since=date(2026, 1, 1))
    again = await link(graph, ends, terms, WRITE, since=date(2026, 1, 1))  # idempotent
    opened = Ends(ENROLLED, household.id, program.id, linked.key)
    ended = await end_link(graph, opened, date(2026, 6, 30), WRITE, version=linked.version)
    with pytest.raises(StaleVersion):
        await unlink(graph, opened, WRITE, version=linked.version)
    await unlink(graph, opened, WRITE, version=ended.version)
    events = await since(graph, start)

    assert (linked.key, linked.version, again.version) == ("2026-01-01", 1, 1)
    assert (ended.until, ended.properties["status"]) == (date(2026, 6, 30), EnrollmentStatus.ENDED)
    assert [e.operation for e in events] == [
        Operation.RELATIONSHIP_CREATED,
        Operation.RELATIONSHIP_ENDED,
        Operation.RELATIONSHIP_DELETED,
    ]
    assert {e.entity_id for e in events} == {linked.id}
    assert all(e.programs == ("DIBAO_URBAN",) for e in events)
    assert events[1].fields["status"] == {"before": "ACTIVE", "after": "ENDED"}
    with pytest.raises(NotFound):
        await unlink(graph, opened, WRITE)


async def test_link_names_the_missing_end_and_refuses_a_bad_period(graph: Graph) -> None:
    await builders.regions(graph)
    created = await create_node(graph, person(1), WRITE)
    terms = Membership(relation=MemberRelation.HEAD)

    with pytest.raises(NotFound) as missing:
        await link(graph, Ends(MEMBER, created.id, "nowhere"), terms, WRITE)
    with pytest.raises(InvalidWrite, match="before it starts"):
        await link(
            graph,
            Ends(MEMBER, created.id, "nowhere"),
            terms,
            WRITE,
            since=date(2026, 2, 1),
            until=date(2026, 1, 1),
        )

    assert (missing.value.what, missing.value.id) == (Label.HOUSEHOLD, "nowhere")


async def test_membership_by_mutation_moves_the_persons_division(graph: Graph) -> None:
    await builders.regions(graph)
    created = await create_node(graph, person(1), WRITE)
    household = await create_node(
        graph,
        HouseholdFields(number="H-2", address="二号", community_code=builders.OTHER_COMMUNITY),
        WRITE,
    )
    ends = Ends(MEMBER, created.id, household.id)
    membership = Membership(relation=MemberRelation.HEAD)

    linked = await link(graph, ends, membership, WRITE, since=date(2020, 1, 1))
    inside = await get_nodes_by_key(builders.seen_by(graph), Label.PERSON, [id_of(created)])
    await end_link(
        graph, Ends(MEMBER, created.id, household.id, linked.key), date(2026, 1, 1), WRITE
    )
    outside = await get_nodes_by_key(builders.seen_by(graph), Label.PERSON, [id_of(created)])

    assert inside[id_of(created)].division_code == builders.OTHER_COMMUNITY  # type: ignore[attr-defined]
    assert outside[id_of(created)].division_code is None  # type: ignore[attr-defined]
