"""Investigation queries through a running server: findings with their evidence, for
investigators only, within their region."""

from __future__ import annotations

from datetime import date

import pytest
from strawberry.relay import to_base64

from civgraph.graph.catalog import Label, Rel
from civgraph.graph.connection import Target
from civgraph.graph.driver import Graph
from civgraph.graph.models import (
    Cremation,
    FacilityFields,
    FacilityKind,
    MemberRelation,
    ProgramCode,
)
from civgraph.graph.nodes import upsert_nodes
from tests import builders
from tests.integration.graph.test_tracing import small_world
from tests.servers import Api
from tests.servers import create_key as cli_key

AFTER_DEATH = """
query ($region: DivisionCode!) {
  benefitsAfterDeath(regionCode: $region, asOf: "2026-06-30") {
    findings {
      rule basis key regionCode detail
      entities { ... on Person { name } ... on Program { code } }
      evidence { type since until properties source { id } target { id } record { registry } }
      sources { registry recordKey }
    }
    pageInfo { hasNextPage }
  }
}"""


@pytest.fixture(scope="module")
def keys(neo4j: Target) -> dict[str, str]:
    return {
        "investigator": cli_key(neo4j, "investigator"),
        "elsewhere": cli_key(neo4j, "investigator", "--region", builders.OTHER_COUNTY),
        "viewer": cli_key(neo4j, "viewer"),
    }


async def a_death_still_paid(graph: Graph) -> str:
    await builders.regions(graph)
    await builders.programs(graph)
    (person,) = await builders.household(
        graph, "H-D", [("故甲", date(1930, 3, 3), MemberRelation.HEAD)]
    )
    home = FacilityFields(code="F-FUNERAL", name="殡仪馆", kind=FacilityKind.FUNERAL_HOME,
                          division_code=builders.COMMUNITY)  # fmt: skip
    await upsert_nodes(graph, [home], builders.SOURCE)
    await builders.enroll(graph, Label.PERSON, person, ProgramCode.OLD_AGE_ALLOWANCE,
                          since=date(2020, 1, 1), amount=300)  # fmt: skip
    await builders.link(graph, Rel.CREMATED_AT, (Label.PERSON, person), (Label.FACILITY, home.code),
                        Cremation(cremated_on=date(2026, 2, 1)))  # fmt: skip
    return person


async def test_a_benefit_paid_after_a_cremation_is_found_with_its_evidence(
    api: Api, graph: Graph, keys: dict[str, str]
) -> None:
    await a_death_still_paid(graph)

    body = api.post(AFTER_DEATH, keys["investigator"], region="340000")
    elsewhere = api.post(AFTER_DEATH, keys["elsewhere"], region="340000")
    refused = api.post(AFTER_DEATH, keys["viewer"], region="340000")

    [finding] = body["data"]["benefitsAfterDeath"]["findings"]
    assert finding["rule"] == "BENEFITS_AFTER_DEATH"
    assert finding["entities"] == [{"name": "故甲"}, {"code": "OLD_AGE_ALLOWANCE"}]
    assert finding["detail"]["died"] == "2026-02-01"
    assert {e["type"] for e in finding["evidence"]} == {"ENROLLED_IN", "CREMATED_AT"}
    enrollment = next(e for e in finding["evidence"] if e["type"] == "ENROLLED_IN")
    assert (enrollment["since"], enrollment["until"]) == ("2020-01-01", None)
    assert enrollment["properties"]["amount"] == 300
    assert {s["registry"] for s in finding["sources"]} == {builders.SOURCE}
    assert elsewhere["data"]["benefitsAfterDeath"]["findings"] == []
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


REVIEW = """
mutation ($key: String!, $status: ReviewStatus!, $note: String) {
  reviewFinding(rule: BENEFITS_AFTER_DEATH, key: $key, status: $status, note: $note) {
    status by history
  }
}"""
MARKS = """
{ benefitsAfterDeath(asOf: "2026-06-30") { findings { key review { status note by history } } } }
"""


async def test_an_investigator_marks_a_finding_and_the_marks_are_kept(
    api: Api, graph: Graph, keys: dict[str, str]
) -> None:
    await a_death_still_paid(graph)
    investigator = keys["investigator"]
    [finding] = api.post(MARKS, investigator)["data"]["benefitsAfterDeath"]["findings"]

    key = finding["key"]
    first = api.post(REVIEW, investigator, key=key, status="CONFIRMED", note="核实")
    api.post(REVIEW, investigator, key=key, status="DISMISSED", note="已停发")
    refused = api.post(REVIEW, keys["viewer"], key=key, status="CONFIRMED")
    [marked] = api.post(MARKS, investigator)["data"]["benefitsAfterDeath"]["findings"]

    assert finding["review"] is None
    assert first["data"]["reviewFinding"]["status"] == "CONFIRMED"
    assert (marked["review"]["status"], marked["review"]["note"]) == ("DISMISSED", "已停发")
    assert marked["review"]["by"].startswith("api-key:")
    assert [h["status"] for h in marked["review"]["history"]] == ["CONFIRMED", "DISMISSED"]
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


TRACE = """
query ($from: ID!, $to: ID!) {
  paths(from: $from, to: $to, maxHops: 6, asOf: "2019-06-30") {
    nodes { ... on Person { name } ... on Organization { name } ... on Household { number } }
    links { type since until }
  }
  neighborhood(id: $from, hops: 2, asOf: "2019-06-30", limit: 1) { truncated links { type } }
}"""


async def test_paths_and_neighborhoods_through_the_api(
    api: Api, graph: Graph, keys: dict[str, str]
) -> None:
    world = await small_world(graph)
    ids = {name: to_base64(label.value, node) for name, (label, node) in world.items()}

    found = api.post(TRACE, keys["investigator"], **{"from": ids["b"], "to": ids["c"]})["data"]
    elsewhere = api.post(TRACE, keys["elsewhere"], **{"from": ids["b"], "to": ids["c"]})
    refused = api.post(TRACE, keys["viewer"], **{"from": ids["b"], "to": ids["c"]})

    [path] = found["paths"]
    assert [next(iter(n.values())) for n in path["nodes"]] == ["乙", "H-1", "甲", "某公司", "丙"]
    assert path["links"][2] == {"type": "INVESTED_IN", "since": "2015-01-01", "until": "2020-01-01"}
    assert found["neighborhood"]["truncated"] is True
    assert elsewhere["data"]["paths"] == []
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


REPORT = """
query ($id: ID!) {
  verificationReport(householdId: $id, asOf: "2026-06-30") {
    members { person { ... on Person { name } } signals { kind evidence { type since } } }
    checks { name passed failing }
  }
}"""


async def test_the_verification_report_through_the_api(
    api: Api, graph: Graph, keys: dict[str, str]
) -> None:
    await a_death_still_paid(graph)
    rows = await graph.read("MATCH (h:Household {number: 'H-D'}) RETURN h.id AS id")
    household = to_base64("Household", rows[0]["id"])

    report = api.post(REPORT, keys["investigator"], id=household)["data"]["verificationReport"]
    elsewhere = api.post(REPORT, keys["elsewhere"], id=household)
    refused = api.post(REPORT, keys["viewer"], id=household)

    [member] = report["members"]
    assert member["person"] == {"name": "故甲"}
    assert sorted(s["kind"] for s in member["signals"]) == ["CREMATION", "OTHER_ENROLLMENT"]
    checks = {c["name"]: (c["passed"], c["failing"]) for c in report["checks"]}
    assert checks["NO_DEATHS"] == (False, 1)
    assert checks["NO_VEHICLE"] == (True, 0)
    assert elsewhere == {"data": {"verificationReport": None}}  # out of scope: absent, no error
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
