"""The `civgraph` commands as a user runs them: `run` end to end, and clear failures."""

from __future__ import annotations

import asyncio
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
from strawberry import relay

from civgraph.graph.connection import Target
from civgraph.graph.driver import Graph, connect
from civgraph.graph.server import process
from tests.integration.ingest.test_loader import write_files
from tests.integration.ingest.test_resolution import OTHER, write_exports
from tests.servers import Api, free_port, server_env, serving, wait_for_health

DEMO = """
{ region(code: "340111") { name children { communities { households { items { number } } } } } }
"""


def civgraph(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "civgraph", *args],
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=180,
    )


PLAN = '{ planIndicators(regionCode: "340111", year: 2026) { code value target status } }'


def test_run_starts_neo4j_loads_the_demo_serves_and_stops_everything(tmp_path: Path) -> None:
    home = tmp_path / "neo4j"
    env = server_env(home, free_port(), CIVGRAPH_NEO4J_PORT="0", CIVGRAPH_NEO4J_HEAP="384m")
    log = tmp_path / "run.log"
    with log.open("wb") as out:
        child = subprocess.Popen(
            [sys.executable, "-m", "civgraph", "run"], env=env, stdout=out, stderr=out
        )
    url = f"http://127.0.0.1:{env['CIVGRAPH_PORT']}"
    try:
        wait_for_health(url, child, log, timeout=180)
        neo4j = process.running(process.ServerConfig(home=home))
        assert neo4j is not None
        key_file = tmp_path / "development-admin-key"  # beside the Neo4j home
        api = Api(url, log, key_file.read_text().strip())

        anonymous = httpx.post(api.graphql, json={"query": DEMO}, timeout=30)
        body = httpx.post(api.graphql, json={"query": DEMO}, headers=api.headers, timeout=30).json()

        plan = api.post(PLAN)["data"]["planIndicators"]
        standard = next(i for i in plan if i["code"] == "DIBAO_STANDARD_URBAN_GROWTH")

        assert anonymous.status_code == 401
        assert body["data"]["region"]["name"] == "包河区"
        assert "loaded the synthetic demo dataset (359 people)" in log.read_text()
        said = log.read_text()  # what it was doing, step by step, while it loaded
        steps = [said.index(step) for step in ("starting Neo4j", "applying migrations",
                 "loading the synthetic demo dataset…", "demo data: 359 Person nodes",
                 "demo data: entity resolution", "loaded the synthetic demo dataset")]  # fmt: skip
        assert steps == sorted(steps)
        assert "loaded the work plan's 10" in log.read_text()  # targets, into an empty database
        assert standard == {"code": "DIBAO_STANDARD_URBAN_GROWTH", "value": 10.2,
                            "target": 10.0, "status": "MET"}  # 830 → 915 yuan  # fmt: skip
        assert str(key_file) in log.read_text()
        assert key_file.stat().st_mode & 0o077 == 0
    finally:
        child.send_signal(signal.SIGTERM)
        child.wait(120)
    assert not process.alive(neo4j.pid), "Neo4j outlived `civgraph run`"
    assert "Neo4j stopped" in log.read_text()
    assert not (home / "civgraph-neo4j.pid").exists()


def test_status_says_how_to_start_neo4j_when_it_is_not_running(tmp_path: Path) -> None:
    done = civgraph("neo4j", "status", env=server_env(tmp_path, free_port()))

    assert done.returncode == 1
    assert "civgraph neo4j start" in done.stderr


def test_a_jvm_that_cannot_start_is_reported_with_its_output(tmp_path: Path) -> None:
    env = server_env(tmp_path, free_port(), CIVGRAPH_NEO4J_HEAP="1k", CIVGRAPH_NEO4J_PORT="0")

    done = civgraph("neo4j", "start", env=env)

    assert done.returncode == 1
    assert "before it was ready" in done.stderr
    assert "heap" in done.stderr.lower()  # the JVM's own complaint, from the log's tail


def test_export_schema_prints_the_sdl() -> None:
    done = civgraph("export-schema", env=server_env(Path("/nonexistent"), 0))

    assert done.returncode == 0
    assert "type Query {" in done.stdout
    assert (Path(__file__).resolve().parents[2] / "schema.graphql").read_text() == done.stdout


def test_ingest_loads_a_directory_and_prints_a_summary(neo4j: Target, tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    write_files(exports)
    env = server_env(
        tmp_path / "home",
        free_port(),
        CIVGRAPH_NEO4J_URI=neo4j.uri,
        CIVGRAPH_NEO4J_PASSWORD=neo4j.password,
    )

    done = civgraph("ingest", "--dir", str(exports), "--rejects", str(tmp_path / "r.csv"), env=env)

    assert done.returncode == 0, done.stderr
    assert "household_registration" in done.stderr
    assert (tmp_path / "r.csv").read_text(encoding="utf-8").count("\n") == 7  # header + 6


def test_ingest_lists_the_files_and_columns_it_did_not_read(neo4j: Target, tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    write_files(exports)
    (exports / "notes.txt").write_text("not an export", encoding="utf-8")
    (exports / "pensions.csv").write_text("身份证号,金额\n", encoding="utf-8")
    (exports / "regions-2.csv").write_text("代码,名称,备注\n340122,肥东县,\n", encoding="utf-8")
    env = server_env(
        tmp_path / "home",
        free_port(),
        CIVGRAPH_NEO4J_URI=neo4j.uri,
        CIVGRAPH_NEO4J_PASSWORD=neo4j.password,
    )

    done = civgraph("ingest", "--dir", str(exports), "--rejects", str(tmp_path / "r.csv"), env=env)

    assert done.returncode == 0, done.stderr
    output = " ".join(done.stderr.split())  # as the console wrapped it
    assert "files not loaded (no source of that name or format): notes.txt, pensions.csv" in output
    assert "regions: columns not read: 备注" in output


def resolution_exports_ingested(neo4j: Target, tmp_path: Path) -> dict[str, str]:
    """The entity-resolution exports ingested with `civgraph ingest`; the environment that
    reaches the same Neo4j."""
    exports = tmp_path / "exports"
    exports.mkdir()
    write_exports(exports)
    env = server_env(tmp_path / "home", free_port(), CIVGRAPH_NEO4J_URI=neo4j.uri,
                     CIVGRAPH_NEO4J_PASSWORD=neo4j.password)  # fmt: skip
    ingested = civgraph(
        "ingest", "--dir", str(exports), "--rejects", str(tmp_path / "r.csv"), env=env
    )
    assert ingested.returncode == 0, ingested.stderr
    return env


def test_er_splits_a_match_and_refuses_to_split_a_keyed_record(
    graph: Graph, neo4j: Target, tmp_path: Path
) -> None:
    env = resolution_exports_ingested(neo4j, tmp_path)

    split = civgraph("er", "split", "cremations", "C-2", env=env)
    refused = civgraph("er", "split", "cremations", "C-1", env=env)

    assert split.returncode == 0, split.stderr
    assert "record C-2 of cremations is now person" in split.stderr
    assert refused.returncode == 1
    assert "carried the idNumber" in refused.stderr


def test_ingest_without_files_says_how_to_call_it(tmp_path: Path) -> None:
    done = civgraph("ingest", env=server_env(tmp_path, free_port()))

    assert done.returncode == 1
    assert "give a SOURCE and its FILES, or --dir DIR" in done.stderr


def test_er_takes_the_global_ids_the_api_shows(graph: Graph, neo4j: Target, tmp_path: Path) -> None:
    env = resolution_exports_ingested(neo4j, tmp_path)
    other = asyncio.run(person_of(neo4j, OTHER))
    person = str(relay.GlobalID("Person", other))
    household = str(relay.GlobalID("Household", other))

    rejected = civgraph("er", "reject", "cremations", "C-3", person, env=env)
    wrong_type = civgraph("er", "join", "cremations", "C-3", household, env=env)
    joined = civgraph("er", "join", "cremations", "C-3", other, env=env)  # a platform id too

    assert rejected.returncode == 0, rejected.stderr
    assert f"ruled out: {other}" in rejected.stderr
    assert (wrong_type.returncode, "not of a Person" in wrong_type.stderr) == (1, True)
    assert joined.returncode == 0, joined.stderr
    assert f"now describes person {other} (joined); ruled out: nobody" in joined.stderr


async def person_of(neo4j: Target, id_number: str) -> str:
    graph = await connect(neo4j.uri, neo4j.user, neo4j.password, neo4j.database)
    try:
        rows = await graph.read("MATCH (p:Person {idNumber: $id}) RETURN p.id AS id", id=id_number)
    finally:
        await graph.close()
    found: str = rows[0]["id"]
    return found


def on(neo4j: Target, home: Path, port: int) -> dict[str, str]:
    """The environment of a `civgraph serve` on `port` against `neo4j` (API pid file beside
    `home`)."""
    return server_env(
        home,
        port,
        CIVGRAPH_NEO4J_URI=neo4j.uri,
        CIVGRAPH_NEO4J_PASSWORD=neo4j.password,
        CIVGRAPH_LOAD_DEMO_DATA="false",
    )


def test_a_second_server_refuses_to_start_and_stop_still_stops_the_first(
    neo4j: Target, admin_key: str, tmp_path: Path
) -> None:
    port = free_port()
    pid_file = tmp_path / "civgraph-api.pid"
    with serving(neo4j, tmp_path, port, admin_key) as (_, first):
        second = civgraph("serve", env=on(neo4j, tmp_path / "neo4j", port))
        kept = pid_file.read_text()
        stopped = civgraph("stop", env=on(neo4j, tmp_path / "neo4j", port))
        first.wait(60)

    assert second.returncode == 1
    assert f"civgraph already serves from process {first.pid}" in second.stderr
    assert kept == str(first.pid)
    assert "API stopped" in stopped.stderr
    assert not pid_file.exists()


def test_serve_refuses_a_port_another_process_holds(neo4j: Target, tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        done = civgraph("serve", env=on(neo4j, tmp_path / "neo4j", port))

    assert done.returncode == 1
    assert f"127.0.0.1:{port} is taken by another process" in done.stderr
    assert not (tmp_path / "civgraph-api.pid").exists()
