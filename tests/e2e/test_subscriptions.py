"""A subscription over a real WebSocket speaking graphql-transport-ws."""

from __future__ import annotations

import json
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from tests.servers import Api

HEARTBEAT = "subscription { heartbeat(count: 3, intervalMs: 20) { sequence at } }"


async def receive(ws: ClientConnection) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(await ws.recv(decode=True))
    return message


async def test_a_subscription_streams_then_completes(api: Api) -> None:
    async with connect(api.websocket, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps(api.init))
        assert (await receive(ws))["type"] == "connection_ack"

        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": HEARTBEAT}}))
        beats = [await receive(ws) for _ in range(3)]
        done = await receive(ws)

    assert [beat["type"] for beat in beats] == ["next"] * 3
    assert [beat["payload"]["data"]["heartbeat"]["sequence"] for beat in beats] == [1, 2, 3]
    assert done == {"id": "1", "type": "complete"}


async def test_an_invalid_subscription_gets_an_error_message(api: Api) -> None:
    async with connect(api.websocket, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps(api.init))
        await receive(ws)
        await ws.send(
            json.dumps(
                {"id": "7", "type": "subscribe", "payload": {"query": "subscription { nope }"}}
            )
        )

        message = await receive(ws)

    assert message["type"] == "error"
    assert message["id"] == "7"
    assert "nope" in message["payload"][0]["message"]
