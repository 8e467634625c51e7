"""Load in interleaved rounds: each round sends a slice of requests through every system in
turn (the first system rotating from round to round), so a noisy shared machine slows all
of them alike instead of whichever happened to run during the noise.

A system is a call from a `Case` to an `Answer`: the data and the Neo4j statements the
request sent (our API's `civgraph-statements` header, the peer's `peer-statements`, 1 for
hand-written Cypher).
"""

from __future__ import annotations

import asyncio
import itertools
import math
import statistics
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, LiteralString

import httpx
import neo4j

from bench.cpu import Meter
from bench.read_scenarios import Case
from bench.servers import BenchError


@dataclass(frozen=True, slots=True)
class Answer:
    data: Any
    statements: int


Call = Callable[[Case], Awaitable[Answer]]


@dataclass(frozen=True, slots=True)
class Figures:
    p50: float  # ms
    p99: float
    rate: float  # requests per second of the system's own slices
    statements: float  # Neo4j statements per request, averaged
    cpu: dict[str, float]  # CPU ms per request, by process, while this system ran


@dataclass(slots=True)
class Tally:
    """What one system's slices measured so far."""

    latencies: list[float] = field(default_factory=list)
    statements: int = 0
    seconds: float = 0.0  # wall time of its slices
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds by process in them

    def figures(self) -> Figures:
        cuts = statistics.quantiles(self.latencies, n=100, method="inclusive")
        count = len(self.latencies)
        cpu = {name: used * 1000 / count for name, used in self.cpu.items()}
        return Figures(cuts[49] * 1000, cuts[98] * 1000, count / self.seconds,
                       self.statements / count, cpu)  # fmt: skip


async def run_slice(
    call: Call,
    cases: Sequence[Case],
    start: int,
    count: int,
    concurrency: int,
    tally: Tally,
    meter: Meter | None = None,
) -> None:
    """Requests start … start+count-1 (inputs cycled) from `concurrency` tasks; the CPU the
    metered processes used meanwhile is added to the tally."""
    indexes = iter(range(start, start + count))

    async def worker() -> None:
        for index in indexes:
            began = time.perf_counter()
            answer = await call(cases[index % len(cases)])
            tally.latencies.append(time.perf_counter() - began)
            tally.statements += answer.statements

    before = meter.seconds() if meter else {}
    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(min(concurrency, count))))
    tally.seconds += time.perf_counter() - began
    if meter:
        for name, used in meter.seconds().items():
            tally.cpu[name] = tally.cpu.get(name, 0.0) + used - before[name]


@dataclass(frozen=True, slots=True)
class Plan:
    """`requests` per system at `concurrency`, in rounds of `size` requests per system."""

    requests: int
    concurrency: int
    rounds: int

    @property
    def size(self) -> int:
        # never below `concurrency`: a smaller slice never has that many requests in flight
        return max(math.ceil(self.requests / self.rounds), self.concurrency)

    @property
    def actual_rounds(self) -> int:
        return math.ceil(self.requests / self.size)


async def interleaved(
    calls: Sequence[Call], cases: Sequence[Case], plan: Plan, meter: Meter | None = None
) -> list[Figures]:
    """Every call through the same inputs in the same order, slice by slice, taking turns."""
    tallies = [Tally() for _ in calls]
    for round_number, done in enumerate(range(0, plan.requests, plan.size)):
        count = min(plan.size, plan.requests - done)
        first = round_number % len(calls)
        for turn in itertools.chain(range(first, len(calls)), range(first)):
            await run_slice(calls[turn], cases, done, count, plan.concurrency, tallies[turn],
                            meter)  # fmt: skip
    return [tally.figures() for tally in tallies]


async def warm(calls: Sequence[Call], cases: Sequence[Case], requests: int) -> None:
    for call in calls:
        await run_slice(call, cases, 0, requests, 4, Tally())


# --- the three kinds of call ---------------------------------------------------------------

STATEMENTS = "civgraph-statements"
PEER_STATEMENTS = "peer-statements"


async def post(
    client: httpx.AsyncClient, url: str, query: str, variables: dict[str, Any], header: str
) -> Answer:
    """A GraphQL request; the statements it sent, from the server's `header`."""
    response = await client.post(url, json={"query": query, "variables": variables})
    body = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise BenchError(f"{url} answered {response.status_code}: {body.get('errors')}")
    if header not in response.headers:
        raise BenchError(f"{url} answered without a {header} header")
    return Answer(body["data"], int(response.headers[header]))


def graphql_call(client: httpx.AsyncClient, url: str, query: str) -> Call:
    async def call(case: Case) -> Answer:
        return await post(client, url, query, case.variables, STATEMENTS)

    return call


def peer_call(client: httpx.AsyncClient, url: str, query: str) -> Call:
    async def call(case: Case) -> Answer:
        return await post(client, url, query, case.peer, PEER_STATEMENTS)

    return call


def cypher_call(driver: neo4j.AsyncDriver, query: LiteralString) -> Call:
    async def fetch(tx: neo4j.AsyncManagedTransaction, params: dict[str, Any]) -> Any:
        return await (await tx.run(query, params)).data()

    async def call(case: Case) -> Answer:
        async with driver.session(database="neo4j") as session:
            return Answer(await session.execute_read(fetch, case.params), 1)

    return call
