"""Limits at the HTTP and WebSocket edge of a running server: body size, rate per
principal, subscriptions per connection, browser origins."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from civgraph.graph.connection import Target
from civgraph.settings import Settings
from tests.servers import Api, free_port, serving

LONG_BEATS = "subscription { heartbeat(count: 1000, intervalMs: 60000) { sequence } }"


def ask_before(api: Api, origin: str) -> httpx.Response:
    """A browser's CORS preflight for a POST with a credential."""
    headers = {"Origin": origin, "Access-Control-Request-Method": "POST",
               "Access-Control-Request-Headers": "authorization,content-type"}  # fmt: skip
    return httpx.options(api.graphql, headers=headers, timeout=30)


def post(api: Api, body: bytes) -> httpx.Response:
    headers = api.headers | {"content-type": "application/json"}
    return httpx.post(api.graphql, content=body, headers=headers, timeout=30)


def query(api: Api, text: str, **headers: str) -> httpx.Response:
    return httpx.post(api.graphql, json={"query": text}, headers=api.headers | headers, timeout=30)


def test_a_body_over_the_limit_is_refused(api: Api) -> None:
    limit = Settings().max_body_bytes
    padding = " " * limit
    too_big = post(api, json.dumps({"query": "{ __typename }" + padding}).encode())
    fine = post(api, json.dumps({"query": "{ __typename }"}).encode())

    assert too_big.status_code == 413
    assert fine.status_code == 200


def test_a_principal_over_its_rate_waits(
    neo4j: Target, admin_key: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("rate")
    with serving(neo4j, folder, free_port(), admin_key, CIVGRAPH_RATE_LIMIT_PER_MINUTE="5") as (
        limited,
        _,
    ):
        statuses = [query(limited, "{ __typename }").status_code for _ in range(7)]
        refused = query(limited, "{ __typename }")

    assert statuses[:5] == [200] * 5
    assert statuses[5:] == [429, 429]
    assert int(refused.headers["retry-after"]) >= 1


async def test_subscriptions_per_connection_are_limited(api: Api) -> None:
    limit = Settings().max_subscriptions_per_connection
    async with connect(api.websocket, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps(api.init))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        for n in range(limit + 1):
            message = {"id": str(n), "type": "subscribe", "payload": {"query": LONG_BEATS}}
            await ws.send(json.dumps(message))
        received: list[dict[str, Any]] = []
        while not any("errors" in json.dumps(m) for m in received):
            received.append(json.loads(await ws.recv()))

    refused = [m for m in received if "errors" in json.dumps(m)]
    assert [m["id"] for m in refused] == [str(limit)]
    assert "at most" in json.dumps(refused[0])


async def test_websockets_from_a_foreign_origin_are_refused(api: Api) -> None:
    own = api.url  # a page the API serves itself

    with pytest.raises(InvalidStatus) as refused:
        await connect(api.websocket, subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
                      origin="https://elsewhere.example")  # type: ignore[arg-type]  # fmt: skip
    async with connect(api.websocket, subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
                       origin=own) as ws:  # type: ignore[arg-type]  # fmt: skip
        await ws.send(json.dumps(api.init))
        acknowledged = json.loads(await ws.recv())

    assert refused.value.response.status_code == 403
    assert acknowledged["type"] == "connection_ack"


def test_cors_answers_only_the_allowed_origins(
    neo4j: Target, admin_key: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("cors")
    allowed = '["https://portal.example"]'
    with serving(neo4j, folder, free_port(), admin_key, CIVGRAPH_ALLOWED_ORIGINS=allowed) as (
        server,
        _,
    ):
        preflight = ask_before(server, "https://portal.example")
        foreign = ask_before(server, "https://elsewhere.example")

    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://portal.example"
    assert foreign.status_code == 400
