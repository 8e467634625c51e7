"""Every registry that names a person or an organization resolves the rows without an ID
number or credit code, through the real loader into the real graph: a confident match joins
the registered one, a grey one becomes an entity of its own linked POSSIBLY_SAME, and a row
is rejected only when it lacks what resolution needs too (the reason says what)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from civgraph.graph.driver import Graph
from civgraph.ingest.parsing import Summary
from civgraph.ingest.run import files_in, inventory, run
from tests.builders import resident_id, uscc

HOME, COUNTY, NEIGHBOUR = "340121001001", "340121", "340122"  # 长丰县; 肥东县, same city
WOMAN = resident_id(date(1948, 6, 15), 12)  # 陈秀英
MAN = resident_id(date(1950, 1, 2), 21)  # 王建国
OTHER = resident_id(date(1945, 3, 4), 32)  # 李桂兰
AGENCY = uscc(COUNTY, 1, "11")  # 长丰县民政局
SOCIETY = uscc(COUNTY, 2)  # 长丰县养老服务协会
ENTERPRISE = uscc(COUNTY, 3, "91")  # 长丰县测试科技有限公司

REGIONS = [["340000", "安徽省"], ["340100", "合肥市"], [COUNTY, "长丰县"], [NEIGHBOUR, "肥东县"]]
ORGANIZATIONS = [
    [AGENCY, "长丰县民政局", "机关", "正常", "2001-01-01", "长丰县政务中心", COUNTY],
    [SOCIETY, "长丰县养老服务协会", "社会团体", "正常", "2015-01-01", "长丰县水湖镇", COUNTY],
]
ENTERPRISES = [[ENTERPRISE, "长丰县测试科技有限公司", "存续", "2016-01-01", "水湖镇", COUNTY]]


def write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def table(header: list[str], rows: list[list[str]]) -> list[dict[str, str]]:
    return [dict(zip(header, row, strict=True)) for row in rows]


def write_registered(directory: Path) -> None:
    """Three registered people, a government agency, a social organization, an enterprise."""
    write(directory / "regions.csv", table(["代码", "名称"], [*REGIONS, ["340121001", "测试镇"]]))
    community = {"代码": HOME, "名称": "测试社区居委会", "类别": "居委会", "信息平台": "是"}
    write(directory / "communities.csv", [community])
    people = [(WOMAN, "陈秀英"), (MAN, "王建国"), (OTHER, "李桂兰")]
    write(directory / "household_registration.csv", [
        {"户号": f"H-{n}", "住址": "测试路", "社区代码": HOME, "户别": "城镇", "身份证号": number,
         "姓名": name, "与户主关系": "户主", "入户日期": "1990-01-01"}
        for n, (number, name) in enumerate(people)
    ])  # fmt: skip
    org_header = ["统一社会信用代码", "名称", "类型", "状态", "登记日期", "住所", "区划代码"]
    write(directory / "social_organizations.csv", table(org_header, ORGANIZATIONS))
    enterprise_header = ["统一社会信用代码", "名称", "状态", "登记日期", "住所", "区划代码"]
    write(directory / "enterprises.csv", table(enterprise_header, ENTERPRISES))


@dataclass(frozen=True)
class Registry:
    """A registry as exported: its record-key column, the prefix of its person columns
    (所有人姓名…), and the columns every row of the test has."""

    source: str
    key: str
    owner: str = ""
    fixed: dict[str, str] = field(default_factory=dict)

    def row(self, key: str, name: str, sex: str, born: str) -> dict[str, str]:
        person = {"身份证号": "", "姓名": name, "性别": sex, "出生日期": born}
        return {self.key: key} | {self.owner + k: v for k, v in person.items()} | self.fixed


REGISTRIES = [
    Registry("enterprise_officers", "记录号", fixed={
        "单位信用代码": ENTERPRISE, "职务": "法定代表人", "任职日期": "2020-01-01"}),
    Registry("enterprise_investors", "记录号", fixed={
        "统一社会信用代码": ENTERPRISE, "出资比例": "30", "认缴出资额": "100,000",
        "出资日期": "2020-01-01"}),
    Registry("vehicles", "号牌号码", "所有人", {"描述": "小型轿车", "登记日期": "2021-05-06"}),
    Registry("properties", "不动产权证号", "权利人", {"描述": "住宅", "登记日期": "2019-03-04"}),
    Registry("cadres", "记录号", fixed={
        "单位信用代码": AGENCY, "职务": "局长", "职级": "正处级", "任职日期": "2018-01-01"}),
    Registry("organization_officers", "记录号", fixed={
        "单位信用代码": SOCIETY, "职务": "会长", "领导职务": "是", "已审批备案": "否",
        "领取报酬": "否", "任职日期": "2019-01-01"}),
    Registry("payroll", "记录号", fixed={
        "单位信用代码": AGENCY, "岗位": "科员", "入职日期": "2010-01-01"}),
    Registry("tekun", "供养证号", fixed={
        "状态": "在保", "月发放金额": "900", "审批区县": COUNTY, "开始日期": "2022-01-01"}),
]  # fmt: skip

# What a record describes (its subject, and a resolved or personal target), and how.
DESCRIBED = """
MATCH (rec:SourceRecord {key: $source + ':' + $key})-[d:DESCRIBES]->(e)
WHERE e:Person OR e:Organization
RETURN coalesce(d.role, 'source') AS end, e.idNumber AS idNumber, e.uscc AS uscc,
       e.name AS name, d.matchKey AS matchKey, d.score AS score
ORDER BY end
"""
# The entities a record's relationships join (subject first).
JOINED = """
MATCH (s)-[r]->(t) WHERE r.source = $source AND r.recordKey = $key AND type(r) <> 'POSSIBLY_SAME'
RETURN type(r) AS type, coalesce(s.idNumber, s.uscc, s.name) AS source,
       coalesce(t.idNumber, t.uscc, t.name, t.registration, t.code) AS target
"""
POSSIBLE = """
MATCH (a)-[r:POSSIBLY_SAME]->(b) WHERE r.source = $source
RETURN r.recordKey AS record, a.name AS name, coalesce(b.idNumber, b.uscc) AS candidate,
       r.score AS score, r.matchKey AS matchKey ORDER BY record, candidate
"""


async def ingest(graph: Graph, directory: Path, report: Path) -> dict[str, Summary]:
    summaries, _ = await run(graph, files_in(directory), report, batch_size=10)
    return {summary.source: summary for summary in summaries}


def rejects_of(report: Path) -> list[tuple[str, str, str, str]]:
    with report.open(encoding="utf-8") as file:
        return [(r["source"], r["line"], r["column"], r["reason"]) for r in csv.DictReader(file)]


@pytest.mark.parametrize("registry", REGISTRIES, ids=[r.source for r in REGISTRIES])
async def test_a_row_without_an_id_number_joins_or_is_possibly_the_same(
    graph: Graph, tmp_path: Path, registry: Registry
) -> None:
    write_registered(tmp_path)
    write(tmp_path / f"{registry.source}.csv", [
        registry.row("R-1", "王建国", "男", "1950-01-02"),  # the registered man: joins
        registry.row("R-2", "李桂芝", "女", "1945-03-04"),  # 李桂兰 mistyped: grey
        registry.row("R-3", "赵铁柱", "男", ""),  # no birth date: nothing to resolve by
    ])  # fmt: skip

    summary = (await ingest(graph, tmp_path, tmp_path / "rejects.csv"))[registry.source]

    assert (summary.loaded, summary.rejected, summary.merged, summary.possible) == (2, 1, 1, 1)
    joined = await graph.read(DESCRIBED, source=registry.source, key="R-1")
    assert [(r["end"], r["idNumber"], r["matchKey"], r["score"]) for r in joined] == [
        ("source", MAN, "name+birthDate+sex", 1.0)
    ]
    assert [r["source"] for r in await graph.read(JOINED, source=registry.source, key="R-1")] == [
        MAN
    ]
    own = await graph.read(DESCRIBED, source=registry.source, key="R-2")
    assert [(r["idNumber"], r["name"], r["matchKey"]) for r in own] == [(None, "李桂芝", "record")]
    assert await graph.read(POSSIBLE, source=registry.source) == [
        {"record": "R-2", "name": "李桂芝", "candidate": OTHER, "score": 0.79,
         "matchKey": "name~typo+birthDate+sex"}
    ]  # fmt: skip
    owner = f"{registry.owner}身份证号"
    needs = f"{registry.owner}姓名+{registry.owner}出生日期"
    assert rejects_of(tmp_path / "rejects.csv") == [
        (registry.source, "4", owner, f"missing {owner} and no {needs} to resolve the person by")
    ]


MARRIAGE = ["登记证号", "男方身份证号", "男方姓名", "男方出生日期", "女方身份证号", "女方姓名",
            "女方出生日期", "结婚登记日期", "离婚登记日期"]  # fmt: skip


async def test_both_spouses_of_a_marriage_are_resolved(graph: Graph, tmp_path: Path) -> None:
    write_registered(tmp_path)
    write(tmp_path / "marriages.csv", table(MARRIAGE, [
        ["M-1", "", "王建国", "1950-01-02", "", "陈秀英", "1948-06-15", "1970-05-01", ""],
        ["M-2", "", "王建图", "1950-01-02", OTHER, "", "", "1980-01-01", ""],  # man mistyped
        ["M-3", MAN, "", "", "", "李桂芝", "1945-03-04", "1990-01-01", ""],  # woman mistyped
        ["M-4", MAN, "", "", "", "李桂芝", "", "1991-01-01", ""],  # woman unidentifiable
    ]))  # fmt: skip

    summary = (await ingest(graph, tmp_path, tmp_path / "rejects.csv"))["marriages"]

    assert (summary.loaded, summary.rejected, summary.merged, summary.possible) == (3, 1, 2, 2)
    both = await graph.read(DESCRIBED, source="marriages", key="M-1")
    assert [(r["end"], r["idNumber"], r["matchKey"], r["score"]) for r in both] == [
        ("source", MAN, "name+birthDate+sex", 1.0),
        ("target", WOMAN, "name+birthDate+sex", 1.0),
    ]
    assert await graph.read(JOINED, source="marriages", key="M-1") == [
        {"type": "MARRIED_TO", "source": MAN, "target": WOMAN}
    ]
    assert await graph.read(JOINED, source="marriages", key="M-2") == [
        {"type": "MARRIED_TO", "source": "王建图", "target": OTHER}
    ]
    assert await graph.read(JOINED, source="marriages", key="M-3") == [
        {"type": "MARRIED_TO", "source": MAN, "target": "李桂芝"}
    ]
    assert [(r["record"], r["name"], r["candidate"]) for r in
            await graph.read(POSSIBLE, source="marriages")] == [
        ("M-2", "王建图", MAN), ("M-3", "李桂芝", OTHER),
    ]  # fmt: skip
    reason = "missing 女方身份证号 and no 女方姓名+女方出生日期 to resolve the person by"
    assert rejects_of(tmp_path / "rejects.csv") == [("marriages", "5", "女方身份证号", reason)]


async def test_a_second_run_keeps_each_spouses_decision(graph: Graph, tmp_path: Path) -> None:
    write_registered(tmp_path)
    write(tmp_path / "marriages.csv", table(MARRIAGE, [
        ["M-1", "", "王建国", "1950-01-02", "", "陈秀英", "1948-06-15", "1970-05-01", ""],
        ["M-2", "", "王建图", "1950-01-02", "", "李桂芝", "1945-03-04", "1980-01-01", ""],
    ]))  # fmt: skip
    await ingest(graph, tmp_path, tmp_path / "first.csv")
    first = [await graph.read(DESCRIBED, source="marriages", key=k) for k in ("M-1", "M-2")]

    summary = (await ingest(graph, tmp_path, tmp_path / "second.csv"))["marriages"]

    assert [await graph.read(DESCRIBED, source="marriages", key=k) for k in ("M-1", "M-2")] == first
    assert (summary.loaded, summary.merged, summary.possible) == (2, 0, 0)  # decided before
    count = await graph.read("MATCH (p:Person) RETURN count(p) AS n")
    assert count == [{"n": 5}]  # three registered, the two mistyped spouses


CADRE = ["记录号", "身份证号", "单位信用代码", "单位名称", "区划代码", "职务", "职级", "任职日期"]


async def test_an_organization_without_a_credit_code_is_resolved_by_name_and_region(
    graph: Graph, tmp_path: Path
) -> None:
    write_registered(tmp_path)
    write(tmp_path / "cadres.csv", table(CADRE, [
        ["K-1", MAN, "", "长丰县民政局", COUNTY, "局长", "正处级", "2018-01-01"],  # joins
        ["K-2", WOMAN, "", "长丰县民政局", NEIGHBOUR, "副局长", "副科级", "2018-01-01"],  # grey
        ["K-3", OTHER, "", "长丰县档案馆", COUNTY, "馆长", "乡科级正职", "2018-01-01"],  # new
        ["K-4", OTHER, "", "", COUNTY, "馆长", "科级副职", "2019-01-01"],  # no name: rejected
    ]))  # fmt: skip

    summary = (await ingest(graph, tmp_path, tmp_path / "rejects.csv"))["cadres"]

    assert (summary.loaded, summary.rejected, summary.merged, summary.possible) == (3, 1, 1, 1)
    joined = await graph.read(DESCRIBED, source="cadres", key="K-1")
    assert [(r["end"], r["idNumber"], r["uscc"], r["matchKey"], r["score"]) for r in joined] == [
        ("source", MAN, None, "idNumber", 1.0),
        ("target", None, AGENCY, "name+county", 0.95),
    ]
    assert await graph.read(JOINED, source="cadres", key="K-1") == [
        {"type": "HOLDS_POST", "source": MAN, "target": AGENCY}
    ]
    assert await graph.read(POSSIBLE, source="cadres") == [
        {"record": "K-2", "name": "长丰县民政局", "candidate": AGENCY, "score": 0.85,
         "matchKey": "name+city"}
    ]  # fmt: skip
    own = await graph.read(
        "MATCH (o:Organization) WHERE o.uscc IS NULL "
        "RETURN o.name AS name, o.divisionCode AS region, o.kind AS kind ORDER BY name, region"
    )
    assert own == [
        {"name": "长丰县档案馆", "region": COUNTY, "kind": "GOVERNMENT_AGENCY"},
        {"name": "长丰县民政局", "region": NEIGHBOUR, "kind": "GOVERNMENT_AGENCY"},
    ]
    ranks = await graph.read("MATCH ()-[r:HOLDS_POST]->() RETURN r.rank AS rank ORDER BY rank")
    assert [r["rank"] for r in ranks] == ["DIVISION", "SECTION", "SECTION"]
    reason = "missing 单位信用代码 and no 单位名称+区划代码 to resolve the organization by"
    assert rejects_of(tmp_path / "rejects.csv") == [("cadres", "5", "单位信用代码", reason)]


async def test_the_summary_lists_files_and_columns_it_did_not_read(
    graph: Graph, tmp_path: Path
) -> None:
    write_registered(tmp_path)
    (tmp_path / "notes.txt").write_text("not an export", encoding="utf-8")
    write(tmp_path / "pensions.csv", [{"身份证号": MAN, "金额": "100"}])
    vehicle = Registry("vehicles", "号牌号码", "所有人", {"描述": "轿车", "登记日期": "2021-05-06"})
    write(tmp_path / "vehicles.csv", [
        vehicle.row("皖A12345", "王建国", "男", "1950-01-02") | {"车身颜色": "白", "备注": ""}
    ])  # fmt: skip

    listed = inventory(tmp_path)
    summaries = await ingest(graph, tmp_path, tmp_path / "rejects.csv")

    assert listed.unknown == ["notes.txt", "pensions.csv"]
    assert summaries["vehicles"].unknown_columns == ["备注", "车身颜色"]
    assert summaries["vehicles"].loaded == 1
    assert all(s.unknown_columns == [] for name, s in summaries.items() if name != "vehicles")
