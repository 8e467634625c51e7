"""Linkage and plan indicators through a running server: for every role (a dashboard's
viewer too), narrowed to a key's region, social workers' personal data masked."""

from __future__ import annotations

import pytest

from civgraph.graph import indicators
from civgraph.graph.connection import Target
from civgraph.graph.driver import Graph
from civgraph.graph.models import OrganizationKind
from tests import builders
from tests.integration.graph.test_plan import T, communities, indicator_graph
from tests.servers import Api
from tests.servers import create_key as cli_key

COVERAGE = """
query ($region: DivisionCode!) {
  linkageCoverage(regionCode: $region, year: 2026, years: 2, weakest: 1) {
    year region { regionCode name tally { communities linked partial none linkedShare } }
    children { regionCode tally { linked } }
    trend { year tally { linked partial none } }
    weakest { community { ... on Community { code } } status missing volunteers }
  }
}"""
COMMUNITY = """
query ($code: DivisionCode!) {
  community(code: $code) {
    linkage(asOf: "2026-11-01") {
      status missing volunteers
      organizations { ... on Organization { name } }
      socialWorkers { licensed since person { ... on Person { name idNumber } }
                      employer { ... on Organization { name } } }
      projects { project { ... on ServiceProject { code year } }
                 funder { ... on Organization { name } } provider { ... on Organization { name } } }
    }
  }
  linkageGraph(regionCode: $code, asOf: "2026-11-01") { truncated links { type } }
}"""
INDICATORS = """
query ($region: DivisionCode!) {
  planIndicators(regionCode: $region, year: 2026) {
    code value baseline target targetRegionCode status unit
  }
}"""


@pytest.fixture(scope="module")
def keys(neo4j: Target) -> dict[str, str]:
    return {
        "viewer": cli_key(neo4j, "viewer"),
        "caseworker": cli_key(neo4j, "caseworker"),
        "elsewhere": cli_key(neo4j, "viewer", "--region", builders.OTHER_COUNTY),
    }


async def test_linkage_for_a_viewer_and_a_caseworker(
    api: Api, graph: Graph, keys: dict[str, str]
) -> None:
    await communities(graph)

    coverage = api.post(COVERAGE, keys["viewer"], region="340000")["data"]["linkageCoverage"]
    narrowed = api.post(COVERAGE, keys["elsewhere"], region="340000")["data"]["linkageCoverage"]
    viewer = api.post(COMMUNITY, keys["viewer"], code=f"{T}001")["data"]
    caseworker = api.post(COMMUNITY, keys["caseworker"], code=f"{T}001")["data"]
    outside = api.post(COMMUNITY, keys["elsewhere"], code=f"{T}001")
    beyond = api.post(COVERAGE, keys["elsewhere"], region=builders.COUNTY)

    assert coverage["region"] == {
        "regionCode": "340000", "name": "安徽省",
        "tally": {"communities": 7, "linked": 1, "partial": 4, "none": 2, "linkedShare": 14.3},
    }  # fmt: skip
    assert coverage["children"] == [{"regionCode": "340100", "tally": {"linked": 1}}]
    assert [t["year"] for t in coverage["trend"]] == [2025, 2026]
    assert coverage["weakest"] == [{
        "community": {"code": builders.OTHER_COMMUNITY}, "status": "NONE",
        "missing": ["ORGANIZATION", "SOCIAL_WORKER", "SERVICE_PROJECT"], "volunteers": 0,
    }]  # fmt: skip
    assert narrowed["region"]["tally"]["communities"] == 1  # the other county's village only
    found = viewer["community"]["linkage"]
    assert (found["status"], found["missing"]) == ("LINKED", [])
    [worker] = found["socialWorkers"]
    assert worker["licensed"]
    assert worker["employer"] == {"name": "社工中心"}
    assert "*" in worker["person"]["idNumber"]  # a viewer sees it masked
    assert "*" not in caseworker["community"]["linkage"]["socialWorkers"][0]["person"]["idNumber"]
    assert found["projects"][0]["funder"] == {"name": "民政局"}
    assert len(viewer["linkageGraph"]["links"]) == 6
    # another county's community is absent, its linkage graph empty and its coverage of no
    # communities: as if it held nothing, not refused (docs/security.md)
    assert beyond["data"]["linkageCoverage"]["region"] == {
        "regionCode": builders.COUNTY, "name": None,
        "tally": {"communities": 0, "linked": 0, "partial": 0, "none": 0, "linkedShare": None},
    }  # fmt: skip
    assert beyond["data"]["linkageCoverage"]["children"] == []
    assert outside == {"data": {"community": None, "linkageGraph": {"truncated": False,
                                                                    "links": []}}}  # fmt: skip


async def test_plan_indicators_for_a_viewer(api: Api, graph: Graph, keys: dict[str, str]) -> None:
    await indicator_graph(graph)
    await indicators.load_targets(graph)

    body = api.post(INDICATORS, keys["viewer"], region="340000")
    bad = api.post(INDICATORS, keys["viewer"], region="34x")
    county = api.post(INDICATORS, keys["elsewhere"], region=builders.OTHER_COUNTY)
    beyond = api.post(INDICATORS, keys["elsewhere"], region=builders.COUNTY)

    by_code = {i["code"]: i for i in body["data"]["planIndicators"]}
    assert by_code["MEDICAL_ASSISTANCE_RATIO"] == {
        "code": "MEDICAL_ASSISTANCE_RATIO", "value": 60.0, "baseline": 25.0, "target": 60.0,
        "targetRegionCode": "340000", "status": "MET", "unit": "PERCENT",
    }  # fmt: skip
    assert len(by_code) == len(indicators.INDICATORS)
    assert "34x" in bad["errors"][0]["message"]
    rural = {i["code"]: i for i in county["data"]["planIndicators"]}
    assert rural["RURAL_NURSING_HOME_REGISTRATION"]["value"] == 50.0  # both homes are there
    assert rural["VERIFICATION_MECHANISM_COUNTIES"]["value"] == 0.0
    assert beyond == {"data": {"planIndicators": []}}  # another county's: nothing, not refused


async def test_a_kept_answer_gives_way_to_a_change(
    api: Api, graph: Graph, keys: dict[str, str]
) -> None:
    """The server keeps indicator answers (CIVGRAPH_DASHBOARD_CACHE_SECONDS) only while the
    graph is unchanged."""
    await indicator_graph(graph)

    def agencies() -> float:
        body = api.post(INDICATORS, keys["viewer"], region="340000")
        found = {i["code"]: i for i in body["data"]["planIndicators"]}
        return float(found["PRIVATE_SOCIAL_WORK_AGENCIES"]["value"])

    before = agencies()
    # a write past the change feed (none of the product's writes is): the answer is kept
    await graph.write(
        "MATCH (o:Organization {kind: 'SOCIAL_WORK_AGENCY'}) "
        "CREATE (:Organization {uscc: 'raw', kind: 'SOCIAL_WORK_AGENCY', status: 'ACTIVE', "
        "divisionCode: o.divisionCode, registeredOn: o.registeredOn})"
    )
    kept = agencies()
    await builders.organization(graph, "又一社工", OrganizationKind.SOCIAL_WORK_AGENCY, 9)

    assert (before, kept, agencies()) == (1.0, 1.0, 3.0)
