"""An investigator's decisions on entity resolution's matches in the real graph: a rejection
outlives a new run of the same record, confirming and splitting move the record's
relationships (with their events), and a decider sees only its region."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from civgraph.graph import decisions
from civgraph.graph.catalog import Label
from civgraph.graph.changes import Cursor, Operation, read_changes
from civgraph.graph.decisions import Decider
from civgraph.graph.driver import Graph
from civgraph.graph.errors import AlreadyDecided, NotFound, NotResolved, RecordNotFound
from civgraph.graph.models import MemberRelation
from civgraph.graph.resolution import entity_id
from civgraph.graph.scope import EVERYTHING, Scope
from civgraph.graph.writes import Write, delete_node
from civgraph.ingest.run import files_in, run
from tests import builders
from tests.integration.ingest.test_resolution import (
    OTHER,
    POSSIBLE,
    WOMAN,
    cremated,
    write_exports,
)

INVESTIGATOR = Decider("api-key:investigator (synthetic)", Scope.of(builders.COUNTY))
OTHER_REGION = Decider("api-key:elsewhere (synthetic)", Scope.of(builders.OTHER_COUNTY))
C3 = entity_id("cremations", "C-3")  # 李桂芝: possibly 李桂兰 (OTHER)


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    """Three registered people in 长丰县 and a funeral home's records (test_resolution's)."""
    directory = tmp_path / "exports"
    directory.mkdir()
    write_exports(directory)
    return directory


async def ingested(graph: Graph, exports: Path, report: Path) -> dict[str, str]:
    """Runs ingest over the exports; returns the registered people's ids by ID number."""
    await run(graph, files_in(exports), report, batch_size=10)
    rows = await graph.read("MATCH (p:Person) WHERE p.idNumber IS NOT NULL "
                            "RETURN p.idNumber AS idNumber, p.id AS id")  # fmt: skip
    return {row["idNumber"]: row["id"] for row in rows}


async def latest(graph: Graph) -> Cursor:
    """A cursor after every event committed so far."""
    rows = await graph.read("MATCH (s:ChangeSequence) RETURN s.value AS tx")
    return Cursor(rows[0]["tx"] if rows else 0, 999_999)


async def test_a_rejection_outlives_new_runs_of_the_record(
    graph: Graph, exports: Path, tmp_path: Path
) -> None:
    people = await ingested(graph, exports, tmp_path / "first.csv")
    assert len(await graph.read(POSSIBLE)) == 1
    start = await latest(graph)

    rejected = await decisions.reject(graph, INVESTIGATOR, "cremations", "C-3", people[OTHER])
    recorded = await read_changes(builders.seen_by(graph), start, 100)
    await run(graph, files_in(exports), tmp_path / "second.csv", batch_size=10)
    after_second_run = await graph.read(POSSIBLE)
    # the record's entity deleted by hand: the next run resolves the record afresh
    (own,) = await graph.read("MATCH (p:Person {id: $id}) RETURN p.version AS v", id=C3)
    await delete_node(
        graph, Label.PERSON, C3, own["v"], Write("test", "test", EVERYTHING), detach=True
    )
    await run(graph, files_in(exports), tmp_path / "third.csv", batch_size=10)

    assert (rejected.person_id, rejected.not_same) == (C3, (people[OTHER],))
    assert [(e.operation, e.entity, e.source, e.actor) for e in recorded] == [
        (Operation.RELATIONSHIP_DELETED, "POSSIBLY_SAME", "er:cremations", INVESTIGATOR.actor)
    ]
    assert after_second_run == []
    found = await cremated(graph)
    assert (found["C-3"]["id"], found["C-3"]["matchKey"]) == (C3, "record")  # resolved again
    assert await graph.read(POSSIBLE) == []


async def test_confirming_moves_the_record_and_forgets_a_rejection(
    graph: Graph, exports: Path, tmp_path: Path
) -> None:
    people = await ingested(graph, exports, tmp_path / "first.csv")
    await decisions.reject(graph, INVESTIGATOR, "cremations", "C-3", people[OTHER])
    start = await latest(graph)

    confirmed = await decisions.confirm(graph, INVESTIGATOR, "cremations", "C-3", people[OTHER])
    recorded = await read_changes(builders.seen_by(graph), start, 100)
    again = await decisions.confirm(graph, INVESTIGATOR, "cremations", "C-3", people[OTHER])

    assert (confirmed.person_id, confirmed.not_same) == (people[OTHER], ())
    assert (confirmed.record.match_key, confirmed.record.record_key) == ("joined", "C-3")
    assert (await cremated(graph))["C-3"]["idNumber"] == OTHER
    assert [(e.operation, e.entity) for e in recorded] == [
        (Operation.RELATIONSHIP_DELETED, "CREMATED_AT"),
        (Operation.RELATIONSHIP_CREATED, "CREMATED_AT"),
        (Operation.NODE_DELETED, "Person"),
    ]
    assert recorded[1].entity_id.startswith(people[OTHER] + ">CREMATED_AT>")
    assert recorded[2].entity_id == C3
    assert {e.actor for e in recorded} == {INVESTIGATOR.actor}
    assert again == confirmed


async def test_splitting_moves_the_record_to_its_own_entity_and_back(
    graph: Graph, exports: Path, tmp_path: Path
) -> None:
    people = await ingested(graph, exports, tmp_path / "first.csv")
    start = await latest(graph)

    split = await decisions.split(graph, INVESTIGATOR, "cremations", "C-2")
    cremated_after_split = (await cremated(graph))["C-2"]
    with pytest.raises(AlreadyDecided, match="entity of its own already"):
        await decisions.split(graph, INVESTIGATOR, "cremations", "C-2")
    back = await decisions.confirm(graph, INVESTIGATOR, "cremations", "C-2", people[WOMAN])
    recorded = await read_changes(builders.seen_by(graph), start, 100)

    own = entity_id("cremations", "C-2")
    assert (split.person_id, split.record.match_key) == (own, "split")
    assert (cremated_after_split["id"], cremated_after_split["idNumber"]) == (own, None)
    assert (back.person_id, (await cremated(graph))["C-2"]["idNumber"]) == (people[WOMAN], WOMAN)
    assert [(e.operation, e.entity, e.entity_id.split(">")[0]) for e in recorded] == [
        (Operation.NODE_CREATED, "Person", own),
        (Operation.RELATIONSHIP_DELETED, "CREMATED_AT", people[WOMAN]),
        (Operation.RELATIONSHIP_CREATED, "CREMATED_AT", own),
        (Operation.RELATIONSHIP_DELETED, "CREMATED_AT", own),
        (Operation.RELATIONSHIP_CREATED, "CREMATED_AT", people[WOMAN]),
        (Operation.NODE_DELETED, "Person", own),
    ]


async def test_what_cannot_be_decided_is_refused_and_writes_nothing(
    graph: Graph, exports: Path, tmp_path: Path
) -> None:
    people = await ingested(graph, exports, tmp_path / "first.csv")
    start = await latest(graph)

    with pytest.raises(NotResolved, match="carried the idNumber"):
        await decisions.split(graph, INVESTIGATOR, "cremations", "C-1")
    with pytest.raises(RecordNotFound):
        await decisions.split(graph, INVESTIGATOR, "cremations", "C-9")
    with pytest.raises(NotFound):
        await decisions.confirm(graph, INVESTIGATOR, "cremations", "C-3", "no-such-person")
    with pytest.raises(AlreadyDecided, match="split it"):
        await decisions.reject(graph, INVESTIGATOR, "cremations", "C-2", people[WOMAN])
    # another county's investigator: the record and the person look absent
    with pytest.raises(RecordNotFound):
        await decisions.reject(graph, OTHER_REGION, "cremations", "C-3", people[OTHER])
    with pytest.raises(RecordNotFound):
        await decisions.split(graph, OTHER_REGION, "cremations", "C-2")

    assert await read_changes(builders.seen_by(graph), start, 100) == []
    assert len(await graph.read(POSSIBLE)) == 1
    assert (await cremated(graph))["C-2"]["idNumber"] == WOMAN


async def test_a_person_outside_the_region_cannot_be_named(
    graph: Graph, exports: Path, tmp_path: Path
) -> None:
    await ingested(graph, exports, tmp_path / "first.csv")
    await builders.regions(graph)
    (outside,) = await builders.household(
        graph, "H-OUT", [("外乙", date(1960, 1, 1), MemberRelation.HEAD)],
        start=7, community=builders.OTHER_COMMUNITY,
    )  # fmt: skip
    (row,) = await graph.read("MATCH (p:Person {idNumber: $id}) RETURN p.id AS id", id=outside)

    with pytest.raises(NotFound):
        await decisions.confirm(graph, INVESTIGATOR, "cremations", "C-3", row["id"])

    assert (await cremated(graph))["C-3"]["id"] == C3
