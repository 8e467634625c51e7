"""Entity resolution in the real graph: records without ID numbers join their person, stay
possibly the same as someone, or become entities of their own; decisions are stable across
runs and can be undone (split) or made by hand (join)."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from civgraph.graph.changes import ChangeFilter, Operation, read_changes
from civgraph.graph.decisions import Decider, confirm, split
from civgraph.graph.driver import Graph
from civgraph.graph.errors import ResolutionError
from civgraph.graph.scope import EVERYTHING
from civgraph.ingest.run import files_in, run
from tests.builders import GRAPH_COUNTS, resident_id, seen_by, wipe

HOME = "340121001001"
WOMAN = resident_id(date(1948, 6, 15), 12)  # 陈秀英
MAN = resident_id(date(1950, 1, 2), 21)  # 王建国
OTHER = resident_id(date(1945, 3, 4), 32)  # 李桂兰
HOME_ID = "F-340121-BY"

CREMATION_HEADER = [
    *("火化证号", "身份证号", "姓名", "性别"),
    *("出生日期", "社区代码", "殡仪馆代码", "火化日期"),
]
CREMATIONS = [
    ["C-1", MAN, "王建国", "男", "1950-01-02", HOME, HOME_ID, "2025-01-05"],
    ["C-2", "", "陳秀英", "女", "1948-06-15", HOME, HOME_ID, "2025-02-06"],  # variant: joins
    ["C-3", "", "李桂芝", "女", "1945-03-04", HOME, HOME_ID, "2025-03-07"],  # typo: possible
    ["C-4", "", "赵铁柱", "男", "1940-01-01", HOME, HOME_ID, "2025-04-08"],  # nobody: new
    ["C-5", "", "", "男", "1941-01-01", HOME, HOME_ID, "2025-05-09"],  # no name: rejected
]  # fmt: skip


def write(directory: Path, name: str, rows: list[list[str]], encoding: str = "utf-8") -> None:
    with (directory / name).open("w", encoding=encoding, newline="") as out:
        csv.writer(out).writerows(rows)


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    directory = tmp_path / "exports"
    directory.mkdir()
    write_exports(directory)
    return directory


def write_exports(directory: Path) -> None:
    """Three registered people and a funeral home's records, four of them without ID."""
    regions = [["代码", "名称"], ["340000", "安徽省"], ["340100", "合肥市"], ["340121", "长丰县"]]
    write(directory, "regions.csv", [*regions, ["340121001", "测试镇"]])
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["代码", "名称", "类别", "信息平台"])
    sheet.append([HOME, "测试社区居委会", "居委会", "是"])
    book.save(directory / "communities.xlsx")
    header = ["户号", "住址", "社区代码", "户别", "身份证号", "姓名", "与户主关系", "入户日期"]
    people = [(WOMAN, "陈秀英"), (MAN, "王建国"), (OTHER, "李桂兰")]
    write(
        directory,
        "household_registration.csv",
        [header, *([f"H-{n}", "测试路", HOME, "城镇", id_number, name, "户主", "1990-01-01"]
                   for n, (id_number, name) in enumerate(people))],
        "gbk",
    )  # fmt: skip
    facility = ["机构代码", "名称", "类型", "床位数", "性质", "法人登记", "地址", "区划代码"]
    home = [HOME_ID, "测试殡仪馆", "殡仪馆", "0", "公办", "是", "测试路9号", "340121"]
    write(directory, "facilities.csv", [facility, home])
    write(directory, "cremations.csv", [CREMATION_HEADER, *CREMATIONS])


CREMATED = """
MATCH (p:Person)-[c:CREMATED_AT]->(:Facility)
MATCH (rec:SourceRecord {key: 'cremations:' + c.recordKey})-[d:DESCRIBES]->(p)
RETURN c.recordKey AS record, p.id AS id, p.idNumber AS idNumber, p.name AS name,
       d.matchKey AS matchKey, d.score AS score
ORDER BY record
"""
POSSIBLE = """
MATCH (a:Person)-[r:POSSIBLY_SAME]->(b:Person)
RETURN a.name AS name, b.idNumber AS candidate, r.score AS score, r.matchKey AS matchKey
"""


async def cremated(graph: Graph) -> dict[str, dict[str, Any]]:
    return {row["record"]: row for row in await graph.read(CREMATED)}


async def test_records_without_id_numbers_are_resolved(
    graph: Graph, exports: Path, tmp_path: Path
) -> None:
    summaries, _ = await run(graph, files_in(exports), tmp_path / "rejects.csv", batch_size=10)
    feed = await read_changes(
        seen_by(graph), None, 10_000, ChangeFilter(types=frozenset({"Person"}))
    )

    (cremations,) = [s for s in summaries if s.source == "cremations"]
    assert (cremations.loaded, cremations.rejected) == (4, 1)
    assert (cremations.merged, cremations.possible) == (1, 1)
    found = await cremated(graph)
    assert [(r["idNumber"], r["name"], r["matchKey"], r["score"]) for r in found.values()] == [
        (MAN, "王建国", "idNumber", 1.0),
        (WOMAN, "陈秀英", "name~variant+birthDate+sex+community", 0.97),
        (None, "李桂芝", "record", 1.0),
        (None, "赵铁柱", "record", 1.0),
    ]
    assert await graph.read(POSSIBLE) == [
        {
            "name": "李桂芝",
            "candidate": OTHER,
            "score": 0.83,
            "matchKey": "name~typo+birthDate+sex+community",
        }
    ]
    unkeyed = [e for e in feed if e.source == "ingest:cremations"]
    assert sorted(e.fields["name"]["after"] for e in unkeyed) == ["李桂芝", "赵铁柱"]
    rejects = (tmp_path / "rejects.csv").read_text(encoding="utf-8")
    reason = "missing 身份证号 and no 姓名+出生日期 to resolve the person by"
    assert f"cremations.csv,6,身份证号,,{reason}" in rejects


async def test_a_second_run_keeps_every_decision_and_id(
    graph: Graph, exports: Path, tmp_path: Path
) -> None:
    await run(graph, files_in(exports), tmp_path / "first.csv", batch_size=10)
    first, counts = await cremated(graph), await graph.read(GRAPH_COUNTS)

    summaries, _ = await run(graph, files_in(exports), tmp_path / "second.csv", batch_size=2)

    assert await cremated(graph) == first
    assert await graph.read(GRAPH_COUNTS) == counts
    (cremations,) = [s for s in summaries if s.source == "cremations"]
    assert (cremations.loaded, cremations.rejected) == (4, 1)


TESTER = Decider(actor="test", scope=EVERYTHING)


async def test_a_match_can_be_split_and_stays_split(
    graph: Graph, exports: Path, tmp_path: Path
) -> None:
    await run(graph, files_in(exports), tmp_path / "first.csv", batch_size=10)
    woman = (await cremated(graph))["C-2"]["id"]
    before_split = (await read_changes(seen_by(graph), None, 10_000))[-1].cursor

    own = (await split(graph, TESTER, "cremations", "C-2")).person_id
    recorded = await read_changes(seen_by(graph), before_split, 100)
    await run(graph, files_in(exports), tmp_path / "second.csv", batch_size=10)

    found = await cremated(graph)
    assert (found["C-2"]["id"], found["C-2"]["idNumber"], found["C-2"]["name"]) == (
        own,
        None,
        "陳秀英",
    )
    assert found["C-2"]["matchKey"] == "split"
    assert [(e.operation, e.entity, e.source, e.actor) for e in recorded] == [
        (Operation.NODE_CREATED, "Person", "er:cremations", "test"),
        (Operation.RELATIONSHIP_DELETED, "CREMATED_AT", "er:cremations", "test"),
        (Operation.RELATIONSHIP_CREATED, "CREMATED_AT", "er:cremations", "test"),
    ]
    assert recorded[2].entity_id.startswith(own + ">CREMATED_AT>")
    registered = await graph.read(
        "MATCH (p:Person {id: $id}) RETURN EXISTS { (p)-[:CREMATED_AT]->() } AS cremated",
        id=woman,
    )
    assert registered == [{"cremated": False}]


async def test_a_possible_match_can_be_joined_by_hand(
    graph: Graph, exports: Path, tmp_path: Path
) -> None:
    await run(graph, files_in(exports), tmp_path / "first.csv", batch_size=10)
    (other,) = await graph.read("MATCH (p:Person {idNumber: $id}) RETURN p.id AS id", id=OTHER)

    await confirm(graph, TESTER, "cremations", "C-3", other["id"])

    found = await cremated(graph)
    assert (found["C-3"]["idNumber"], found["C-3"]["matchKey"]) == (OTHER, "joined")
    assert await graph.read(POSSIBLE) == []
    unkeyed = await graph.read("MATCH (p:Person {name: '李桂芝'}) RETURN count(p) AS n")
    assert unkeyed == [{"n": 0}]


async def test_a_record_that_carried_its_id_number_cannot_be_split(
    graph: Graph, exports: Path, tmp_path: Path
) -> None:
    await run(graph, files_in(exports), tmp_path / "first.csv", batch_size=10)

    with pytest.raises(ResolutionError, match="carried the idNumber"):
        await split(graph, TESTER, "cremations", "C-1")


async def test_records_of_one_batch_are_resolved_one_after_another(
    graph: Graph, tmp_path: Path
) -> None:
    # Given a second record (C-6) of a person known from no ID number (赵铁柱, C-4)
    directory = tmp_path / "exports"
    directory.mkdir()
    write_exports(directory)
    again = ["C-6", "", "赵铁柱", "男", "1940-01-01", HOME, HOME_ID, "2025-04-09"]
    write(directory, "cremations.csv", [CREMATION_HEADER, *CREMATIONS, again])
    joined = []
    for size in (1, 10):
        # When the records come in batches of one, then all in one batch
        await wipe(graph)
        await run(graph, files_in(directory), tmp_path / f"rejects-{size}.csv", batch_size=size)
        people = await graph.read(
            "MATCH (rec:SourceRecord)-[:DESCRIBES]->(p:Person) "
            "WHERE rec.key IN ['cremations:C-4', 'cremations:C-6'] RETURN DISTINCT p.id AS id"
        )
        joined.append(len(people) == 1)

    # Then the second joins the first's person either way
    assert joined == [True, True]


def household_head(n: int, community: str, id_number: str, name: str) -> list[str]:
    """A household registration row: a person heading a household of their own."""
    return [f"H-{n}", "测试路", community, "城镇", id_number, name, "户主", "1990-01-01"]


async def ingest_crowd(
    graph: Graph, tmp_path: Path, people: list[list[str]], record: list[str]
) -> None:
    """The test province with `people` as its household registration and one cremation
    `record`, ingested."""
    directory = tmp_path / "exports"
    directory.mkdir()
    write_exports(directory)
    header = ["户号", "住址", "社区代码", "户别", "身份证号", "姓名", "与户主关系", "入户日期"]
    write(directory, "household_registration.csv", [header, *people])
    write(directory, "cremations.csv", [CREMATION_HEADER, record])
    await run(graph, files_in(directory), tmp_path / "rejects.csv", batch_size=500)


async def test_a_namesake_at_home_is_found_among_thousands_elsewhere(
    graph: Graph, tmp_path: Path
) -> None:
    # Given 250 men named 王伟 registered in the next community, then one at home; each born
    # on a day of his own
    namesakes = [
        household_head(n, HOME if n == 250 else "340121001002",
                       resident_id(date(1960, 1, 1) + timedelta(days=n), 101), "王伟")
        for n in range(251)
    ]  # fmt: skip
    # and a cremation record of a 王伟 of that home, born yet another day, without ID number
    record = ["C-9", "", "王伟", "男", "1940-01-01", HOME, HOME_ID, "2025-04-08"]

    # When the registries are ingested
    await ingest_crowd(graph, tmp_path, namesakes, record)

    # Then the record is possibly the namesake at home, and nobody else
    possible = await graph.read(
        "MATCH (:Person {name: '王伟', birthDate: date('1940-01-01')})-[r:POSSIBLY_SAME]->(b) "
        "RETURN b.divisionCode AS home, r.matchKey AS matchKey, r.score AS score"
    )
    assert possible == [{"home": HOME, "matchKey": "name+sex+community", "score": 0.7}]


async def test_a_person_is_found_among_hundreds_born_the_same_day(
    graph: Graph, tmp_path: Path
) -> None:
    # Given 250 people of other names born on 1960-01-01, then 王伟, born that day too
    born = date(1960, 1, 1)
    people = [
        household_head(n, HOME, resident_id(born, 101 + 2 * n),
                       "王伟" if n == 250 else f"李{'明华强军'[n % 4]}")
        for n in range(251)
    ]  # fmt: skip
    # and a cremation record of 王偉 (traditional) born that day, of that home, without ID
    record = ["C-9", "", "王偉", "男", "1960-01-01", HOME, HOME_ID, "2025-04-08"]

    # When the registries are ingested
    await ingest_crowd(graph, tmp_path, people, record)

    # Then the record joins him
    same_day = await graph.read(
        "MATCH (p:Person {birthDate: $born}) RETURN count(p) AS n", born=born
    )
    assert same_day == [{"n": 251}]
    found = await cremated(graph)
    assert (found["C-9"]["idNumber"], found["C-9"]["matchKey"]) == (
        resident_id(born, 601),
        "name~variant+birthDate+sex+community",
    )
