"""GraphQL over real HTTP against `civgraph serve`."""

from __future__ import annotations

import base64
from datetime import date

import httpx

from civgraph.graph.driver import Graph
from civgraph.graph.models import MemberRelation
from tests import builders
from tests.servers import Api

COMMUNITY_TREE = """
query Tree($code: DivisionCode!) {
  region(code: $code) {
    name level
    children { code communities { code kind households { items {
      number members { relation person { name sex birthDate } }
    } } } }
  }
}
"""
PERSON = (
    "query P($n: String!) { person(idNumber: $n) { id name households { household { number } } } }"
)
NODE = "query N($id: ID!) { node(id: $id) { __typename id ... on Person { name } } }"
NODES = "query N($ids: [ID!]!) { nodes(ids: $ids) { id ... on Person { name } } }"


def global_id(type_name: str, key: str) -> str:
    return base64.b64encode(f"{type_name}:{key}".encode()).decode()


async def family(graph: Graph) -> list[str]:
    await builders.county_with_community(graph)
    return await builders.household(
        graph,
        "H-100",
        [
            ("户主", date(1950, 6, 1), MemberRelation.HEAD),
            ("配偶", date(1952, 7, 2), MemberRelation.SPOUSE),
        ],
    )


def test_health_and_readiness(api: Api) -> None:
    assert httpx.get(f"{api.url}/healthz").json() == {"status": "ok"}
    assert httpx.get(f"{api.url}/readyz").json() == {"status": "ready"}


def test_every_response_carries_a_request_id_and_a_clients_own_is_kept(api: Api) -> None:
    generated = httpx.get(f"{api.url}/healthz").headers["x-request-id"]
    kept = httpx.get(f"{api.url}/healthz", headers={"x-request-id": "trace-42"}).headers[
        "x-request-id"
    ]
    refused = httpx.get(f"{api.url}/healthz", headers={"x-request-id": "bad id!"}).headers[
        "x-request-id"
    ]

    assert len(generated) == 32
    assert kept == "trace-42"
    assert refused not in ("bad id!", generated)


async def test_a_region_subtree_with_its_households_in_one_request(api: Api, graph: Graph) -> None:
    await family(graph)

    body = api.post(COMMUNITY_TREE, code=builders.COUNTY)

    assert "errors" not in body
    region = body["data"]["region"]
    assert (region["name"], region["level"]) == ("长丰县", "COUNTY")
    [township] = region["children"]
    [community] = township["communities"]
    [household] = community["households"]["items"]
    assert household["members"] == [
        {"relation": "HEAD", "person": {"name": "户主", "sex": "MALE", "birthDate": "1950-06-01"}},
        {
            "relation": "SPOUSE",
            "person": {"name": "配偶", "sex": "FEMALE", "birthDate": "1952-07-02"},
        },
    ]


async def test_a_node_found_by_natural_key_is_found_again_by_its_global_id(
    api: Api, graph: Graph
) -> None:
    head, _ = await family(graph)
    person = api.post(PERSON, n=head)["data"]["person"]

    node = api.post(NODE, id=person["id"])["data"]["node"]

    assert node == {"__typename": "Person", "id": person["id"], "name": "户主"}
    assert person["households"] == [{"household": {"number": "H-100"}}]


async def test_nodes_come_in_the_order_asked_with_null_for_the_missing(
    api: Api, graph: Graph
) -> None:
    head, spouse = await family(graph)
    ids = [api.post(PERSON, n=n)["data"]["person"]["id"] for n in (spouse, head)]

    body = api.post(NODES, ids=[ids[0], global_id("Person", "no-such-id"), ids[1]])

    assert body["data"]["nodes"] == [
        {"id": ids[0], "name": "配偶"},
        None,
        {"id": ids[1], "name": "户主"},
    ]


def test_a_malformed_global_id_is_reported_not_masked(api: Api) -> None:
    body = api.post(NODE, id="not-a-global-id")

    assert body["data"] is None or body["data"]["node"] is None
    assert "INTERNAL" not in str(body["errors"])


def test_queries_deeper_than_the_limit_are_refused_before_running(api: Api) -> None:
    deep = '{ region(code: "340000") { ' + "children { " * 12 + "code" + " }" * 12 + " } }"

    body = api.post(deep)

    assert "exceeds maximum operation depth" in body["errors"][0]["message"]


def test_a_syntax_error_says_what_is_wrong_and_where(api: Api) -> None:
    body = api.post("{\n  region(code: )\n}")

    [error] = body["errors"]
    assert error["message"] == "Syntax Error: Unexpected ')'."
    assert error["locations"] == [{"line": 2, "column": 16}]


GRAPHQL_RESPONSE = "application/graphql-response+json"


def ask(api: Api, query: str, accept: str) -> httpx.Response:
    headers = {**api.headers, "Accept": accept}
    return httpx.post(api.graphql, json={"query": query}, headers=headers, timeout=30)


def test_graphql_response_json_tells_request_errors_by_their_status(api: Api) -> None:
    unparsed = ask(api, "{ region(code: ", GRAPHQL_RESPONSE)
    invalid = ask(api, "{ nope }", f"{GRAPHQL_RESPONSE}, application/json;q=0.9")
    answered = ask(api, '{ region(code: "340000") { code } }', GRAPHQL_RESPONSE)
    legacy = ask(api, "{ nope }", "application/json")

    assert (unparsed.status_code, invalid.status_code, answered.status_code) == (400, 400, 200)
    for response in (unparsed, invalid, answered):
        assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert "data" not in invalid.json()
    assert invalid.json()["errors"][0]["message"].startswith("Cannot query field 'nope'")
    assert "data" in answered.json()
    assert (legacy.status_code, legacy.headers["content-type"]) == (200, "application/json")
    assert legacy.json()["data"] is None
