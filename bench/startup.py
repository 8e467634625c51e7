"""Prints the embedded Neo4j's figures: jars, time to READY, resident memory, API latency.

Run with `make bench-startup`. Each start uses a new temporary data folder and a free port.
"""

from __future__ import annotations

import asyncio
import secrets
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from civgraph.auth.principal import Principal, Role
from civgraph.graph.driver import connect
from civgraph.graph.migrations import migrate
from civgraph.graph.server import process
from civgraph.ingest.demo import load_demo
from civgraph.resolvers.context import build_context
from civgraph.schema.schema import build_schema
from civgraph.settings import Settings

STARTS = 3
QUERIES = 200
NESTED = """{ region(code: "340111") { children { communities { households {
  members { person { name } } } } } } }"""

ADMIN = Principal("bench (synthetic)", Role.ADMIN)


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def median_ms(samples: int, work: Callable[[], Awaitable[object]]) -> float:
    timings = []
    for _ in range(samples):
        started = time.perf_counter()
        await work()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


async def exercise(uri: str, password: str) -> tuple[float, float]:
    """Migrates, loads the demo; returns median ms of one round trip and of a nested query."""
    graph = await connect(uri, "neo4j", password, "neo4j")
    try:
        await migrate(graph)
        await load_demo(graph)
        schema, settings = build_schema(), Settings()

        async def nested() -> None:
            result = await schema.execute(
                NESTED, context_value=build_context(graph, settings, principal=ADMIN)
            )
            assert result.errors is None, result.errors

        await median_ms(QUERIES, nested)  # warm-up: the JVM compiles the hot paths
        return await median_ms(QUERIES, lambda: graph.read("RETURN 1")), await median_ms(
            QUERIES, nested
        )
    finally:
        await graph.close()


def main() -> None:
    jars = sorted(process.LIB.glob("*.jar"))
    size = sum(jar.stat().st_size for jar in jars) + process.JAR.stat().st_size
    print(f"launcher classpath: {len(jars) + 1} jars, {size / 2**20:.0f} MiB")
    for run in range(1, STARTS + 1):
        with tempfile.TemporaryDirectory() as home:
            config = process.ServerConfig(
                home=Path(home), port=0, password=secrets.token_urlsafe(16)
            )
            started = time.perf_counter()
            server, child = process.start(config, attached=True)
            ready = time.perf_counter() - started
            idle = rss_mib(server.pid)
            round_trip, nested = asyncio.run(exercise(server.uri, server.password))
            busy = rss_mib(server.pid)
            process.stop_attached(child)
            print(
                f"start {run}: READY after {ready:.1f} s; RSS {idle:.0f} MiB idle, "
                f"{busy:.0f} MiB after the demo load and {2 * QUERIES} nested queries; median "
                f"{round_trip:.1f} ms a round trip, {nested:.1f} ms a 7-level query (in-process)"
            )


if __name__ == "__main__":
    main()
