"""The rules over registry files written by hand (not by `civgraph synth`), loaded with
`civgraph ingest` and asked through GraphQL over HTTP: a household's 低保 paid after its only
member's cremation, urban and rural 低保 at once in two counties, undeclared means of a
member and of a spouse outside the household, and what an investigator of one county sees
of evidence in another. The rules and the 核对 report judge each household the same way."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from civgraph.graph.connection import Target
from civgraph.graph.driver import Graph
from tests import builders
from tests.servers import Api, create_key, server_env

AS_OF = "2026-06-30"
HOME, AWAY = "340121001001", "340104001001"  # communities of 长丰县 and 蜀山区


def person(born: date, sequence: int) -> str:
    return builders.resident_id(born, sequence)


ALONE = person(date(1940, 5, 1), 11)  # the only member of a 低保 household, cremated
TWICE = person(date(1960, 2, 2), 13)  # head of a household on urban and rural 低保
DRIVER = person(date(1970, 3, 3), 15)  # on 低保, owns a car, married outside the household
SPOUSE = person(date(1972, 4, 4), 16)  # registered in the other county, owns a car too

REGISTRIES: dict[str, list[list[str]]] = {
    "regions": [["代码", "名称"], ["340000", "安徽省"], ["340100", "合肥市"],
                ["340121", "长丰县"], ["340104", "蜀山区"], ["340121001", "测试镇"],
                ["340104001", "测试街道"]],
    "communities": [["代码", "名称", "类别", "信息平台"], [HOME, "测试社区居委会", "居委会", "否"],
                    [AWAY, "测试村村委会", "村委会", "否"]],
    "household_registration": [
        ["户号", "住址", "社区代码", "户别", "身份证号", "姓名", "与户主关系", "入户日期",
         "联系电话"],
        ["H-ALONE", "测试路1号", HOME, "城镇", ALONE, "独居甲", "户主", "1990-01-01", ""],
        ["H-TWICE", "测试路2号", HOME, "城镇", TWICE, "重复乙", "户主", "1990-01-01", ""],
        ["H-MEANS", "测试路3号", HOME, "城镇", DRIVER, "有车丙", "户主", "1995-01-01", ""],
        ["H-OUT", "测试村4号", AWAY, "农村", SPOUSE, "在外丁", "户主", "1995-01-01", ""],
    ],
    "dibao": [
        ["户号", "保障类别", "状态", "月保障金", "救助证号", "审批区县", "开始日期", "终止日期"],
        ["H-ALONE", "城市", "在保", "800", "DB-A", "340121", "2024-01-01", ""],
        ["H-TWICE", "城市", "在保", "900", "DB-B1", "340121", "2024-01-01", ""],
        ["H-TWICE", "农村", "在保", "700", "DB-B2", "340104", "2025-01-01", ""],
        ["H-MEANS", "城市", "在保", "900", "DB-C", "340121", "2024-01-01", ""],
    ],
    "facilities": [
        ["机构代码", "名称", "类型", "床位数", "性质", "法人登记", "地址", "区划代码",
         "运营单位信用代码", "运营开始日期"],
        ["F-FUNERAL", "测试殡仪馆", "殡仪馆", "0", "公办", "是", "测试路9号", "340121", "", ""],
    ],
    "cremations": [
        ["火化证号", "身份证号", "姓名", "性别", "出生日期", "社区代码", "殡仪馆代码", "火化日期"],
        ["HH-1", ALONE, "独居甲", "男", "1940-05-01", HOME, "F-FUNERAL", "2026-03-01"],
    ],
    "vehicles": [  # the last row has no ID number: a name that sounds like 重复乙's
        ["号牌号码", "所有人身份证号", "描述", "登记日期", "注销日期", "所有人姓名", "所有人性别",
         "所有人出生日期"],
        ["皖A12345", DRIVER, "小型轿车", "2025-01-01", "", "", "", ""],
        ["皖A54321", SPOUSE, "小型轿车", "2025-02-01", "", "", "", ""],
        ["皖A67890", "", "小型货车", "2025-03-01", "", "重复以", "男", "1960-02-02"],
    ],
    "marriages": [
        ["登记证号", "男方身份证号", "女方身份证号", "结婚登记日期", "离婚登记日期"],
        ["JH-1", DRIVER, SPOUSE, "2000-01-01", ""],
    ],
}  # fmt: skip

FINDINGS = """
query ($region: DivisionCode!, $asOf: Date!) {
  benefitsAfterDeath(regionCode: $region, asOf: $asOf) { ...page }
  duplicateEnrollments(regionCode: $region, asOf: $asOf) { ...page }
  assistedMeans(regionCode: $region, asOf: $asOf) { ...page }
  hiddenSpouses(regionCode: $region, asOf: $asOf) { ...page }
}
fragment page on FindingPage {
  totalCount
  findings {
    key regionCode detail confidence
    withheld { entities links regionCodes }
    entities { __typename ... on Person { name } ... on Household { number }
               ... on Program { code } }
    evidence { type source { id } target { id } record { registry matchKey score } }
  }
}"""
REPORT = """
query ($id: ID!, $asOf: Date!) {
  verificationReport(householdId: $id, asOf: $asOf) {
    checks { name passed failing }
    members { person { ... on Person { name } } signals { kind }
              outsideSpouses { person { ... on Person { name } } signals { kind } } }
  }
}"""
LOCAL_REPORT = """
query ($id: ID!, $asOf: Date!) {
  verificationReport(householdId: $id, asOf: $asOf) {
    checks { name passed failing }
    withheld { entities links regionCodes }
    members { outsideSpouses { person { ... on Person { name } } } }
  }
}"""
HOUSEHOLDS = "{ households(first: 10) { nodes { id number } } }"


def write_registries(folder: Path) -> None:
    for name, rows in REGISTRIES.items():
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as out:
            csv.writer(out).writerows(rows)


def ingest(neo4j: Target, folder: Path) -> None:
    env = server_env(folder, 0, CIVGRAPH_NEO4J_URI=neo4j.uri,
                     CIVGRAPH_NEO4J_PASSWORD=neo4j.password)  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "civgraph", "ingest", "--dir", str(folder),
         "--rejects", str(folder / "rejects.csv")],
        env=env, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rejected = (folder / "rejects.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert rejected == []


@pytest.fixture
def loaded(neo4j: Target, graph: Graph, tmp_path: Path) -> Path:
    """The registries, ingested into an empty graph (`graph` wipes it)."""
    write_registries(tmp_path)
    ingest(neo4j, tmp_path)
    return tmp_path


def by_rule(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    assert "errors" not in body, body["errors"]
    return dict(body["data"])


SIGNAL_CHECKS = {"VEHICLE": "NO_VEHICLE", "ENTERPRISE_ROLE": "NO_ENTERPRISE",
                 "INVESTMENT": "NO_ENTERPRISE", "PROPERTY": "AT_MOST_ONE_PROPERTY_EACH",
                 "PUBLIC_PAYROLL": "NO_PUBLIC_PAYROLL"}  # fmt: skip


def check_of(rule: str, finding: dict[str, Any]) -> str:
    """The report's check a rule's finding on a household fails."""
    if rule == "assistedMeans":
        return SIGNAL_CHECKS[finding["detail"]["signal"]]
    return {"benefitsAfterDeath": "NO_DEATHS", "hiddenSpouses": "SPOUSES_DECLARED"}[rule]


def names(finding: dict[str, Any]) -> set[str]:
    return {e.get("name") or e.get("number") or e.get("code") for e in finding["entities"]}


async def test_hand_written_registries_give_each_finding_with_its_evidence(
    api: Api, neo4j: Target, loaded: Path
) -> None:
    investigator = create_key(neo4j, "investigator")

    pages = by_rule(api.post(FINDINGS, investigator, region="340000", asOf=AS_OF))

    [dead] = pages["benefitsAfterDeath"]["findings"]
    assert names(dead) == {"独居甲", "H-ALONE", "DIBAO_URBAN"}
    assert (dead["detail"]["via"], dead["detail"]["died"]) == ("HOUSEHOLD", "2026-03-01")
    assert {e["type"] for e in dead["evidence"]} == {"ENROLLED_IN", "MEMBER_OF", "CREMATED_AT"}
    cremation = next(e for e in dead["evidence"] if e["type"] == "CREMATED_AT")
    assert cremation["record"] == {"registry": "cremations", "matchKey": "idNumber", "score": 1.0}
    assert (dead["regionCode"], dead["confidence"]) == ("340121", 1.0)

    [twice] = pages["duplicateEnrollments"]["findings"]
    assert twice["detail"]["family"] == "DIBAO"
    assert sorted(twice["detail"]["programs"]) == ["DIBAO_RURAL", "DIBAO_URBAN"]
    assert sorted(twice["detail"]["regions"]) == ["340104", "340121"]
    assert names(twice) >= {"H-TWICE"}

    means, possible = sorted(pages["assistedMeans"]["findings"], key=lambda f: -f["confidence"])
    assert names(means) >= {"有车丙"}
    assert (means["detail"]["signal"], means["detail"]["family"]) == ("VEHICLE", "DIBAO")
    assert means["confidence"] == 1.0
    # a vehicle record without an ID number, possibly 重复乙's: a lower-confidence finding
    assert names(possible) >= {"重复乙"}
    assert 0.65 <= possible["confidence"] < 0.9
    assert "POSSIBLY_SAME" in {e["type"] for e in possible["evidence"]}
    [hidden] = pages["hiddenSpouses"]["findings"]
    assert names(hidden) >= {"有车丙", "在外丁"}
    assert hidden["detail"]["spouseSignals"] == ["VEHICLE"]
    assert "OWNS" in {e["type"] for e in hidden["evidence"]}  # the spouse's car
    assert {e["record"]["matchKey"] for e in hidden["evidence"]} == {"idNumber", "number"}
    assert {rule: page["totalCount"] for rule, page in pages.items()} == {
        "benefitsAfterDeath": 1, "duplicateEnrollments": 1, "assistedMeans": 2,
        "hiddenSpouses": 1,
    }  # fmt: skip


async def test_the_report_judges_each_household_as_the_rules_do(
    api: Api, neo4j: Target, loaded: Path
) -> None:
    investigator = create_key(neo4j, "investigator")
    pages = by_rule(api.post(FINDINGS, investigator, region="340000", asOf=AS_OF))
    households = by_rule(api.post(HOUSEHOLDS, investigator))["households"]["nodes"]

    assisted = [h for h in households if h["number"] != "H-OUT"]  # the ones on 低保
    for household in assisted:
        report = api.post(REPORT, investigator, id=household["id"], asOf=AS_OF)
        failed = {c["name"] for c in report["data"]["verificationReport"]["checks"]
                  if not c["passed"]}  # fmt: skip
        expected = {check_of(rule, finding) for rule, page in pages.items()
                    for finding in page["findings"] if household["number"] in names(finding)
                    and rule != "duplicateEnrollments"}  # fmt: skip
        assert failed == expected, household["number"]
        assert bool(failed) == (household["number"] in {"H-ALONE", "H-TWICE", "H-MEANS"})

    means = next(h for h in households if h["number"] == "H-MEANS")
    report = api.post(REPORT, investigator, id=means["id"], asOf=AS_OF)
    [member] = report["data"]["verificationReport"]["members"]
    [outside] = member["outsideSpouses"]
    assert (outside["person"]["name"], outside["signals"]) == ("在外丁", [{"kind": "VEHICLE"}])


async def test_a_county_investigator_sees_evidence_elsewhere_only_as_counts(
    api: Api, neo4j: Target, loaded: Path
) -> None:
    county = create_key(neo4j, "investigator", "--region", "340121")

    pages = by_rule(api.post(FINDINGS, county, region="340000", asOf=AS_OF))

    [hidden] = pages["hiddenSpouses"]["findings"]
    assert "在外丁" not in names(hidden)
    assert hidden["withheld"] == {"entities": 1, "links": 2, "regionCodes": ["340104"]}
    assert {e["type"] for e in hidden["evidence"]} == {"ENROLLED_IN", "MEMBER_OF"}
    [dead] = pages["benefitsAfterDeath"]["findings"]
    assert dead["withheld"] is None

    households = by_rule(api.post(HOUSEHOLDS, county))["households"]["nodes"]
    means = next(h for h in households if h["number"] == "H-MEANS")
    report = api.post(LOCAL_REPORT, county, id=means["id"], asOf=AS_OF)
    local = report["data"]["verificationReport"]
    assert local["members"][0]["outsideSpouses"] == []  # 在外丁 lives in the other county
    assert local["withheld"] == {"entities": 1, "links": 2, "regionCodes": ["340104"]}
    failed = {c["name"]: c["failing"] for c in local["checks"] if not c["passed"]}
    assert failed == {"NO_VEHICLE": 1, "SPOUSES_DECLARED": 1}  # judged on everything


def export(api: Api, credential: str, **query: str) -> httpx.Response:
    return httpx.get(f"{api.url}/findings.csv", params=query,
                     headers={"Authorization": f"Bearer {credential}"}, timeout=60)  # fmt: skip


async def test_the_export_streams_every_finding_with_its_evidence(
    api: Api, neo4j: Target, loaded: Path
) -> None:
    investigator = create_key(neo4j, "investigator")
    county = create_key(neo4j, "investigator", "--region", "340121")
    pages = by_rule(api.post(FINDINGS, investigator, region="340000", asOf=AS_OF))

    spouses = export(api, investigator, rule="HIDDEN_SPOUSE", asOf=AS_OF)
    local = export(api, county, rule="HIDDEN_SPOUSE", asOf=AS_OF)
    refused = export(api, create_key(neo4j, "viewer"), rule="HIDDEN_SPOUSE")
    unknown = export(api, investigator, rule="NO_SUCH_RULE")

    assert spouses.status_code == 200
    assert spouses.headers["content-type"].startswith("text/csv")
    [row] = list(csv.DictReader(io.StringIO(spouses.text.lstrip("\ufeff"))))
    [finding] = pages["hiddenSpouses"]["findings"]
    assert row["key"] == finding["key"]
    assert "OWNS" in row["evidence"]
    assert "marriages:JH-1 idNumber 1.0" in row["evidence"]
    assert "在外丁" in row["entities"]
    [mine] = list(csv.DictReader(io.StringIO(local.text.lstrip("\ufeff"))))
    assert "在外丁" not in mine["entities"]
    assert json.loads(mine["withheld"]) == {"entities": 1, "links": 2, "regionCodes": ["340104"]}
    assert refused.status_code == 403
    assert unknown.status_code == 400
    assert "rule must be one of" in unknown.json()["error"]
