"""An ingest killed half-way (kill -9) and simply run again yields the same graph as an
uninterrupted run."""

from __future__ import annotations

import asyncio
import csv
import signal
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from civgraph.graph.connection import Target
from civgraph.graph.driver import Graph
from tests.builders import GRAPH_COUNTS, resident_id, wipe
from tests.integration.ingest.test_loader import REGISTRATION_HEADER, write_files
from tests.servers import free_port, server_env

PEOPLE = 12_000


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
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


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


async def test_a_killed_ingest_completes_when_run_again(
    graph: Graph, env: dict[str, str], tmp_path: Path
) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    many_people(exports)
    assert ingest(exports, env, tmp_path / "whole.csv").wait(300) == 0
    whole = await graph.read(GRAPH_COUNTS)
    await wipe(graph)

    child = ingest(exports, env, tmp_path / "killed.csv")
    await wait_for_people(graph, child, 1000)
    child.send_signal(signal.SIGKILL)
    child.wait()
    interrupted_at = await people(graph)
    assert ingest(exports, env, tmp_path / "again.csv").wait(300) == 0

    assert 0 < interrupted_at < PEOPLE  # it was killed half-way
    assert await graph.read(GRAPH_COUNTS) == whole
