"""The change feed through real servers: graphql-transport-ws subscriptions and `GET
/changes`, live, filtered, resumed after a dropped client and after a killed server, on two
server processes, with concurrent writers and an ingest run."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import AbstractContextManager, asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

from civgraph.graph.connection import Target
from civgraph.graph.driver import Graph
from civgraph.graph.models import HouseholdFields, MemberRelation
from civgraph.graph.nodes import upsert_nodes
from tests import builders
from tests.integration.ingest.test_loader import write_files
from tests.servers import Api, free_port, server_env, serving

CHANGES = """
subscription ($filter: ChangeFilterInput, $after: String) {
  changes(filter: $filter, after: $after) {
    cursor operation entityType entityId regionCode programs source
    fields { name before after }
  }
}
"""


async def latest(graph: Graph) -> str:
    """A cursor after every event committed so far."""
    rows = await graph.read("MATCH (s:ChangeSequence) RETURN s.value AS tx")
    return f"{rows[0]['tx'] if rows else 0}.999999"


@asynccontextmanager
async def subscribed(
    api: Api, after: str | None, only: dict[str, Any] | None = None
) -> AsyncIterator[ClientConnection]:
    async with connect(api.websocket, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps(api.init))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        variables = {"after": after, "filter": only}
        payload = {"query": CHANGES, "variables": variables}
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        yield ws


WAIT = 30  # seconds for the events expected to arrive


async def events(ws: ClientConnection, count: int) -> list[dict[str, Any]]:
    received: list[dict[str, Any]] = []
    async with asyncio.timeout(WAIT):
        while len(received) < count:
            message = json.loads(await ws.recv())
            assert message["type"] == "next", message
            received.append(message["payload"]["data"]["changes"])
    return received


async def quiet(ws: ClientConnection, seconds: float = 1.0) -> bool:
    """Whether nothing more arrives for a while."""
    try:
        async with asyncio.timeout(seconds):
            await ws.recv()
    except TimeoutError:
        return True
    return False


def pages(api: Api, after: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    while True:
        body = httpx.get(
            f"{api.url}/changes", params={"after": after, "limit": 50}, headers=api.headers
        ).json()
        found += body["events"]
        if not body["events"]:
            return found
        after = body["next"]


async def household(graph: Graph, number: str) -> None:
    record = HouseholdFields(number=number, address="测试路", community_code=builders.COMMUNITY)
    await upsert_nodes(graph, [record], builders.SOURCE)


async def test_a_subscriber_gets_what_it_asked_for_live_and_in_order(
    api: Api, graph: Graph
) -> None:
    await builders.regions(graph)
    start = await latest(graph)

    async with subscribed(api, start, {"types": ["Person"]}) as ws:
        await asyncio.sleep(0.5)  # live: the writes come after the subscription
        members = [("王五", date(1960, 5, 5), MemberRelation.HEAD)]
        await builders.household(graph, "H-live", members)
        received = await events(ws, 2)
        nothing_else = await quiet(ws)

    assert [(e["operation"], e["entityType"]) for e in received] == [
        ("NODE_CREATED", "Person"),
        ("NODE_UPDATED", "Person"),
    ]
    assert {"name": "name", "before": None, "after": "王五"} in received[0]["fields"]
    assert received[1]["regionCode"] == builders.COMMUNITY
    assert nothing_else
    everything = pages(api, start)
    assert [e["cursor"] for e in everything if e["entityType"] == "Person"] == [
        e["cursor"] for e in received
    ]


async def test_concurrent_writers_reach_a_subscriber_in_strictly_increasing_order(
    api: Api, graph: Graph
) -> None:
    await builders.regions(graph)
    start = await latest(graph)

    async with subscribed(api, start, {"types": ["Household"]}) as ws:

        async def writer(n: int) -> None:
            for i in range(5):
                await household(graph, f"C-{n}-{i}")

        await asyncio.gather(*(writer(n) for n in range(6)))
        received = await events(ws, 30)

    cursors = [tuple(map(int, e["cursor"].split("."))) for e in received]
    assert cursors == sorted(set(cursors))
    assert {e["entityId"] for e in received} == {
        e["entityId"] for e in pages(api, start) if e["entityType"] == "Household"
    }


async def test_a_client_that_drops_resumes_from_its_cursor_exactly_once(
    api: Api, graph: Graph
) -> None:
    await builders.regions(graph)
    start = await latest(graph)
    for i in range(3):
        await household(graph, f"D-{i}")

    async with subscribed(api, start) as ws:  # replayed from the cursor
        first = await events(ws, 1)
    for i in range(3, 6):  # written while the client is away
        await household(graph, f"D-{i}")
    async with subscribed(api, first[-1]["cursor"]) as ws:
        rest = await events(ws, 5)
        nothing_else = await quiet(ws)

    expected = [e["cursor"] for e in pages(api, start)]
    assert [e["cursor"] for e in first + rest] == expected
    assert len(expected) == 6
    assert nothing_else


def own_server(
    neo4j: Target, folder: Path, port: int, key: str
) -> AbstractContextManager[tuple[Api, subprocess.Popen[bytes]]]:
    return serving(neo4j, folder, port, key, CIVGRAPH_CHANGE_POLL_MS="50")


async def test_a_killed_server_restarted_loses_and_repeats_nothing(
    neo4j: Target, admin_key: str, graph: Graph, tmp_path: Path
) -> None:
    await builders.regions(graph)
    start = await latest(graph)
    port = free_port()

    with own_server(neo4j, tmp_path, port, admin_key) as (server, child):
        async with subscribed(server, start) as ws:
            await household(graph, "K-0")
            before_kill = await events(ws, 1)
            child.send_signal(signal.SIGKILL)
            child.wait(30)
    for i in range(1, 4):  # committed while no server runs
        await household(graph, f"K-{i}")
    with own_server(neo4j, tmp_path, port, admin_key) as (server, _):
        async with subscribed(server, before_kill[-1]["cursor"]) as ws:
            after_restart = await events(ws, 3)
            await household(graph, "K-4")  # and live again
            live = await events(ws, 1)
            nothing_else = await quiet(ws)
        committed = [e["cursor"] for e in pages(server, start)]

    received = [e["cursor"] for e in before_kill + after_restart + live]
    assert received == committed
    assert len(received) == 5
    assert nothing_else


async def test_two_servers_deliver_an_ingest_run_to_their_subscribers_alike(
    api: Api, neo4j: Target, graph: Graph, tmp_path: Path
) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    write_files(exports)
    start = await latest(graph)

    with own_server(neo4j, tmp_path / "second", free_port(), api.key) as (second, _):
        async with (
            subscribed(api, start, {"operations": ["NODE_CREATED"]}) as one,
            subscribed(second, start, {"operations": ["NODE_CREATED"]}) as other,
        ):
            await asyncio.sleep(0.5)
            env = server_env(
                tmp_path / "home",
                free_port(),
                CIVGRAPH_NEO4J_URI=neo4j.uri,
                CIVGRAPH_NEO4J_PASSWORD=neo4j.password,
            )
            child = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "civgraph", "ingest", "--dir", str(exports),
                "--rejects", str(tmp_path / "r.csv"), env=env,
                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
            )  # fmt: skip
            _, stderr = await child.communicate()
            assert child.returncode == 0, stderr
            created = [e for e in pages(api, start) if e["operation"] == "NODE_CREATED"]
            on_one = await events(one, len(created))
            on_other = await events(other, len(created))

    assert [e["cursor"] for e in on_one] == [e["cursor"] for e in created]
    assert on_other == on_one
    assert {e["source"] for e in on_one} >= {"ingest:regions", "ingest:household_registration"}


def test_the_pull_endpoint_pages_and_refuses_bad_cursors(api: Api) -> None:
    bad = httpx.get(f"{api.url}/changes", params={"after": "yesterday"}, headers=api.headers)
    too_many = httpx.get(f"{api.url}/changes", params={"limit": "5000"}, headers=api.headers)

    assert bad.status_code == 400
    assert "not one this API issued" in bad.json()["error"]
    assert too_many.status_code == 400


def pull(api: Api, after: str) -> httpx.Response:
    return httpx.get(f"{api.url}/changes", params={"after": after}, headers=api.headers)


async def test_a_cursor_beyond_the_newest_event_is_refused_in_both_forms(
    api: Api, graph: Graph
) -> None:
    await builders.regions(graph)
    newest = int((await latest(graph)).split(".")[0])
    ahead = f"{newest + 1000}.0"

    pulled = pull(api, ahead)
    async with subscribed(api, ahead) as ws:
        message = json.loads(await asyncio.wait_for(ws.recv(), WAIT))

    assert pulled.status_code == 400
    assert "beyond the newest event" in pulled.json()["error"]
    assert "resynchronise" not in pulled.json()  # that flag is for cursors pruned past
    assert message["type"] != "next" or message["payload"]["data"] is None
    assert "beyond the newest event" in json.dumps(message)


NODE = "query ($id: ID!) { node(id: $id) { ... on Household { number } } }"


async def test_both_feed_forms_show_an_event_alike_with_a_nodes_global_id(
    api: Api, graph: Graph
) -> None:
    await builders.regions(graph)
    start = await latest(graph)

    async with subscribed(api, start, {"types": ["Household"]}) as ws:
        await household(graph, "G-1")
        [received] = await events(ws, 1)
    [pulled] = [e for e in pages(api, start) if e["entityType"] == "Household"]
    found = api.post(NODE, id=received["entityId"])["data"]["node"]

    assert {name: pulled[name] for name in received} == received
    assert {"name": "number", "before": None, "after": "G-1"} in pulled["fields"]
    assert found == {"number": "G-1"}
