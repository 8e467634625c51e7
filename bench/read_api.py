"""Read latency and throughput of our GraphQL API, hand-written Cypher and a peer on one graph.

Run with `make bench-read` (PEOPLE=100000 by default) or
`python -m bench.read_api --people 2000`. It starts a throwaway Neo4j on a free port over a
data folder kept in var/bench/neo4j-<people> (the synthetic graph is generated once), or
over an existing store (`--store`); starts `civgraph serve` and the peer (the Neo4j
GraphQL Library on Apollo Server, bench/peer/) against it; checks that the three answer
each scenario with the same data; then sends each scenario's requests at concurrency 1
and at `--concurrency` in interleaved rounds (read_rounds.py) and prints one table per
concurrency. It prints figures and never asserts on them. Neo4j, the API and the peer
are stopped whatever happens.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, LiteralString

import httpx
import neo4j

from bench import read_report
from bench.cpu import Meter
from bench.generate import generate
from bench.read_peer import RunningPeer, running_peer
from bench.read_rounds import (
    Call,
    Figures,
    Plan,
    cypher_call,
    graphql_call,
    interleaved,
    peer_call,
    warm,
)
from bench.read_scenarios import CHECKED, Inputs, Scenario, scenarios
from bench.servers import ROOT, RunningApi, post, running_api
from civgraph.graph.driver import connect
from civgraph.graph.migrations import migrate
from civgraph.graph.server import process

CACHE = ROOT / "var" / "bench"
HEAP, PAGECACHE = "2g", "1g"

# --- inputs, drawn from the graph through the API -----------------------------------------

COMMUNITIES_GRAPHQL = """
{ communities(filter: {inRegion: "340000"}, first: 100) { nodes { code } } }"""
PEOPLE_GRAPHQL = """
query People($region: DivisionCode!, $order: PersonOrderField!, $direction: Direction!) {
  people(filter: {inRegion: $region}, orderBy: $order, direction: $direction, first: 100) {
    nodes { id name }
  }
}"""


async def draw_inputs(client: httpx.AsyncClient, rng: random.Random) -> Inputs:
    """Communities, then pages of 100 people in ten of them, in varied orders."""
    data = await post(client, COMMUNITIES_GRAPHQL, {})
    communities = [c["code"] for c in data["communities"]["nodes"]]
    people: list[dict[str, str]] = []
    for community in rng.sample(communities, min(10, len(communities))):
        variables = {
            "region": community,
            "order": rng.choice(["NAME", "BIRTH_DATE", "ID_NUMBER"]),
            "direction": rng.choice(["ASC", "DESC"]),
        }
        people += (await post(client, PEOPLE_GRAPHQL, variables))["people"]["nodes"]
    words = sorted({p["name"][i : i + 2] for p in people for i in range(len(p["name"]) - 1)})
    return Inputs(
        person_ids=[p["id"] for p in people],
        counties=sorted({code[:6] for code in communities}),
        cities=sorted({code[:4] + "00" for code in communities}),
        townships=sorted({code[:9] for code in communities}),
        words=words,
    )


# --- one scenario: the same data from all three, then the load --------------------------


@dataclass(frozen=True, slots=True)
class Loads:
    serial: int  # requests per system at concurrency 1
    concurrent: int  # requests per system at the higher concurrency
    concurrency: int
    warmup: int
    rounds: int

    def plans(self) -> list[Plan]:
        return [Plan(self.serial, 1, self.rounds),
                Plan(self.concurrent, self.concurrency, self.rounds)]  # fmt: skip


@dataclass(frozen=True, slots=True)
class Systems:
    """Where the three systems answer."""

    api: httpx.AsyncClient  # base URL: our API, with its key
    peer: httpx.AsyncClient  # base URL: the peer
    driver: neo4j.AsyncDriver

    def calls(self, scenario: Scenario) -> list[Call]:
        calls = [graphql_call(self.api, "/graphql", scenario.graphql),
                 cypher_call(self.driver, scenario.cypher)]  # fmt: skip
        if scenario.peer.query is not None:
            calls.append(peer_call(self.peer, "/", scenario.peer.query))
        return calls


def differs(scenario: Scenario, system: str, ours: Any, theirs: Any) -> str:
    return (f"  {scenario.name}: {system} DIFFERS from GraphQL:\n"
            f"    GraphQL {ours!r:.400}\n    {system:<7} {theirs!r:.400}")  # fmt: skip


async def same_data(scenario: Scenario, calls: list[Call]) -> tuple[bool, bool | None]:
    """Whether Cypher and the peer (None: it has no query) answer the first inputs as ours."""
    cypher_same, peer_same = True, None if len(calls) < 3 else True
    for case in scenario.cases[:CHECKED]:
        ours = scenario.from_graphql((await calls[0](case)).data)
        cypher = scenario.from_cypher((await calls[1](case)).data)
        if cypher_same and cypher != ours:
            print(differs(scenario, "Cypher", ours, cypher))
            cypher_same = False
        if peer_same and scenario.peer.reduce is not None:
            peer = scenario.peer.reduce((await calls[2](case)).data)
            if peer != ours:
                print(differs(scenario, "peer", ours, peer))
                peer_same = False
    return cypher_same, peer_same


def objects(data: Any) -> int:
    """JSON objects in an answer: how large it is."""
    if isinstance(data, dict):
        return 1 + sum(objects(v) for v in data.values())
    return sum(objects(v) for v in data) if isinstance(data, list) else 0


async def measure(
    scenario: Scenario, systems: Systems, loads: Loads, meter: Meter
) -> read_report.Row:
    calls = systems.calls(scenario)
    same = await same_data(scenario, calls)
    size = objects((await calls[0](scenario.cases[0])).data)
    print(f"  {scenario.name}: same data as GraphQL on {CHECKED} inputs: Cypher "
          f"{read_report.verdict(same[0])}, peer {read_report.verdict(same[1])}; "
          f"{size} JSON objects in our first answer", flush=True)  # fmt: skip
    await warm(calls, scenario.cases, loads.warmup)
    figures: list[list[Figures]] = []
    for plan in loads.plans():
        figures.append(await interleaved(calls, scenario.cases, plan, meter))
        print(f"  {scenario.name} c={plan.concurrency}: done", flush=True)
    return read_report.Row(scenario.name, same, scenario.peer.missing, figures)


async def bench(api: RunningApi, peer: RunningPeer, server: process.RunningServer,
                loads: Loads, only: str, meter: Meter) -> list[read_report.Row]:  # fmt: skip
    rng = random.Random(7)  # noqa: S311  (choice of inputs, not secrets)
    limits = httpx.Limits(max_connections=loads.concurrency * 2)
    driver = neo4j.AsyncGraphDatabase.driver(server.uri, auth=("neo4j", server.password))
    try:
        async with (
            httpx.AsyncClient(base_url=api.url, timeout=300, limits=limits,
                              headers=api.headers) as ours,
            httpx.AsyncClient(base_url=peer.url, timeout=300, limits=limits) as theirs,
        ):  # fmt: skip
            systems = Systems(ours, theirs, driver)
            inputs = await draw_inputs(ours, rng)
            print(f"inputs: {len(inputs.person_ids)} people, counties {inputs.counties}, "
                  f"cities {inputs.cities}, {len(inputs.townships)} townships, "
                  f"{len(inputs.words)} search words")  # fmt: skip
            chosen = [s for s in scenarios(inputs, rng) if not only or s.name[0] in only]
            return [await measure(s, systems, loads, meter) for s in chosen]
    finally:
        await driver.close()


# --- the database --------------------------------------------------------------------------

COUNT_NODES: LiteralString = "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n"
COUNT_RELS: LiteralString = "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n"


async def prepare(server: process.RunningServer, people: int | None, seed: int) -> None:
    """Migrates, generates the graph unless it is there (`people` None: an existing store,
    left as it is), prints the time and the counts."""
    graph = await connect(server.uri, "neo4j", server.password, "neo4j")
    try:
        await migrate(graph)
        started = time.perf_counter()
        written = await generate(graph, people, seed) if people else None
        if written:
            rows = sum(written.values())
            elapsed = time.perf_counter() - started
            print(f"generated in {elapsed:.0f} s: {rows:,} rows upserted, "
                  f"{rows / elapsed:,.0f} rows/s")  # fmt: skip
        nodes = await graph.read(COUNT_NODES)
        rels = await graph.read(COUNT_RELS)
    finally:
        await graph.close()
    print("nodes: " + ", ".join(f"{r['label']} {r['n']:,}" for r in nodes))
    print("relationships: " + ", ".join(f"{r['type']} {r['n']:,}" for r in rels))


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--pagecache",
        default=PAGECACHE,
        help="Neo4j's page cache: the store should fit (1g for 100k people)",
    )
    parser.add_argument(
        "--tx-memory",
        default="256m",
        help="Neo4j's memory for all transactions (CIVGRAPH_NEO4J_TX_MEMORY)",
    )
    parser.add_argument("--store", type=Path, default=None,
                        help="an existing Neo4j store folder (with data/) instead of "
                        "var/bench/neo4j-<people>; nothing is generated in it")  # fmt: skip
    parser.add_argument("--serial-requests", type=int, default=200,
                        help="requests per system at c=1")  # fmt: skip
    parser.add_argument("--concurrent-requests", type=int, default=800,
                        help="requests per system at the higher concurrency")  # fmt: skip
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=10,
                        help="rounds to spread the requests over")  # fmt: skip
    parser.add_argument("--warmup", type=int, default=50, help="requests per system first")
    parser.add_argument("--only", default="",
                        help="scenario letters to run, e.g. 'afg' (default: all)")  # fmt: skip
    return parser.parse_args()


def server_config(args: argparse.Namespace) -> process.ServerConfig:
    if args.store is None:
        folder = CACHE / f"neo4j-{args.people}"
        return process.ServerConfig(home=folder, port=0, heap=HEAP, pagecache=args.pagecache,
                                    tx_memory=args.tx_memory)  # fmt: skip
    if not (args.store / "data").is_dir():
        raise SystemExit(f"{args.store} is not a Neo4j store folder (it has no data/)")
    # A password of our own, set at start (none is written beside someone else's store).
    return process.ServerConfig(home=args.store, port=0, heap=HEAP, pagecache=args.pagecache,
                                tx_memory=args.tx_memory,
                                password=secrets.token_urlsafe(16))  # fmt: skip


def main() -> None:
    args = arguments()
    loads = Loads(args.serial_requests, args.concurrent_requests, args.concurrency,
                  args.warmup, args.rounds)  # fmt: skip
    config = server_config(args)
    print(f"Neo4j: heap {HEAP}, page cache {config.pagecache}, transaction memory "
          f"{config.tx_memory}, data in {config.home}; "
          f"{os.cpu_count()} CPUs shared by Neo4j, the API, the peer and this client; "
          f"load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    CACHE.mkdir(parents=True, exist_ok=True)
    server, child = process.start(config, attached=True)
    try:
        asyncio.run(prepare(server, None if args.store else args.people, args.seed))
        with running_api(server, CACHE) as api, running_peer(server, CACHE) as peer:
            print(f"peer: {peer.versions}, at {peer.url}")
            meter = Meter({"Neo4j": child.pid, "API": api.pid, "peer": peer.pid,
                           "client": os.getpid()})  # fmt: skip
            rows = asyncio.run(bench(api, peer, server, loads, args.only, meter))
    finally:
        process.stop_attached(child)
    print(read_report.report(rows, loads.plans(), os.getloadavg()[0]))


if __name__ == "__main__":
    main()
