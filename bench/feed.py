"""Change feed: commit-to-client latency with many subscribers, and events a second during
an ingest.

`python -m bench.feed` starts a Neo4j and a `civgraph serve` of its own. For 1, 100 and
1,000 concurrent graphql-transport-ws subscribers (`--subscribers`) on that one process,
a writer commits `--events` households one transaction each, `--rate` a second; every
subscriber receives every event, and the latency of each (from the writer's commit
returning to the client receiving it) gives p50, p99 and max. Then (unless
`--ingest-people 0`) `civgraph ingest` loads the synthetic province's household
registration while one subscriber counts what arrives: events a second sustained, and
the ingest's own rows a second (compare `make bench-ingest` for the same rows).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import time
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from bench.ingest import VAR, province
from bench.servers import fresh_graph, running_api
from civgraph.graph.driver import Graph
from civgraph.graph.models import CommunityFields, CommunityKind, HouseholdFields
from civgraph.graph.nodes import upsert_nodes
from civgraph.graph.server import process

SUBSCRIBE = """
subscription ($after: String, $filter: ChangeFilterInput) {
  changes(after: $after, filter: $filter) { cursor fields { name after } }
}
"""
COMMUNITY = "340121001001"


async def subscriber(url: str, key: str, after: str, only: dict[str, Any]) -> ClientConnection:
    ws = await connect(url, subprotocols=["graphql-transport-ws"], max_queue=None)  # type: ignore[list-item]
    init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {key}"}}
    await ws.send(json.dumps(init))
    await ws.recv()
    payload = {"query": SUBSCRIBE, "variables": {"after": after, "filter": only}}
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
    return ws


async def receive(ws: ClientConnection, count: int, arrivals: dict[str, list[float]]) -> None:
    for _ in range(count):
        message = json.loads(await ws.recv())
        fields = message["payload"]["data"]["changes"]["fields"]
        number = next(f["after"] for f in fields if f["name"] == "number")
        arrivals.setdefault(number, []).append(time.perf_counter())


async def latest(graph: Graph) -> str:
    rows = await graph.read("MATCH (s:ChangeSequence) RETURN s.value AS tx")
    return f"{rows[0]['tx'] if rows else 0}.999999"


async def latency(
    graph: Graph, url: str, key: str, subscribers: int, events: int, rate: float
) -> str:
    after = await latest(graph)
    only = {"types": ["Household"]}
    clients = [await subscriber(url, key, after, only) for _ in range(subscribers)]
    await asyncio.sleep(1 + subscribers / 500)  # every subscription registered
    arrivals: dict[str, list[float]] = {}
    committed: dict[str, float] = {}
    receivers = [asyncio.create_task(receive(ws, events, arrivals)) for ws in clients]
    for i in range(events):
        number = f"L-{subscribers}-{i}"
        record = HouseholdFields(number=number, address="测试路", community_code=COMMUNITY)
        await upsert_nodes(graph, [record], "bench (synthetic)")
        committed[number] = time.perf_counter()
        await asyncio.sleep(1 / rate)
    await asyncio.wait_for(asyncio.gather(*receivers), timeout=300)
    for ws in clients:
        await ws.close()
    delays = sorted(
        (arrived - committed[number]) * 1000
        for number, times in arrivals.items()
        for arrived in times
    )
    p99 = delays[min(len(delays) - 1, int(len(delays) * 0.99))]
    p50, worst = statistics.median(delays), delays[-1]
    return (
        f"{subscribers:>6} subscribers: {len(delays):>8,} deliveries; latency p50 "
        f"{p50:7.1f} ms, p99 {p99:7.1f} ms, max {worst:7.1f} ms"
    )


async def ingest_rate(
    graph: Graph, url: str, key: str, server: process.RunningServer, people: int
) -> str:
    exports = province(people, 1)
    subset = VAR / f"feed-{people}"
    shutil.rmtree(subset, ignore_errors=True)
    subset.mkdir(parents=True)
    for name in ("regions.csv", "communities.xlsx", "household_registration.csv"):
        shutil.copy(exports / name, subset / name)
    after = await latest(graph)
    ws = await subscriber(url, key, after, {})
    await asyncio.sleep(1)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CIVGRAPH_", "NEO4J_"))}
    env |= {"CIVGRAPH_NEO4J_URI": server.uri, "CIVGRAPH_NEO4J_PASSWORD": server.password}
    started = time.perf_counter()
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "civgraph", "ingest", "--dir", str(subset),
        "--rejects", str(subset / "rejects.csv"), env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    counted, last = 0, started
    while True:  # until the ingest is done and nothing more arrives for 5 s
        try:
            message = await asyncio.wait_for(ws.recv(), timeout=5)
        except TimeoutError:
            if child.returncode is not None:
                break
            continue
        if json.loads(message)["type"] == "next":
            counted += 1
            last = time.perf_counter()
    _, stderr = await child.communicate()
    ingest_seconds = time.perf_counter() - started
    await ws.close()
    rows = sum(1 for _ in (subset / "household_registration.csv").open(encoding="gbk")) - 1
    failed = "" if child.returncode == 0 else f"\ningest failed: {stderr.decode()[-2000:]}"
    return (
        f"ingest of {rows:,} registration rows with a subscriber: {ingest_seconds:.1f} s, "
        f"{rows / ingest_seconds:,.0f} rows/s; {counted:,} events delivered, "
        f"{counted / (last - started):,.0f} events/s sustained{failed}"
    )


async def bench(args: argparse.Namespace) -> None:
    folder = VAR / "feed"
    async with fresh_graph(folder) as (server, graph):
        community = CommunityFields(code=COMMUNITY, name="测试社区", kind=CommunityKind.URBAN,
                                    township_code=COMMUNITY[:9])  # fmt: skip
        await upsert_nodes(graph, [community], "bench (synthetic)")
        with running_api(server, folder) as api:
            url = api.url.replace("http://", "ws://") + "/graphql"
            print(f"poll interval 200 ms; {args.events} events at {args.rate}/s per run")
            for count in args.subscribers:
                print(await latency(graph, url, api.key, count, args.events, args.rate), flush=True)
            if args.ingest_people:
                print(
                    await ingest_rate(graph, url, api.key, server, args.ingest_people), flush=True
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--subscribers", type=lambda s: [int(n) for n in s.split(",")],
                        default=[1, 100, 1000])  # fmt: skip
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--rate", type=float, default=10.0, help="events a second")
    parser.add_argument("--ingest-people", type=int, default=100_000)
    asyncio.run(bench(parser.parse_args()))


if __name__ == "__main__":
    main()
