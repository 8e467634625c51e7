"""Prints what the fixed cost of a small GraphQL request is made of, in microseconds.

Run with `.venv/bin/python -m bench.request_cost [--requests N] [--idle-seconds S]
[--workers 1,2] [--clients 8] [--seconds 10]`. It starts a throwaway Neo4j (temporary
folder, free port), loads the demo dataset, then measures in this process, each figure the
median of N calls after a warm-up:

- `driver`: one read statement as a managed transaction (`execute_read`, what `Graph.read`
  did), as an auto-commit read (`session.run` in a READ session), through
  `driver.execute_query`, and through `Graph.read` as it stands;
- `schema`: a lookup and a 50-person page run by `schema.execute` (admin: personal data
  unmasked and counted), with the schema's extensions as they stand and, where they hold
  strawberry's ParserCache and ValidationCache, without those;
- `json`: those responses encoded as strawberry does (`json.dumps`) and with orjson;
- `http`: the same requests through the whole ASGI app (middleware, authentication,
  GraphQL view, encoding) with `httpx.ASGITransport`: no sockets, no uvicorn;
- `idle`: what one API process costs when nobody calls it (change-feed poller and audit
  writer running), then with one change-feed subscriber and nothing changing: statements a
  second, and CPU milliseconds a second of this process and of the Neo4j JVM, against the
  JVM with no API at all;
- `served`: `civgraph serve` with each `--workers` count (CIVGRAPH_WORKERS), person lookups
  from `--clients` concurrent clients over real HTTP for `--seconds`: requests a second
  and the median latency (the clients run in this process: on 2 cores the clients, the
  API and Neo4j share them).

Variants compared in one section run interleaved, round by round, so that a neighbour's
load on a shared machine falls on all of them alike. Figures, never assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, LiteralString

import httpx
import neo4j
import orjson
from starlette.routing import Route
from strawberry.extensions import ParserCache, ValidationCache

from bench import servers
from bench.cpu import Meter
from civgraph.app import GraphQLApp, create_app
from civgraph.auth.keys import create_key
from civgraph.auth.principal import Principal, Role
from civgraph.graph.driver import Graph, Tally, connect, counting
from civgraph.graph.migrations import migrate
from civgraph.graph.server import process
from civgraph.ingest.demo import load_demo
from civgraph.logs import configure_logging
from civgraph.resolvers.context import build_context
from civgraph.schema.schema import build_schema
from civgraph.settings import Settings

ADMIN = Principal("bench (synthetic)", Role.ADMIN)
LOOKUP: LiteralString = "MATCH (p:Person {idNumber: $id}) RETURN p {.name, .birthDate} AS p"
PERSON = """query Person($id: String!) {
  person(idNumber: $id) { name idNumber phone address birthDate } }"""
PAGE = "{ people(first: 50) { nodes { name idNumber phone address birthDate } } }"
PHONE: LiteralString = """
MATCH (p:Person) WITH p ORDER BY p.idNumber LIMIT 1
SET p.phone = '13912345678' RETURN p.idNumber AS id
"""
ROUNDS = 5
Work = Callable[[], Awaitable[object]]


@dataclass(frozen=True, slots=True)
class Figure:
    wall: float  # median µs a call
    cpu: float  # µs of this process's CPU a call (what a neighbour's load disturbs least)


async def compare(variants: dict[str, Work], calls: int) -> dict[str, Figure]:
    """Each variant's cost a call, run interleaved in rounds after a warm-up."""
    timings: dict[str, list[float]] = {name: [] for name in variants}
    cpu = dict.fromkeys(variants, 0.0)
    for work in variants.values():
        for _ in range(max(calls // 10, 5)):
            await work()
    for _ in range(ROUNDS):
        for name, work in variants.items():
            cpu_started = time.process_time()
            for _ in range(max(calls // ROUNDS, 1)):
                started = time.perf_counter()
                await work()
                timings[name].append(time.perf_counter() - started)
            cpu[name] += time.process_time() - cpu_started
    return {
        name: Figure(statistics.median(t) * 1e6, cpu[name] * 1e6 / len(t))
        for name, t in timings.items()
    }


def report(section: str, figures: dict[str, Figure]) -> None:
    for name, figure in figures.items():
        print(f"{section:7} {name:44} {figure.wall:9,.0f} µs wall {figure.cpu:9,.0f} µs CPU")


def managed(driver: neo4j.AsyncDriver, query: LiteralString, params: dict[str, Any]) -> Work:
    async def unit(tx: neo4j.AsyncManagedTransaction) -> list[dict[str, Any]]:
        return await (await tx.run(query, params)).data()

    async def work() -> object:
        async with driver.session(database="neo4j") as session:
            return await session.execute_read(unit)

    return work


def auto_commit(driver: neo4j.AsyncDriver, query: LiteralString, params: dict[str, Any]) -> Work:
    async def work() -> object:
        async with driver.session(
            database="neo4j", default_access_mode=neo4j.READ_ACCESS
        ) as session:
            return await (await session.run(query, params)).data()

    return work


def execute_query(driver: neo4j.AsyncDriver, query: LiteralString, params: dict[str, Any]) -> Work:
    async def work() -> object:
        return await driver.execute_query(
            query, params, database_="neo4j", routing_=neo4j.RoutingControl.READ
        )

    return work


def graph_read(graph: Graph, query: LiteralString, params: dict[str, Any]) -> Work:
    async def work() -> object:
        return await graph.read(query, **params)

    return work


async def driver_costs(graph: Graph, id_number: str, calls: int) -> None:
    for label, query, params in (("RETURN 1", "RETURN 1 AS one", {}),
                                 ("person by idNumber", LOOKUP, {"id": id_number})):  # fmt: skip
        figures = await compare(
            {
                f"{label}: execute_read (managed)": managed(graph.driver, query, params),
                f"{label}: session.run (auto-commit)": auto_commit(graph.driver, query, params),
                f"{label}: driver.execute_query": execute_query(graph.driver, query, params),
                f"{label}: Graph.read as it stands": graph_read(graph, query, params),
            },
            calls,
        )
        report("driver", figures)


CACHES = (ParserCache, ValidationCache)


@contextmanager
def without_caches() -> Iterator[None]:
    """The schema without strawberry's parser and validation caches for the block (it is
    built once; its extension factories are read per operation)."""
    schema = build_schema()
    saved = schema.extensions
    schema.extensions = tuple(e for e in saved if e not in CACHES)
    try:
        yield
    finally:
        schema.extensions = saved


def executed(graph: Graph, query: str, variables: dict[str, Any]) -> Work:
    schema, settings = build_schema(), Settings()

    async def work() -> object:
        context = build_context(graph, settings, principal=ADMIN)
        result = await schema.execute(query, variables, context_value=context)
        assert result.errors is None, result.errors
        return result.data

    return work


def uncached(work: Work) -> Work:
    async def without() -> object:
        with without_caches():
            return await work()

    return without


async def schema_costs(graph: Graph, id_number: str, calls: int) -> None:
    cached = any(e in CACHES for e in build_schema().extensions)
    for label, query, variables in (("person lookup", PERSON, {"id": id_number}),
                                    ("people page of 50", PAGE, {})):  # fmt: skip
        work = executed(graph, query, variables)
        variants = {f"{label}: as it stands": work}
        if cached:
            variants[f"{label}: without parser, validation caches"] = uncached(work)
        report("schema", await compare(variants, calls))


async def json_costs(graph: Graph, id_number: str, calls: int) -> None:
    for label, query, variables in (("person lookup", PERSON, {"id": id_number}),
                                    ("people page of 50", PAGE, {})):  # fmt: skip
        body = {"data": await executed(graph, query, variables)()}

        async def stdlib(body: dict[str, Any] = body) -> object:
            return json.dumps(body, separators=(",", ":"))

        async def fast(body: dict[str, Any] = body) -> object:
            return orjson.dumps(body).decode()

        figures = await compare(
            {f"{label}: json.dumps": stdlib, f"{label}: orjson.dumps": fast}, calls
        )
        report("json", figures)


def http_post(client: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> Work:
    async def work() -> object:
        response = await client.post("/graphql", json={"query": query, "variables": variables})
        assert response.status_code == 200, response.text
        return response.content

    return work


async def http_costs(settings: Settings, key: str, id_number: str, calls: int) -> None:
    app = create_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://bench",
            headers={"Authorization": f"Bearer {key}"},
        ) as client,
    ):
        person = http_post(client, PERSON, {"id": id_number})
        figures = await compare(
            {
                "GET /healthz (middleware floor)": lambda: client.get("/healthz"),
                "person lookup": person,
                "people page of 50": http_post(client, PAGE, {}),
            },
            calls,
        )
        report("http", figures)
        response = await client.post(
            "/graphql", json={"query": PERSON, "variables": {"id": id_number}}
        )
        print(f"http    statements the lookup sent: {response.headers.get('civgraph-statements')}")


@dataclass(frozen=True, slots=True)
class Load:
    statements: float  # sent a second by this process
    own: float  # CPU ms a second of this process
    jvm: float  # CPU ms a second of the Neo4j JVM


async def load_over(seconds: float, jvm: int, tally: Tally) -> Load:
    neo4j = Meter({"Neo4j": jvm})
    sent, jvm_before, own_before = tally.statements, neo4j.seconds(), time.process_time()
    started = time.perf_counter()
    await asyncio.sleep(seconds)
    elapsed = time.perf_counter() - started
    return Load(
        (tally.statements - sent) / elapsed,
        (time.process_time() - own_before) * 1000 / elapsed,
        (neo4j.seconds()["Neo4j"] - jvm_before["Neo4j"]) * 1000 / elapsed,
    )


async def drain(events: AsyncIterator[object]) -> None:
    async for _ in events:
        pass


async def idle_costs(settings: Settings, jvm: int, seconds: float) -> None:
    """What one API process costs beside Neo4j when nobody calls it, then with one
    subscriber to the change feed (and nothing changing): against the JVM alone."""
    tally = counting()  # the poller's and the audit writer's tasks inherit it
    loads = {"Neo4j alone": await load_over(seconds, jvm, tally)}
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        await asyncio.sleep(1)  # past start-up's statements
        loads["API idle, nobody subscribed"] = await load_over(seconds, jvm, tally)
        view = next(r.endpoint for r in app.routes if isinstance(r, Route) and r.path == "/graphql")
        assert isinstance(view, GraphQLApp)
        assert view.hub is not None
        subscriber = asyncio.create_task(drain(view.hub.stream(view.hub.system)))
        await asyncio.sleep(1)
        loads["API idle, one subscriber"] = await load_over(seconds, jvm, tally)
        subscriber.cancel()
    for name, load in loads.items():
        print(f"idle    {name:30} {load.statements:5.1f} statements/s, API CPU {load.own:5.1f} "
              f"ms/s, Neo4j CPU {load.jvm:5.1f} ms/s")  # fmt: skip


@contextmanager
def served(server: process.RunningServer, workers: int, home: Path) -> Iterator[str]:
    """`civgraph serve` with `workers` processes on this Neo4j, until the block ends."""
    port, folder = servers.free_port(), home / f"api-{workers}"
    folder.mkdir(parents=True, exist_ok=True)
    env = servers.api_env(server, port, folder) | {"CIVGRAPH_WORKERS": str(workers)}
    log = folder / "api.log"
    with log.open("wb") as out:
        child = subprocess.Popen(
            [sys.executable, "-m", "civgraph", "serve"],
            env=env, stdout=out, stderr=subprocess.STDOUT, cwd=servers.ROOT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        servers.wait_for_health(url, child, log)
        time.sleep(2 * workers)  # every worker up, not just the first
        yield url
    finally:
        child.terminate()
        child.wait(60)


async def under_load(url: str, key: str, id_number: str, clients: int, seconds: float) -> None:
    """Person lookups from `clients` concurrent clients (in this process, which takes CPU
    too: on 2 cores the client, the API and Neo4j share them)."""
    latencies: list[float] = []
    payload = {"query": PERSON, "variables": {"id": id_number}}
    async with httpx.AsyncClient(
        base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=60,
        limits=httpx.Limits(max_connections=clients),
    ) as client:  # fmt: skip

        async def client_loop(until: float) -> None:
            while time.perf_counter() < until:
                started = time.perf_counter()
                response = await client.post("/graphql", json=payload)
                assert response.status_code == 200, response.text
                latencies.append(time.perf_counter() - started)

        await asyncio.gather(*(client_loop(time.perf_counter() + 2) for _ in range(clients)))
        latencies.clear()  # warmed up
        started = time.perf_counter()
        await asyncio.gather(*(client_loop(started + seconds) for _ in range(clients)))
        elapsed = time.perf_counter() - started
    print(f"served  {clients} clients: {len(latencies) / elapsed:6.0f} requests/s, median "
          f"{statistics.median(latencies) * 1000:6.1f} ms")  # fmt: skip


async def bench(server: process.RunningServer, calls: int, idle_seconds: float) -> tuple[str, str]:
    settings = Settings(
        neo4j_uri=server.uri,
        neo4j_password=server.password,
        log_level="warning",
        rate_limit_per_minute=10**9,
    )
    configure_logging(settings)
    graph = await connect(server.uri, "neo4j", server.password, "neo4j")
    try:
        await migrate(graph)
        await load_demo(graph)
        rows = await graph.write(PHONE)  # the demo's people have none
        id_number = rows[0]["id"]
        _, key = await create_key(graph, "bench", Role.ADMIN)
        await driver_costs(graph, id_number, calls)
        await schema_costs(graph, id_number, calls)
        await json_costs(graph, id_number, calls * 10)
        await http_costs(settings, key, id_number, calls)
        await idle_costs(settings, server.pid, idle_seconds)
        return key, id_number
    finally:
        await graph.close()


def workers_costs(
    server: process.RunningServer, key: str, id_number: str, options: argparse.Namespace
) -> None:
    with tempfile.TemporaryDirectory() as home:
        for workers in options.workers:
            with served(server, workers, Path(home)) as url:
                print(f"served  CIVGRAPH_WORKERS={workers}")
                asyncio.run(under_load(url, key, id_number, options.clients, options.seconds))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500, help="calls per figure")
    parser.add_argument("--idle-seconds", type=float, default=10.0)
    parser.add_argument(
        "--workers",
        type=lambda text: [int(n) for n in text.split(",") if n],
        default=[1, 2],
        help="CIVGRAPH_WORKERS values to serve with, e.g. 1,2",
    )
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=10.0, help="of load per server")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the start")
    with tempfile.TemporaryDirectory() as home:
        config = process.ServerConfig(home=Path(home), port=0, heap="512m", pagecache="64m",
                                      password=secrets.token_urlsafe(16))  # fmt: skip
        server, child = process.start(config, attached=True)
        try:
            key, id_number = asyncio.run(bench(server, args.requests, args.idle_seconds))
            workers_costs(server, key, id_number, args)
        finally:
            process.stop_attached(child)
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
