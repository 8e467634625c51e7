"""Region scope through a running server: a principal bound to a county sees that county's
subtree only — in lists and their counts, `node(id)`, lookups, nested fields, search,
aggregates, the change feed and its writes — and what lies outside looks absent."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import httpx
import pytest

from civgraph.graph.catalog import Label
from civgraph.graph.connection import Target
from civgraph.graph.driver import Graph
from civgraph.graph.models import MemberRelation, ProgramCode
from tests import builders
from tests.e2e.test_change_feed import events, latest, quiet, subscribed
from tests.servers import Api
from tests.servers import create_key as cli_key

INSIDE, OUTSIDE = builders.OTHER_COUNTY, builders.COUNTY  # 蜀山区 in scope, 长丰县 not
BORN = date(1940, 2, 2)
ENROLL = """
mutation ($source: ID!, $target: ID!) {
  linkEnrolledIn(sourceId: $source, targetId: $target, since: "2026-01-01",
                 properties: {regionCode: "%s"}) {
    __typename ... on MutationError { message }
  }
}"""


def post(api: Api, key: str, query: str, **variables: Any) -> dict[str, Any]:
    """The answer's data; an error fails the test."""
    body = api.post(query, key, **variables)
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def pull(api: Api, after: str) -> list[dict[str, Any]]:
    params = {"after": after, "types": "Household"}
    found: list[dict[str, Any]] = httpx.get(
        f"{api.url}/changes", params=params, headers=api.headers, timeout=30
    ).json()["events"]
    return found


@pytest.fixture(scope="module")
def keys(neo4j: Target) -> dict[str, str]:
    return {
        "county": cli_key(neo4j, "caseworker", "--region", INSIDE),
        "province": cli_key(neo4j, "caseworker"),
        "integrator": cli_key(neo4j, "integrator", "--region", INSIDE),
    }


async def two_counties(graph: Graph) -> dict[str, str]:
    """A household with an enrolled person in each county; returns their ID numbers."""
    await builders.regions(graph)
    await builders.programs(graph)
    (inside,) = await builders.household(
        graph, "H-IN", [("内甲", BORN, MemberRelation.HEAD)], start=1,
        community=builders.OTHER_COMMUNITY,
    )  # fmt: skip
    (outside,) = await builders.household(graph, "H-OUT", [("外乙", BORN, MemberRelation.HEAD)],
                                           start=2)  # fmt: skip
    for who, county in ((inside, INSIDE), (outside, OUTSIDE)):
        await builders.enroll(graph, Label.PERSON, who, ProgramCode.OLD_AGE_ALLOWANCE,
                              since=date(2025, 1, 1), amount=100, county=county)  # fmt: skip
    return {"inside": inside, "outside": outside}


async def test_lists_lookups_and_nested_fields_stop_at_the_region(
    api: Api, graph: Graph, keys: dict[str, str]
) -> None:
    people = await two_counties(graph)
    scoped, full = keys["county"], keys["province"]
    listing = "{ people(first: 10) { totalCount nodes { id name } } }"
    lookup = '{ person(idNumber: "%s") { name } household(number: "H-OUT") { number } }'

    seen = post(api, scoped, listing)["people"]
    everyone = post(api, full, listing)["people"]
    outside_id = next(p["id"] for p in everyone["nodes"] if p["name"] == "外乙")
    by_id = post(api, scoped, "query ($id: ID!) { node(id: $id) { id } }", id=outside_id)
    looked_up = post(api, scoped, lookup % people["outside"])
    province = post(api, scoped, '{ region(code: "340000") { name } }')
    members = "members { person { name } }"
    tree = f"{{ children {{ communities {{ households {{ items {{ number {members} }} }} }} }} }}"
    nested = post(api, scoped, f'{{ region(code: "{INSIDE}") {tree} }}')
    program = post(api, scoped, "{ program(code: OLD_AGE_ALLOWANCE) { name } }")

    assert (seen["totalCount"], [p["name"] for p in seen["nodes"]]) == (1, ["内甲"])
    assert everyone["totalCount"] == 2
    assert by_id == {"node": None}
    assert looked_up == {"person": None, "household": None}
    assert province == {"region": None}
    households = nested["region"]["children"][0]["communities"][0]["households"]["items"]
    assert [(h["number"], h["members"][0]["person"]["name"]) for h in households] == [
        ("H-IN", "内甲")
    ]
    assert program["program"] is not None  # programs belong to no region


async def test_search_and_aggregates_count_only_the_region(
    api: Api, graph: Graph, keys: dict[str, str]
) -> None:
    await two_counties(graph)
    scoped = keys["county"]
    statistics = (
        '{ enrollmentStatistics(regionCode: "340000", groupBy: [REGION]) { regionCode people } }'
    )

    found = post(api, scoped, '{ search(text: "内甲") { entity { ... on Person { name } } } '
                 'other: search(text: "外乙") { score } }')  # fmt: skip
    groups = post(api, scoped, statistics)["enrollmentStatistics"]
    everywhere = post(api, keys["province"], statistics)["enrollmentStatistics"]
    elsewhere = post(api, scoped, statistics.replace("340000", OUTSIDE))["enrollmentStatistics"]

    assert [hit["entity"]["name"] for hit in found["search"]] == ["内甲"]
    assert found["other"] == []
    assert sum(g["people"] for g in groups) == 1
    assert sum(g["people"] for g in everywhere) == 2
    assert elsewhere == []


async def test_the_change_feed_carries_only_the_regions_events(
    api: Api, graph: Graph, keys: dict[str, str]
) -> None:
    start = await latest(graph)
    integrator = Api(api.url, api.log, keys["integrator"])

    async with subscribed(integrator, start, {"types": ["Household"]}) as ws:
        await two_counties(graph)
        received = await events(ws, 1)
        nothing_else = await quiet(ws)
    pulled = pull(integrator, start)

    assert [e["regionCode"] for e in received] == [builders.OTHER_COMMUNITY]
    assert nothing_else
    assert [e["entityId"] for e in pulled] == [e["entityId"] for e in received]


async def test_a_caseworker_writes_enrollments_in_its_region_only(
    api: Api, graph: Graph, keys: dict[str, str]
) -> None:
    await two_counties(graph)
    full, scoped = keys["province"], keys["county"]
    ids = post(api, full, '{ a: household(number: "H-IN") { id } b: household(number: "H-OUT") '
               "{ id } program(code: TEMPORARY_ASSISTANCE) { id } }")  # fmt: skip
    program = ids["program"]["id"]

    inside = post(api, scoped, ENROLL % INSIDE, source=ids["a"]["id"], target=program)
    outside = post(api, scoped, ENROLL % OUTSIDE, source=ids["b"]["id"], target=program)

    assert inside["linkEnrolledIn"]["__typename"] == "Relationship"
    assert outside["linkEnrolledIn"]["__typename"] == "NotFoundError"  # as if absent
    assert json.dumps(outside).count("H-OUT") == 0
