"""Registry files in every format into the real graph: loaded or rejected, never lost."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from civgraph.graph.catalog import Label
from civgraph.graph.changes import Operation, read_changes
from civgraph.graph.driver import Graph
from civgraph.graph.provenance import sources_of
from civgraph.ingest.run import files_in, run
from tests.builders import GRAPH_COUNTS, resident_id, seen_by

HEAD = resident_id(date(1950, 3, 1), 11)
SPOUSE = resident_id(date(1952, 4, 2), 22)
CHILD = resident_id(date(1980, 5, 3), 31)
COUSIN = resident_id(date(1960, 1, 1), 41)
LATE = resident_id(date(1961, 1, 1), 51)
BAD_CHECKSUM = HEAD[:-1] + ("0" if HEAD[-1] != "0" else "1")

REGISTRATION_HEADER = [
    "户号",
    "住址",
    "社区代码",
    "户别",
    "身份证号",
    "姓名",
    "与户主关系",
    "入户日期",
    "联系电话",
]
REGISTRATION = [
    ["H-1", "测试路1号", "340121001001", "农村", HEAD, "甲", "户主", "1975-01-01", ""],
    ["H-1", "测试路1号", "340121001001", "农村", SPOUSE, "乙", "配偶", "1976/02/03", ""],
    ["H-1", "测试路1号", "340121001001", "农村", CHILD, "丙", "子", "19800503", ""],
    ["H-2", "测试路2号", "340121001001", "城镇", BAD_CHECKSUM, "丁", "户主", "2000-01-01", ""],
    ["H-2", "测试路2号", "340121001001", "城镇", COUSIN, "戊", "表亲", "2000-01-01", ""],
    ["H-3", "测试路3号", "340121001001", "城镇", LATE, "己", "户主", "2000-02-30", ""],
]  # fmt: skip


def write_files(directory: Path) -> None:
    with (directory / "regions.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        regions = [
            ["340000", "安徽省"],
            ["340100", "合肥市"],
            ["340121", "长丰县"],
            ["340121001", "测试镇"],
        ]
        writer.writerows([["代码", "名称"], *regions])
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["代码", "名称", "类别", "信息平台"])
    sheet.append(["340121001001", "测试社区居委会", "居委会", "是"])
    sheet.append(["340121001002", "测试村村委会", "村落", "否"])  # unknown kind
    book.save(directory / "communities.xlsx")
    with (directory / "household_registration.csv").open("w", encoding="gbk", newline="") as out:
        csv.writer(out).writerows([REGISTRATION_HEADER, *REGISTRATION])
    lines = [
        {"户号": "H-1", "保障类别": "农村", "状态": "在保", "月保障金": "1,200", "救助证号": "DB-1",
         "审批区县": "340121", "开始日期": "2023-01-01", "终止日期": ""},
        {"户号": "H-9", "保障类别": "农村", "状态": "在保", "月保障金": "800", "救助证号": "DB-2",
         "审批区县": "340121", "开始日期": "2023-01-01", "终止日期": ""},
    ]  # fmt: skip
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n{not json\n"
    (directory / "dibao.jsonl").write_text(text, encoding="utf-8")


def rejects_of(report: Path) -> list[tuple[str, str, str, str]]:
    with report.open(encoding="utf-8") as file:
        return [(r["file"], r["line"], r["column"], r["reason"]) for r in csv.DictReader(file)]


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    directory = tmp_path / "exports"
    directory.mkdir()
    write_files(directory)
    return directory


async def test_every_row_is_loaded_or_rejected_with_its_reason(
    graph: Graph, exports: Path, tmp_path: Path
) -> None:
    report = tmp_path / "rejects.csv"

    summaries, _ = await run(graph, files_in(exports), report, batch_size=2)

    counts = {s.source: (s.read, s.loaded, s.rejected) for s in summaries}
    assert counts == {
        "regions": (4, 4, 0),
        "communities": (2, 1, 1),
        "household_registration": (6, 3, 3),
        "dibao": (3, 1, 2),
    }
    rejects = rejects_of(report)
    assert [(f, line, column) for f, line, column, _ in rejects] == [
        ("communities.xlsx", "3", "类别"),
        ("household_registration.csv", "5", "身份证号"),
        ("household_registration.csv", "6", "与户主关系"),
        ("household_registration.csv", "7", "入户日期"),
        ("dibao.jsonl", "2", "保障类别"),
        ("dibao.jsonl", "3", ""),
    ]
    reasons = [reason for *_, reason in rejects]
    assert "unknown code '村落'" in reasons[0]
    assert "checksum" in reasons[1]
    assert "impossible date" in reasons[3]
    assert "no Household 'H-9'" in reasons[4]
    assert "not JSON" in reasons[5]


async def test_the_loaded_rows_form_the_graph(graph: Graph, exports: Path, tmp_path: Path) -> None:
    await run(graph, files_in(exports), tmp_path / "rejects.csv", batch_size=100)

    members = await graph.read(
        "MATCH (p:Person)-[m:MEMBER_OF]->(h:Household {number: 'H-1'})-[:REGISTERED_IN]->(c) "
        "RETURN p.name AS name, m.relation AS relation, m.since AS since, c.code AS community "
        "ORDER BY name"
    )
    enrollment = await graph.read(
        "MATCH (:Household {number: 'H-1'})-[r:ENROLLED_IN]->(p:Program) "
        "RETURN p.code AS program, r.amount AS amount, r.source AS source, r.recordKey AS key"
    )
    assert members == [
        {"name": "丙", "relation": "CHILD", "since": date(1980, 5, 3), "community": "340121001001"},
        {
            "name": "乙",
            "relation": "SPOUSE",
            "since": date(1976, 2, 3),
            "community": "340121001001",
        },
        {"name": "甲", "relation": "HEAD", "since": date(1975, 1, 1), "community": "340121001001"},
    ]
    assert enrollment == [
        {"program": "DIBAO_RURAL", "amount": 1200.0, "source": "dibao", "key": "DB-1"}
    ]


async def test_running_the_same_files_again_changes_nothing(
    graph: Graph, exports: Path, tmp_path: Path
) -> None:
    first, _ = await run(graph, files_in(exports), tmp_path / "first.csv", batch_size=3)
    after_first = await graph.read(GRAPH_COUNTS)

    second, _ = await run(graph, files_in(exports), tmp_path / "second.csv", batch_size=5)

    assert await graph.read(GRAPH_COUNTS) == after_first
    assert [(s.loaded, s.rejected) for s in second] == [(s.loaded, s.rejected) for s in first]
    assert rejects_of(tmp_path / "second.csv") == rejects_of(tmp_path / "first.csv")


async def test_every_entity_keeps_the_records_it_came_from(
    graph: Graph, exports: Path, tmp_path: Path
) -> None:
    await run(graph, files_in(exports), tmp_path / "rejects.csv", batch_size=2)
    household = await graph.read("MATCH (h:Household {number: 'H-1'}) RETURN h.id AS id")
    head = await graph.read("MATCH (p:Person {idNumber: $id}) RETURN p.id AS id", id=HEAD)

    records = await sources_of(seen_by(graph), Label.HOUSEHOLD, [household[0]["id"]], limit=10)
    of_head = await sources_of(seen_by(graph), Label.PERSON, [head[0]["id"]], limit=10)

    assert [
        (r.source, r.record_key, r.file, r.line, r.match_key, r.score)
        for r in records[household[0]["id"]]
    ] == [
        ("household_registration", HEAD, "household_registration.csv", 2, "number", 1.0),
        ("household_registration", SPOUSE, "household_registration.csv", 3, "number", 1.0),
        ("household_registration", CHILD, "household_registration.csv", 4, "number", 1.0),
        ("dibao", "DB-1", "dibao.jsonl", 1, "number", 1.0),
    ]
    assert [(r.source, r.record_key, r.match_key) for r in of_head[head[0]["id"]]] == [
        ("household_registration", HEAD, "idNumber")
    ]


async def test_an_entity_several_rows_of_a_batch_state_changes_once(
    graph: Graph, exports: Path, tmp_path: Path
) -> None:
    # Given a household that three rows of one batch state alike (one row per member)
    await run(graph, files_in(exports), tmp_path / "rejects.csv", batch_size=100)

    # Then it was created once: version 1, one creation event; each row's record describes it
    # (and the 低保 row's)
    found = await graph.read(
        "MATCH (h:Household {number: 'H-1'})<-[:DESCRIBES]-(r:SourceRecord) "
        "RETURN h.id AS id, h.version AS version, count(r) AS records"
    )
    changes = await read_changes(seen_by(graph), None, 1000)
    created = [c for c in changes if c.entity_id == found[0]["id"]]
    assert (found[0]["version"], found[0]["records"]) == (1, 4)
    assert [c.operation for c in created] == [Operation.NODE_CREATED]


PROVENANCE = """
MATCH (p:Person {idNumber: $id})-[m:MEMBER_OF]->(h:Household)-[r:REGISTERED_IN]->()
MATCH (rec:SourceRecord {key: 'household_registration:' + $id})
RETURN [x IN [p, h, m, r] | [x.version, x.recordKey, x.lastSeen]] AS written,
       rec.lastSeen AS read
"""


async def test_a_row_read_again_unchanged_writes_only_its_record(
    graph: Graph, exports: Path, tmp_path: Path
) -> None:
    # given the files loaded once
    await run(graph, files_in(exports), tmp_path / "first.csv", batch_size=100)
    [first] = await graph.read(PROVENANCE, id=CHILD)

    # when they are loaded again, nothing in them changed
    await run(graph, files_in(exports), tmp_path / "second.csv", batch_size=100)

    # then the person, household, membership and REGISTERED_IN are as the first load left
    # them (version, record, lastSeen: that of the write that last changed them); the record
    # says when it was read again
    [second] = await graph.read(PROVENANCE, id=CHILD)
    assert second["written"] == first["written"]
    assert second["read"] > first["read"]
