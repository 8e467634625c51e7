"""The change hub in-process: silent while nobody subscribes, one statement a poll while
nothing commits, and a subscriber that wakes it gets exactly what commits after it came."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from typing import cast

from civgraph.graph.changes import ChangeEvent
from civgraph.graph.driver import Graph, counting
from civgraph.graph.models import HouseholdFields
from civgraph.graph.nodes import upsert_nodes
from civgraph.resolvers.feed import ChangeHub
from tests import builders

POLL = 0.02  # seconds between polls: many polls in a short test


async def household(graph: Graph, number: str) -> None:
    record = HouseholdFields(number=number, address="测试路", community_code=builders.COMMUNITY)
    await upsert_nodes(graph, [record], builders.SOURCE)


async def next_event(stream: AsyncGenerator[ChangeEvent, None]) -> ChangeEvent:
    return await anext(stream)


async def test_a_hub_nobody_subscribes_to_sends_nothing(graph: Graph) -> None:
    tally = counting()  # its task inherits the tally
    hub = ChangeHub(graph, interval=POLL)
    await hub.start()
    await household(graph, "Q-1")
    written = tally.statements
    await asyncio.sleep(POLL * 20)
    await hub.stop()

    assert tally.statements == written


async def test_a_poll_reads_the_events_only_when_a_transaction_committed_some(
    graph: Graph,
) -> None:
    await builders.regions(graph)
    hub = ChangeHub(graph)
    await hub.resume()

    quiet = counting()
    nothing = await hub.poll()
    quiet_statements = quiet.statements
    await household(graph, "Q-2")
    busy = counting()
    news = await hub.poll()

    assert (nothing, quiet_statements) == ([], 1)
    assert [e.entity for e in news] == ["Household"]
    assert busy.statements == 2


async def test_the_first_subscriber_gets_what_commits_after_it_came_once(graph: Graph) -> None:
    await builders.regions(graph)
    hub = ChangeHub(graph, interval=POLL)
    await hub.start()
    await household(graph, "Q-3")  # before anyone subscribed: not for them
    stream = cast(AsyncGenerator[ChangeEvent, None], hub.stream(hub.system))  # an async generator
    first = asyncio.create_task(next_event(stream))
    await hub.wanted.wait()  # the subscriber woke the hub, which is at the newest
    await household(graph, "Q-4")
    await household(graph, "Q-5")

    received: list[ChangeEvent] = [await first, await anext(stream)]
    await stream.aclose()
    await hub.stop()

    numbers = [e.fields["number"]["after"] for e in received]
    assert numbers == ["Q-4", "Q-5"]
    assert received[0].cursor < received[1].cursor
