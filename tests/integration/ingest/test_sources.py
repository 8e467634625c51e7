"""Every registry mapping, one small export each, loaded together in dependency order."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import LiteralString

from civgraph.graph.driver import Graph
from civgraph.ingest.mappings import SOURCES
from civgraph.ingest.run import files_in, ordered, run
from tests.builders import uscc
from tests.integration.ingest.test_loader import CHILD, HEAD, SPOUSE, rejects_of, write_files

AGENCY, ASSOCIATION, DECOUPLED = uscc("340121", 1, "11"), uscc("340121", 2), uscc("340121", 3)
COMPANY = uscc("340121", 4, "91")
COMMUNITY = "340121001001"
# fmt: off
ORG = ["统一社会信用代码", "名称", "类型", "状态", "登记日期", "住所", "区划代码", "行业协会商会",
       "慈善组织", "评估等级", "业务主管单位信用代码"]
EXPORTS: dict[str, list[list[str]]] = {
    "social_organizations": [
        ORG,
        [AGENCY, "测试县民政局", "机关", "正常", "1990-01-01", "", "340121", "否", "否", "", ""],
        [ASSOCIATION, "测试行业协会", "社会团体", "正常", "2005-01-01", "", "340121", "是", "否", "3A", AGENCY],
        [DECOUPLED, "已脱钩协会", "社会团体", "正常", "2006-01-01", "", "340121", "是", "否", "", ""],
    ],
    "enterprises": [
        ["统一社会信用代码", "名称", "状态", "登记日期", "住所", "区划代码"],
        [COMPANY, "测试有限公司", "存续", "2015-06-01", "", "340121"],
    ],
    "cadres": [
        ["记录号", "身份证号", "单位信用代码", "职务", "职级", "任职日期", "离任日期"],
        ["C1", HEAD, AGENCY, "局长", "县处级", "2020-01-01", ""],
    ],
    "organization_officers": [
        ["记录号", "身份证号", "单位信用代码", "职务", "领导职务", "已审批备案", "领取报酬", "任职日期", "离任日期"],
        ["O1", HEAD, ASSOCIATION, "会长", "是", "否", "否", "2021-01-01", ""],
    ],
    "enterprise_officers": [
        ["记录号", "身份证号", "单位信用代码", "职务", "任职日期", "离任日期"],
        ["E1", SPOUSE, COMPANY, "法定代表人", "2015-06-01", ""],
    ],
    "enterprise_investors": [
        ["记录号", "身份证号", "统一社会信用代码", "出资比例", "认缴出资额", "出资日期"],
        ["I1", SPOUSE, COMPANY, "60", "100,000", "2015-06-01"],
    ],
    "payroll": [
        ["记录号", "身份证号", "单位信用代码", "岗位", "入职日期", "离职日期"],
        ["P1", CHILD, AGENCY, "科员", "2010-01-01", ""],
    ],
    "tekun": [
        ["供养证号", "身份证号", "状态", "月发放金额", "审批区县", "开始日期", "终止日期"],
        ["TK1", CHILD, "在保", "800", "340121", "2024-01-01", ""],
    ],
    "old_age_allowance": [
        ["发放编号", "身份证号", "状态", "月发放金额", "审批区县", "开始日期", "终止日期"],
        ["GL1", HEAD, "在保", "100", "340121", "2030-03-01", ""],
    ],
    "care_subsidy": [
        ["发放编号", "身份证号", "状态", "月发放金额", "审批区县", "开始日期", "终止日期"],
        ["HL1", HEAD, "在保", "200", "340121", "2024-01-01", ""],
    ],
    "assistance": [
        ["案号", "身份证号", "救助类别", "救助金额", "审批区县", "救助日期"],
        ["A1", SPOUSE, "医疗救助", "5000", "340121", "2024-05-01"],
    ],
    "marriages": [
        ["登记证号", "男方身份证号", "女方身份证号", "结婚登记日期", "离婚登记日期"],
        ["M1", HEAD, SPOUSE, "1974-10-01", ""],
    ],
    "facilities": [
        ["机构代码", "名称", "类型", "床位数", "性质", "法人登记", "地址", "区划代码", "运营单位信用代码",
         "运营开始日期"],
        ["F1", "测试殡仪馆", "殡仪馆", "0", "公办", "是", "", COMMUNITY, AGENCY, "2000-01-01"],
        ["F2", "测试养老院", "养老机构", "10", "社会办", "是", "", COMMUNITY, ASSOCIATION, "2019-01-01"],
        ["F3", "测试幸福院", "农村幸福院", "5", "公办", "否", "", COMMUNITY, "", ""],
    ],
    "facility_residents": [
        ["记录号", "身份证号", "机构代码", "床位号", "入住日期", "离开日期"],
        ["R1", CHILD, "F2", "3-01", "2024-02-01", ""],
    ],
    "cremations": [
        ["火化证号", "身份证号", "殡仪馆代码", "火化日期"],
        ["H1", HEAD, "F1", "2025-01-01"],
    ],
    "vehicles": [
        ["号牌号码", "所有人身份证号", "描述", "登记日期", "注销日期"],
        ["皖A·12345", SPOUSE, "小型轿车", "2022-01-01", ""],
    ],
    "properties": [
        ["不动产权证号", "权利人身份证号", "描述", "登记日期", "注销日期"],
        ["皖(2020)长丰县不动产权第0000001号", HEAD, "住宅", "2020-01-01", ""],
    ],
    "service_projects": [
        ["项目编号", "项目名称", "年度", "金额", "区划代码", "购买单位信用代码", "承接单位信用代码", "服务社区代码"],
        ["SP1", "社区养老服务", "2024", "200000", "340121", AGENCY, ASSOCIATION, COMMUNITY],
    ],
    "community_workers": [
        ["记录号", "身份证号", "姓名", "社区代码", "角色", "职业资格", "用人单位信用代码", "任职日期", "离任日期"],
        ["W1", CHILD, "测试子", COMMUNITY, "社会工作者", "社会工作师", ASSOCIATION, "2023-01-01", ""],
        ["W2", HEAD, "测试户主", COMMUNITY, "村(居)委会成员", "", "", "2021-01-01", ""],
    ],
    "volunteers": [
        ["记录号", "身份证号", "社区代码", "注册日期", "注销日期"],
        ["V1", SPOUSE, COMMUNITY, "2022-03-05", ""],
    ],
    "community_services": [
        ["备案号", "统一社会信用代码", "社区代码", "开始日期", "结束日期"],
        ["S1", ASSOCIATION, COMMUNITY, "2024-01-01", ""],
    ],
    "dibao_standards": [
        ["文号", "区划代码", "保障类别", "月标准", "执行日期", "终止日期"],
        ["B1", "340121", "城市", "800", "2025-01-01", "2025-12-31"],
        ["B2", "340121", "城市", "880", "2026-01-01", ""],
    ],
}
# fmt: on

# The small exports of test_loader hold rows rejected on purpose.
WRITE_FILES_REJECTS = {"communities.xlsx", "household_registration.csv", "dibao.jsonl"}
EXPECTED: dict[LiteralString, int] = {
    "(:Organization)-[:SUPERVISED_BY]->(:Organization)": 1,
    "(:Person)-[:HOLDS_POST]->(:Organization)": 3,
    "(:Person)-[:INVESTED_IN]->(:Organization)": 1,
    "(:Person)-[:EMPLOYED_BY {publicPayroll: true}]->(:Organization)": 1,
    "(:Person)-[:ENROLLED_IN]->(:Program)": 4,
    "(:Person)-[:MARRIED_TO]->(:Person)": 1,
    "(:Organization)-[:OPERATES]->(:Facility)": 2,
    "(:Facility)-[:LOCATED_IN]->(:Community)": 3,
    "(:Person)-[:RESIDENT_OF]->(:Facility)": 1,
    "(:Person)-[:CREMATED_AT]->(:Facility)": 1,
    "(:Person)-[:OWNS]->(:Asset)": 2,
    "(:Organization)-[:FUNDS]->(:ServiceProject)": 1,
    "(:Organization)-[:DELIVERS]->(:ServiceProject)": 1,
    "(:ServiceProject)-[:DELIVERED_IN]->(:Community)": 1,
    "(:Person)-[:SERVES]->(:Community)": 2,
    "(:Person {socialWorkerLevel: 'INTERMEDIATE'})-[:EMPLOYED_BY {position: '社会工作者'}]->(:Organization)": 1,
    "(:Person)-[:VOLUNTEERS_FOR]->(:Community)": 1,
    "(:Organization)-[:SERVES {role: 'SERVICE_PROVIDER'}]->(:Community)": 1,
    "(:Region)-[:SETS_STANDARD]->(:Program)": 2,
}


def write_exports(directory: Path) -> None:
    write_files(directory)
    for name, rows in EXPORTS.items():
        with (directory / f"{name}.csv").open("w", encoding="utf-8", newline="") as out:
            csv.writer(out).writerows(rows)


def test_every_mapping_has_an_export_here_and_dependencies_come_first() -> None:
    names = [source.name for source in ordered(list(SOURCES))]

    assert set(EXPORTS) | {"regions", "communities", "household_registration", "dibao"} == set(
        SOURCES
    )
    assert names.index("enterprises") < names.index("enterprise_investors")
    assert names.index("facilities") < names.index("cremations")


async def test_every_registry_loads_into_its_relationships(graph: Graph, tmp_path: Path) -> None:
    write_exports(tmp_path)

    summaries, _ = await run(graph, files_in(tmp_path), tmp_path / "rejects.csv", batch_size=50)

    loaded = {s.source: s.loaded for s in summaries}
    assert all(loaded[name] == len(rows) - 1 for name, rows in EXPORTS.items()), loaded
    assert [
        r for r in rejects_of(tmp_path / "rejects.csv") if r[0] not in WRITE_FILES_REJECTS
    ] == []
    for pattern, count in EXPECTED.items():
        rows = await graph.read("MATCH " + pattern + " RETURN count(*) AS n")
        assert rows == [{"n": count}], pattern
