"""Mutations through HTTP: latency and throughput of creates and updates, and what
contention on one entity costs.

`python -m bench.mutations` starts a Neo4j and a `civgraph serve` of its own. It creates
`--people` persons (`createPerson`, one request each) from 1 and from `--clients`
concurrent clients, updates each once (`updatePerson` at its version), then has the
clients rename one person `--contended` times in all, each re-reading and retrying on
`StaleVersionError`: attempts per successful write. Each write is one transaction with its
change events (the outbox), so the figures include the feed's cost.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

import httpx

from bench.ingest import VAR
from bench.servers import fresh_graph, running_api
from civgraph.graph.identifiers import make_resident_id

CREATE = """
mutation ($input: PersonInput!) {
  createPerson(input: $input) { __typename ... on Person { id version } }
}"""
UPDATE = """
mutation ($id: ID!, $version: Int!, $name: String!) {
  updatePerson(id: $id, version: $version, patch: {name: $name}) {
    __typename ... on Person { version } ... on StaleVersionError { actual }
  }
}"""
COUNTY = "340121"


async def post(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    data: dict[str, Any] = next(iter(response.json()["data"].values()))
    return data


async def timed(
    jobs: list[Callable[[], Awaitable[Any]]], clients: int
) -> tuple[list[float], float]:
    """Runs the jobs on `clients` workers; each job's latency (ms) and the wall time (s)."""
    queue = list(reversed(jobs))
    latencies: list[float] = []

    async def worker() -> None:
        while queue:
            job = queue.pop()
            started = time.perf_counter()
            await job()
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return latencies, time.perf_counter() - started


def line(what: str, clients: int, latencies: list[float], seconds: float) -> str:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (
        f"{what:<8} {clients:>2} clients: {len(ordered):>5} in {seconds:6.1f} s = "
        f"{len(ordered) / seconds:6.0f}/s; p50 {statistics.median(ordered):6.1f} ms, "
        f"p99 {p99:6.1f} ms"
    )


async def bench(args: argparse.Namespace) -> None:
    folder = VAR / "mutations"
    async with fresh_graph(folder) as (server, _):
        with running_api(server, folder) as api:
            async with httpx.AsyncClient(
                base_url=api.url, timeout=60, headers=api.headers
            ) as client:
                await run(client, args)


async def run(client: httpx.AsyncClient, args: argparse.Namespace) -> None:
    people: list[dict[str, Any]] = []
    sequence = iter(range(10**6))

    def create() -> Callable[[], Awaitable[Any]]:
        n = next(sequence)
        number = make_resident_id(COUNTY, date(1950, 1, 1) + timedelta(days=n // 900), n % 900 + 1)

        async def job() -> None:
            people.append(await post(client, CREATE, input={"idNumber": number, "name": "测试"}))

        return job

    for clients in (1, args.clients):
        latencies, seconds = await timed([create() for _ in range(args.people)], clients)
        print(line("create", clients, latencies, seconds), flush=True)
    assert all(p["__typename"] == "Person" for p in people), people[:3]

    def update(person: dict[str, Any]) -> Callable[[], Awaitable[Any]]:
        async def job() -> None:
            await post(client, UPDATE, id=person["id"], version=person["version"], name="改名")

        return job

    latencies, seconds = await timed([update(p) for p in people[: args.people]], args.clients)
    print(line("update", args.clients, latencies, seconds), flush=True)

    target = people[0]
    attempts = 0
    version = target["version"] + 1  # renamed once above

    def contended(n: int) -> Callable[[], Awaitable[Any]]:
        async def job() -> None:
            nonlocal attempts, version
            while True:
                attempts += 1
                result = await post(client, UPDATE, id=target["id"], version=version, name=f"名{n}")
                if result["__typename"] == "Person":
                    version = result["version"]
                    return
                version = result["actual"]

        return job

    jobs = [contended(n) for n in range(args.contended)]
    latencies, seconds = await timed(jobs, args.clients)
    print(line("one row", args.clients, latencies, seconds), flush=True)
    print(f"contention: {attempts / args.contended:.2f} attempts per landed write", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--contended", type=int, default=200)
    asyncio.run(bench(parser.parse_args()))


if __name__ == "__main__":
    main()
