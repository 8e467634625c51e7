"""An ingest killed half-way (kill -9) and simply run again yields the same graph as an
uninterrupted run."""

from __future__ import annotations

import asyncio
import csv
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from civgraph.graph.connection import Target
from civgraph.graph.driver import Graph, Row, connect
from civgraph.graph.server import process
from tests.builders import GRAPH_COUNTS, resident_id, wipe
from tests.integration.ingest.test_loader import REGISTRATION_HEADER, write_files
from tests.servers import free_port, server_env

PEOPLE = 12_000
Uninterrupted = tuple[Path, list[Row]]


def many_people(directory: Path) -> None:
    """The small exports plus a registration file of PEOPLE rows (3 per household)."""
    write_files(directory)
    with (directory / "household_registration-2.csv").open(
        "w", encoding="utf-8", newline=""
    ) as out:
        writer = csv.writer(out)
        writer.writerow(REGISTRATION_HEADER)
        for i in range(PEOPLE):
            born = date(1940, 1, 1) + timedelta(days=i // 500)
            number = resident_id(born, i % 500 + 1)
            relation = "户主" if i % 3 == 0 else "子女"
            row = [
                f"B-{i // 3}",
                "测试路",
                "340121001001",
                "城镇",
                number,
                "某",
                relation,
                "2001-01-01",
                "",
            ]
            writer.writerow(row)


def ingest(exports: Path, env: dict[str, str], report: Path) -> subprocess.Popen[bytes]:
    arguments = ["--dir", str(exports), "--rejects", str(report), "--batch", "500"]
    command = [sys.executable, "-m", "civgraph", "ingest", *arguments]
    with report.with_suffix(".log").open("wb") as log:
        return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)


@pytest.fixture
def env(neo4j: Target, tmp_path: Path) -> dict[str, str]:
    return server_env(
        tmp_path / "home",
        free_port(),
        CIVGRAPH_NEO4J_URI=neo4j.uri,
        CIVGRAPH_NEO4J_PASSWORD=neo4j.password,
    )


async def people(graph: Graph) -> int:
    return int((await graph.read("MATCH (p:Person) RETURN count(p) AS n"))[0]["n"])


async def wait_for_people(graph: Graph, child: subprocess.Popen[bytes], minimum: int) -> None:
    """Polls the graph (the other process's progress) for two minutes at most."""
    for _ in range(2400):
        if await people(graph) >= minimum or child.poll() is not None:
            return
        await asyncio.sleep(0.05)


@pytest_asyncio.fixture
async def uninterrupted(graph: Graph, env: dict[str, str], tmp_path: Path) -> Uninterrupted:
    """The exports, and the graph's counts after one uninterrupted run of them."""
    exports = tmp_path / "exports"
    exports.mkdir()
    many_people(exports)
    assert ingest(exports, env, tmp_path / "whole.csv").wait(300) == 0
    return exports, await graph.read(GRAPH_COUNTS)


async def test_a_killed_ingest_completes_when_run_again(
    graph: Graph, env: dict[str, str], tmp_path: Path, uninterrupted: Uninterrupted
) -> None:
    exports, whole = uninterrupted
    await wipe(graph)

    child = ingest(exports, env, tmp_path / "killed.csv")
    await wait_for_people(graph, child, 1000)
    child.send_signal(signal.SIGKILL)
    child.wait()
    interrupted_at = await people(graph)
    assert ingest(exports, env, tmp_path / "again.csv").wait(300) == 0

    assert 0 < interrupted_at < PEOPLE  # it was killed half-way
    assert await graph.read(GRAPH_COUNTS) == whole


async def test_an_ingest_whose_neo4j_is_killed_completes_when_both_are_started_again(
    env: dict[str, str], tmp_path: Path, uninterrupted: Uninterrupted
) -> None:
    exports, whole = uninterrupted
    config = process.ServerConfig(
        home=tmp_path / "own", port=0, heap="384m", pagecache="64m", password="own-secret"
    )

    with own_neo4j(config) as first:
        own_env = env | {"CIVGRAPH_NEO4J_URI": first.uri, "CIVGRAPH_NEO4J_PASSWORD": "own-secret"}
        child = ingest(exports, own_env, tmp_path / "killed.csv")
        async with connected(first.uri) as own:
            await wait_for_people(own, child, 1000)
        os.kill(first.pid, signal.SIGKILL)  # the database dies mid-run
        failed = child.wait(300)
    with own_neo4j(config) as second:  # started again: recovers from its transaction log
        own_env |= {"CIVGRAPH_NEO4J_URI": second.uri}
        async with connected(second.uri) as own:
            interrupted_at = await people(own)
            assert ingest(exports, own_env, tmp_path / "again.csv").wait(300) == 0
            after = await own.read(GRAPH_COUNTS)

    assert failed != 0  # the run itself failed, and said so
    assert "lost Neo4j during the run" in (tmp_path / "killed.log").read_text(encoding="utf-8")
    assert 0 < interrupted_at < PEOPLE
    assert after == whole


@contextmanager
def own_neo4j(config: process.ServerConfig) -> Iterator[process.RunningServer]:
    """A Neo4j of the test's own (the session's must survive), stopped or killed after."""
    server, child = process.start(config, attached=True)
    try:
        yield server
    finally:
        process.stop_attached(child)


@asynccontextmanager
async def connected(uri: str) -> AsyncIterator[Graph]:
    own = await connect(uri, "neo4j", "own-secret", "neo4j")
    try:
        yield own
    finally:
        await own.close()
