"""Match decisions through a running server: an investigator finds a possible match and a
resolved record in the API's own answers, rejects, splits and confirms by their global ids;
the changes reach `GET /changes` under the investigator's name, every call is audited, a
viewer is refused, another county's investigator finds nothing to decide, and a wrong
person is a typed error."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from strawberry import relay

from civgraph.graph.connection import Target
from civgraph.graph.driver import Graph
from civgraph.ingest.run import files_in, run
from tests import builders
from tests.e2e.test_change_feed import latest
from tests.integration.ingest.test_resolution import OTHER, WOMAN, write_exports
from tests.servers import Api
from tests.servers import create_key as cli_key

PEOPLE = """
query People($woman: String!, $other: String!) {
  woman: person(idNumber: $woman) { id sources { registry recordKey matchKey } }
  other: person(idNumber: $other) {
    id possiblySame { score provenance { source recordKey } person { id name } }
  }
}"""
DECISION = """
... on MatchDecision {
  record { registry recordKey matchKey score }
  person { id name idNumber }
  notSame { id }
}
... on MutationError { message }
... on RecordNotFoundError { registry recordKey }
... on RecordNotResolvedError { matchKey }
... on AlreadyDecidedError { personId }
"""
REJECT = """mutation Reject($registry: String!, $record: String!, $person: ID!) {
  rejectMatch(registry: $registry, recordKey: $record, personId: $person) { __typename @D }
}""".replace("@D", DECISION)
CONFIRM = """mutation Confirm($registry: String!, $record: String!, $person: ID!) {
  confirmMatch(registry: $registry, recordKey: $record, personId: $person) { __typename @D }
}""".replace("@D", DECISION)
SPLIT = """mutation Split($registry: String!, $record: String!) {
  splitMatch(registry: $registry, recordKey: $record) { __typename @D }
}""".replace("@D", DECISION)
AUDIT = """query Audit($actor: String!) {
  auditLog(actor: $actor, first: 50) { operation role outcome }
}"""


@pytest.fixture
async def ingested(graph: Graph, tmp_path: Path) -> None:
    """The entity-resolution exports, ingested into an empty graph (`graph` wipes it)."""
    exports = tmp_path / "exports"
    exports.mkdir()
    write_exports(exports)
    await run(graph, files_in(exports), tmp_path / "rejects.csv", batch_size=10)


@pytest.fixture(scope="module")
def keys(neo4j: Target) -> dict[str, str]:
    return {
        "investigator": cli_key(neo4j, "investigator", "--region", builders.COUNTY),
        "elsewhere": cli_key(neo4j, "investigator", "--region", builders.OTHER_COUNTY),
        "viewer": cli_key(neo4j, "viewer"),
    }


def actor(key: str) -> str:
    """The actor a key's calls are recorded under (`cgk_<id>_<secret>`)."""
    return "api-key:" + key.split("_")[1]


def answer(api: Api, key: str, query: str, /, **variables: Any) -> dict[str, Any]:
    """The one root field's answer; a GraphQL error fails the test."""
    body = api.post(query, key, **variables)
    assert "errors" not in body, body
    found: dict[str, Any] = next(iter(body["data"].values()))
    return found


def pull(api: Api, after: str) -> list[dict[str, Any]]:
    """The change feed's events after the cursor, as an integrator pulls them (admin key)."""
    params = {"after": after}
    found: list[dict[str, Any]] = httpx.get(
        f"{api.url}/changes", params=params, headers=api.headers, timeout=30
    ).json()["events"]
    return found


def audited(api: Api, key: str, operations: set[str]) -> list[dict[str, Any]]:
    """The audit entries of `key`'s calls, once those of `operations` are written (the log
    writes in the background, within a second)."""
    deadline = time.monotonic() + 30
    while True:
        entries: list[dict[str, Any]] = api.post(AUDIT, actor=actor(key))["data"]["auditLog"]
        if operations <= {e["operation"] for e in entries} or time.monotonic() > deadline:
            return entries
        time.sleep(0.2)


async def test_an_investigator_rejects_splits_and_confirms_through_the_api(
    api: Api, graph: Graph, keys: dict[str, str], ingested: None
) -> None:
    start = await latest(graph)
    investigator = keys["investigator"]
    people = api.post(PEOPLE, investigator, woman=WOMAN, other=OTHER)["data"]
    woman, other = people["woman"], people["other"]
    (possible,) = other["possiblySame"]
    (cremation,) = [s for s in woman["sources"] if s["registry"] == "cremations"]
    registry, c3 = possible["provenance"]["source"], possible["provenance"]["recordKey"]

    rejected = answer(api, investigator, REJECT, registry=registry, record=c3, person=other["id"])
    after_reject = api.post(PEOPLE, investigator, woman=WOMAN, other=OTHER)["data"]
    split = answer(api, investigator, SPLIT, registry="cremations", record=cremation["recordKey"])
    confirmed = answer(
        api, investigator, CONFIRM, registry="cremations", record=cremation["recordKey"],
        person=woman["id"],
    )  # fmt: skip
    carried_id = answer(api, investigator, SPLIT, registry="cremations", record="C-1")
    changes = pull(api, start)
    log = audited(api, investigator, {"Reject", "Split", "Confirm"})

    assert (registry, c3, possible["person"]["name"]) == ("cremations", "C-3", "李桂芝")
    assert rejected["__typename"] == "MatchDecision"
    assert rejected["notSame"] == [{"id": other["id"]}]
    assert rejected["person"]["id"] == possible["person"]["id"]
    assert after_reject["other"]["possiblySame"] == []
    assert (split["__typename"], split["record"]["matchKey"]) == ("MatchDecision", "split")
    assert (split["person"]["name"], split["person"]["idNumber"]) == ("陳秀英", None)
    assert split["person"]["id"] != woman["id"]
    assert (confirmed["record"]["matchKey"], confirmed["person"]["id"]) == ("joined", woman["id"])
    assert carried_id["__typename"] == "RecordNotResolvedError"
    assert carried_id["matchKey"] == "idNumber"
    assert [(e["operation"], e["entityType"]) for e in changes] == [
        ("RELATIONSHIP_DELETED", "POSSIBLY_SAME"),  # rejected
        ("NODE_CREATED", "Person"),  # split: the record's own entity
        ("RELATIONSHIP_DELETED", "CREMATED_AT"),
        ("RELATIONSHIP_CREATED", "CREMATED_AT"),
        ("RELATIONSHIP_DELETED", "CREMATED_AT"),  # confirmed: back to her
        ("RELATIONSHIP_CREATED", "CREMATED_AT"),
        ("NODE_DELETED", "Person"),
    ]
    assert {(e["source"], e["actor"]) for e in changes} == {("er:cremations", actor(investigator))}
    assert {(e["operation"], e["role"], e["outcome"]) for e in log} >= {
        ("Reject", "investigator", "ok"),
        ("Split", "investigator", "ok"),
        ("Confirm", "investigator", "ok"),
    }


async def test_a_viewer_is_refused_and_another_county_finds_nothing_to_decide(
    api: Api, graph: Graph, keys: dict[str, str], ingested: None
) -> None:
    start = await latest(graph)
    other = api.post(PEOPLE, woman=WOMAN, other=OTHER)["data"]["other"]
    person = other["id"]

    viewer = api.post(REJECT, keys["viewer"], registry="cremations", record="C-3", person=person)
    elsewhere = answer(
        api, keys["elsewhere"], REJECT, registry="cremations", record="C-3", person=person
    )
    split_elsewhere = answer(api, keys["elsewhere"], SPLIT, registry="cremations", record="C-2")
    investigator = keys["investigator"]
    nobody = answer(api, investigator, CONFIRM, registry="cremations", record="C-3",
                    person=str(relay.GlobalID("Person", "no-such-person")))  # fmt: skip
    not_a_person = answer(api, investigator, CONFIRM, registry="cremations", record="C-3",
                          person=str(relay.GlobalID("Household", "H-0")))  # fmt: skip
    changes = pull(api, start)
    denied = audited(api, keys["viewer"], {"Reject"})

    assert viewer["data"] is None
    assert viewer["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (elsewhere["__typename"], elsewhere["recordKey"]) == ("RecordNotFoundError", "C-3")
    assert split_elsewhere["__typename"] == "RecordNotFoundError"
    assert (nobody["__typename"], not_a_person["__typename"]) == (
        "NotFoundError", "InvalidInputError"
    )  # fmt: skip
    assert changes == []
    assert len(api.post(PEOPLE, woman=WOMAN, other=OTHER)["data"]["other"]["possiblySame"]) == 1
    assert ("Reject", "viewer", "denied") in {
        (e["operation"], e["role"], e["outcome"]) for e in denied
    }
