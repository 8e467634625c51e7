"""`civgraph load --initial`: a synthetic province loaded by Neo4j's offline importer gives
the graph, the rejects and the answers that online ingest of the same files gives."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
import pytest_asyncio

from civgraph.graph import linkage, rules
from civgraph.graph.changes import Operation, read_changes
from civgraph.graph.driver import Graph, connect
from civgraph.graph.indicators import measure
from civgraph.graph.server import process
from civgraph.ingest.run import files_in, run
from civgraph.ingest.synth import synthesize
from tests.builders import seen_by, wipe
from tests.servers import server_env
from tests.snapshots import Snapshot, snapshot

PEOPLE = 2_500
PROVINCE = "34"
TODAY = date.today()


def load_command(province: Path, report: Path) -> list[str]:
    arguments = [str(province), "--initial", "--rejects", str(report)]
    return [sys.executable, "-m", "civgraph", "load", *arguments]


def load_env(home: Path) -> dict[str, str]:
    return server_env(home, 0, CIVGRAPH_NEO4J_PORT="0", CIVGRAPH_NEO4J_HEAP="512m",
                      CIVGRAPH_NEO4J_PAGECACHE="64m")  # fmt: skip


def load(province: Path, home: Path, report: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        load_command(province, report), env=load_env(home), capture_output=True, text=True,
        check=False, timeout=600,
    )  # fmt: skip


async def open_loaded(home: Path) -> Graph:
    """The graph in `home`, whose server the load left running."""
    running = process.running(process.ServerConfig(home=home))
    assert running is not None, "the load left no server running"
    return await connect(running.uri, "neo4j", running.password, "neo4j")


def stop(home: Path) -> None:
    process.stop(process.ServerConfig(home=home))


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("province")
    synthesize(PEOPLE, 5, directory)
    return directory


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def online(session_graph: Graph, province: Path, tmp_path_factory: pytest.TempPathFactory
                 ) -> tuple[Snapshot, Path]:  # fmt: skip
    """The province through online ingest, into the session's graph (what the first load
    is compared with)."""
    await wipe(session_graph)
    report = tmp_path_factory.mktemp("online") / "rejects.csv"
    await run(session_graph, files_in(province), report, batch_size=2000)
    return await snapshot(session_graph), report


@pytest.fixture(scope="module")
def first_home(province: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The province through the first load, into a Neo4j of its own (left running): a load
    killed (kill -9, with its importer) while the importer wrote the store; run again and
    killed once the store was written and its server up; run again to the end."""
    home = tmp_path_factory.mktemp("first") / "neo4j"
    config = process.ServerConfig(home=home)
    kill_when(province, home, home.parent / "killed.csv", (home / "import.log").exists)
    assert (home / "initial-load.state").exists()
    kill_when(province, home, home.parent / "killed-again.csv",
              lambda: process.running(config) is not None)  # fmt: skip
    assert (home / "initial-load.state").exists()
    done = load(province, home, home.parent / "rejects.csv")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "went on from the store an earlier run of this load had imported" in done.stderr
    yield home
    stop(home)


@pytest_asyncio.fixture(loop_scope="session")
async def first(first_home: Path) -> AsyncIterator[Graph]:
    graph = await open_loaded(first_home)
    yield graph
    await graph.close()


def rejects_of(report: Path) -> list[str]:
    return sorted(report.read_text(encoding="utf-8").splitlines())


async def test_the_first_load_gives_the_graph_online_ingest_gives(
    online: tuple[Snapshot, Path], first: Graph
) -> None:
    expected, _ = online
    loaded = await snapshot(first)

    assert len(loaded.nodes) == len(expected.nodes) > PEOPLE
    assert loaded.nodes.keys() == expected.nodes.keys()
    assert loaded.relationships.keys() == expected.relationships.keys()
    assert [k for k in expected.nodes if loaded.nodes[k] != expected.nodes[k]] == []
    rels = expected.relationships
    assert [k for k in rels if loaded.relationships[k] != rels[k]] == []


async def test_bad_rows_are_rejected_as_online_ingest_rejects_them(
    online: tuple[Snapshot, Path], first_home: Path
) -> None:
    _, online_report = online
    loaded = rejects_of(first_home.parent / "rejects.csv")

    assert len(loaded) > 50  # the synthetic province plants invalid rows
    assert loaded == rejects_of(online_report)


async def test_rules_indicators_and_linkage_answer_as_after_online_ingest(
    online: tuple[Snapshot, Path], session_graph: Graph, first: Graph
) -> None:
    loaded = await snapshot(first)
    expected, _ = online

    found = await answers(first, loaded)

    assert sum(len(v) for v in found.values() if isinstance(v, list)) > 50  # findings exist
    assert found == await answers(session_graph, expected)


async def answers(graph: Graph, names: Snapshot) -> dict[str, object]:
    """Every rule's findings, the indicators and the linkage views for the province, with
    platform ids replaced by natural identities."""
    scoped = seen_by(graph)
    found: dict[str, object] = {}
    for rule in rules.QUERIES:
        findings = rules.every_finding(scoped, rule, PROVINCE, TODAY)
        found[rule.value] = sorted([names.plain(finding) async for finding in findings])
    found["indicators"] = names.plain(await measure(scoped, PROVINCE, TODAY.year, TODAY, 60, []))
    found["coverage"] = names.plain(await linkage.coverage(scoped, PROVINCE, TODAY.year, TODAY))
    found["linkage"] = names.plain(await linkage.linkage_graph(scoped, PROVINCE, TODAY, 500))
    return found


async def test_the_change_feed_begins_with_the_initial_load(first: Graph) -> None:
    events = await read_changes(seen_by(first), None, 10)

    assert [e.operation for e in events] == [Operation.INITIAL_LOAD]
    assert events[0].fields["rows"]["after"] > PEOPLE


async def test_a_database_that_holds_data_is_refused(
    province: Path, first_home: Path, first: Graph
) -> None:
    before = await first.read("MATCH (n) RETURN count(n) AS nodes")

    done = load(province, first_home, first_home.parent / "again.csv")

    assert done.returncode == 1
    assert "holds data" in done.stderr
    assert "civgraph ingest --dir" in done.stderr
    assert await first.read("MATCH (n) RETURN count(n) AS nodes") == before


def test_a_first_load_killed_part_way_loads_when_run_again(first_home: Path) -> None:
    # (the load behind every other test was killed twice, then run again: `first_home`)
    assert not (first_home / "initial-load.state").exists()
    assert process.running(process.ServerConfig(home=first_home)) is not None


def kill_when(province: Path, home: Path, report: Path, condition: Callable[[], bool]) -> None:
    """Runs the load and kills it (kill -9, with the processes it started in its session)
    as soon as `condition` holds."""
    child = subprocess.Popen(
        load_command(province, report), env=load_env(home), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        wait_for(lambda: condition() or child.poll() is not None)
        assert child.poll() is None, "the load ended before it was to be killed"
    finally:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()


def wait_for(condition: Callable[[], bool], seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


def test_loading_needs_the_initial_flag(province: Path, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "civgraph", "load", str(province)]
    done = subprocess.run(
        command, env=load_env(tmp_path / "neo4j"), capture_output=True, text=True, check=False
    )

    assert done.returncode == 1
    assert "--initial" in done.stderr
    assert not (tmp_path / "neo4j").exists()
