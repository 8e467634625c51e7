"""Mutations through a running server over HTTP: typed results for expected failures,
optimistic concurrency, relationships by global id, and each write's events reaching a
graphql-transport-ws subscriber with the mutation's name as their source."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import httpx

from civgraph.graph.driver import Graph
from civgraph.graph.models import MemberRelation
from tests import builders
from tests.e2e.test_change_feed import events, latest, quiet, subscribed
from tests.servers import Api

BORN = date(1948, 8, 8)
PERSON = "... on Person { id version name phone idNumber birthDate }"
ERRORS = """
... on MutationError { __typename message }
... on NotFoundError { id }
... on InvalidIdentifierError { field value reason }
... on InvalidInputError { problems { field message } }
... on ConflictError { existingId }
... on StaleVersionError { expected actual }
"""
RELATIONSHIP = """
... on Relationship {
  id type key version since until properties
  source { id } target { id ... on Program { code } }
}
"""


def gql(text: str) -> str:
    """A document with the shared selections filled in."""
    return (
        text.replace("@PERSON", PERSON)
        .replace("@ERRORS", ERRORS)
        .replace("@RELATIONSHIP", RELATIONSHIP)
    )


CREATE = gql("mutation ($input: PersonInput!) { createPerson(input: $input) { @PERSON @ERRORS } }")
UPDATE = gql("""
mutation ($id: ID!, $version: Int!, $patch: PersonPatch!) {
  updatePerson(id: $id, version: $version, patch: $patch) { @PERSON @ERRORS }
}""")
DELETE = gql("""
mutation ($id: ID!, $version: Int!, $detach: Boolean!) {
  deleteHousehold(id: $id, version: $version, detach: $detach) {
    ... on Deleted { id relationshipsDeleted } @ERRORS
  }
}""")
CREATE_HOUSEHOLD = gql("""
mutation ($input: HouseholdInput!) {
  createHousehold(input: $input) { ... on Household { id version } @ERRORS }
}""")
LINK = gql("""
mutation ($source: ID!, $target: ID!, $props: EnrolledInProperties!, $since: Date) {
  linkEnrolledIn(sourceId: $source, targetId: $target, properties: $props, since: $since) {
    @RELATIONSHIP @ERRORS
  }
}""")
END = gql("""
mutation ($source: ID!, $target: ID!, $key: String!, $until: Date!, $version: Int) {
  endEnrolledIn(sourceId: $source, targetId: $target, key: $key, until: $until,
                version: $version) { @RELATIONSHIP @ERRORS }
}""")
UNLINK = gql("""
mutation ($source: ID!, $target: ID!, $key: String!) {
  unlinkEnrolledIn(sourceId: $source, targetId: $target, key: $key) {
    ... on Deleted { id } @ERRORS
  }
}""")


def call(api: Api, query: str, **variables: Any) -> dict[str, Any]:
    response = httpx.post(
        api.graphql, json={"query": query, "variables": variables}, headers=api.headers, timeout=30
    )
    body = response.json()
    assert response.status_code == 200, body
    assert "errors" not in body, body["errors"]
    data: dict[str, Any] = next(iter(body["data"].values()))
    return data


def person_input(sequence: int, name: str = "赵六", **extra: Any) -> dict[str, Any]:
    return {"idNumber": builders.resident_id(BORN, sequence), "name": name} | extra


async def test_create_update_and_their_events_reach_a_subscriber(api: Api, graph: Graph) -> None:
    await builders.regions(graph)
    start = await latest(graph)

    async with subscribed(api, start, {"types": ["Person"]}) as ws:
        created = call(api, CREATE, input=person_input(1))
        updated = call(
            api, UPDATE, id=created["id"], version=created["version"], patch={"phone": "139"}
        )
        received = await events(ws, 2)
        assert await quiet(ws)

    assert created["name"] == "赵六"
    assert (created["birthDate"], created["version"]) == (BORN.isoformat(), 1)
    assert (updated["phone"], updated["version"]) == ("139", 2)
    assert [(e["operation"], e["source"]) for e in received] == [
        ("NODE_CREATED", "api:createPerson"),
        ("NODE_UPDATED", "api:updatePerson"),
    ]
    assert received[1]["fields"] == [{"name": "phone", "before": None, "after": "139"}]


async def test_expected_failures_are_typed_results_and_write_nothing(
    api: Api, graph: Graph
) -> None:
    await builders.regions(graph)
    created = call(api, CREATE, input=person_input(1))
    start = await latest(graph)

    bad_id = call(api, CREATE, input=person_input(2) | {"idNumber": "340121194808080000"})
    mixed = call(api, CREATE, input=person_input(2, "") | {"idNumber": "12"})
    taken = call(api, CREATE, input=person_input(1, "重名"))
    stale = call(api, UPDATE, id=created["id"], version=0, patch={"name": "改"})
    wrong_type = call(api, DELETE, id=created["id"], version=1, detach=False)
    cleared_name = call(api, UPDATE, id=created["id"], version=1, patch={"name": None})

    assert bad_id["__typename"] == "InvalidIdentifierError"
    assert (bad_id["field"], bad_id["value"]) == ("idNumber", "340121194808080000")
    assert mixed["__typename"] == "InvalidInputError"
    assert {p["field"] for p in mixed["problems"]} == {"idNumber", "name"}
    assert (taken["__typename"], taken["existingId"]) == ("ConflictError", created["id"])
    assert (stale["__typename"], stale["expected"], stale["actual"]) == ("StaleVersionError", 0, 1)
    assert wrong_type["__typename"] == "InvalidInputError"
    assert "not of a Household" in wrong_type["message"]
    assert cleared_name["__typename"] == "InvalidInputError"
    rows = await graph.read(
        "MATCH (b:ChangeBatch) WHERE b.tx > $tx RETURN count(b) AS batches",
        tx=int(start.split(".")[0]),
    )
    assert rows == [{"batches": 0}]


async def test_of_concurrent_updates_at_one_version_exactly_one_lands(
    api: Api, graph: Graph
) -> None:
    created = call(api, CREATE, input=person_input(1))

    async def rename(client: httpx.AsyncClient, name: str) -> str:
        variables = {"id": created["id"], "version": created["version"], "patch": {"name": name}}
        response = await client.post(api.graphql, json={"query": UPDATE, "variables": variables})
        result: dict[str, Any] = response.json()["data"]["updatePerson"]
        return "written" if "version" in result else result["__typename"]

    async with httpx.AsyncClient(timeout=30, headers=api.headers) as client:
        outcomes = await asyncio.gather(*(rename(client, f"名{i}") for i in range(8)))

    assert sorted(outcomes) == ["StaleVersionError"] * 7 + ["written"]


async def test_enrol_end_and_unlink_through_the_api(api: Api, graph: Graph) -> None:
    await builders.regions(graph)
    await builders.programs(graph)
    program = call(api, "query { program(code: DIBAO_URBAN) { id } }")["id"]
    household = call(
        api,
        CREATE_HOUSEHOLD,
        input={"number": "H-1", "address": "一号", "communityCode": builders.COMMUNITY},
    )
    terms = {"amount": 650.5, "regionCode": builders.COUNTY}
    start = await latest(graph)

    async with subscribed(api, start, {"programs": ["DIBAO_URBAN"]}) as ws:
        linked = call(
            api, LINK, source=household["id"], target=program, props=terms, since="2026-01-01"
        )
        ended = call(
            api, END, source=household["id"], target=program, key=linked["key"],
            until="2026-09-30", version=linked["version"],
        )  # fmt: skip
        blocked = call(api, DELETE, id=household["id"], version=household["version"], detach=False)
        unlinked = call(api, UNLINK, source=household["id"], target=program, key=linked["key"])
        received = await events(ws, 3)
    wrong_way = call(api, LINK, source=program, target=household["id"], props=terms)
    bad_terms = call(api, LINK, source=household["id"], target=program, props={"regionCode": "9"})

    assert (linked["type"], linked["key"], linked["properties"]["amount"]) == (
        "ENROLLED_IN", "2026-01-01", 650.5,
    )  # fmt: skip
    assert (linked["source"]["id"], linked["target"]["code"]) == (household["id"], "DIBAO_URBAN")
    assert (ended["until"], ended["properties"]["status"]) == ("2026-09-30", "ENDED")
    assert blocked["__typename"] == "ConflictError"
    assert "1 ENROLLED_IN" in blocked["message"]
    assert unlinked["id"] == linked["id"]
    assert [(e["operation"], e["entityId"], e["source"]) for e in received] == [
        ("RELATIONSHIP_CREATED", linked["id"], "api:linkEnrolledIn"),
        ("RELATIONSHIP_ENDED", linked["id"], "api:endEnrolledIn"),
        ("RELATIONSHIP_DELETED", linked["id"], "api:unlinkEnrolledIn"),
    ]
    assert wrong_way["__typename"] == "InvalidInputError"
    assert bad_terms["__typename"] in {"InvalidIdentifierError", "InvalidInputError"}


async def test_detach_delete_reports_what_went_with_it(api: Api, graph: Graph) -> None:
    await builders.regions(graph)
    await builders.household(graph, "H-2", [("户主", BORN, MemberRelation.HEAD)])
    household = call(api, 'query { household(number: "H-2") { id version } }')
    start = await latest(graph)

    deleted = call(api, DELETE, id=household["id"], version=household["version"], detach=True)
    again = call(api, DELETE, id=household["id"], version=household["version"], detach=True)
    after = call(api, 'query { household(number: "H-2") { id } }')

    assert deleted == {"id": household["id"], "relationshipsDeleted": 2}
    assert (again["__typename"], again["id"]) == ("NotFoundError", household["id"])
    assert after is None
    rows = await graph.read(
        "MATCH (b:ChangeBatch) WHERE b.tx > $tx RETURN b.source AS source, b.count AS count",
        tx=int(start.split(".")[0]),
    )
    assert rows == [{"source": "api:deleteHousehold", "count": 4}]
