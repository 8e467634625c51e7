"""What the benches share: a Neo4j of their own on a store folder, `civgraph serve` against it
with an admin key, and a GraphQL request. Each is stopped whatever happens."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from civgraph.graph.driver import Graph, connect
from civgraph.graph.migrations import migrate
from civgraph.graph.server import process

ROOT = Path(__file__).resolve().parent.parent


class BenchError(RuntimeError):
    """The bench could not run: a failed request, a server that did not start."""


async def post(client: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> Any:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    body = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise BenchError(f"GraphQL answered {response.status_code}: {body.get('errors')}")
    return body["data"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def api_env(server: process.RunningServer, port: int, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CIVGRAPH_", "NEO4J_"))}
    return env | {
        "CIVGRAPH_NEO4J_URI": server.uri,
        "CIVGRAPH_NEO4J_PASSWORD": server.password,
        "CIVGRAPH_NEO4J_HOME": str(home),  # only where `serve` keeps its pid file
        "CIVGRAPH_PORT": str(port),
        "CIVGRAPH_LOAD_DEMO_DATA": "false",
        "CIVGRAPH_LOG_LEVEL": "warning",
        "CIVGRAPH_RATE_LIMIT_PER_MINUTE": str(10**9),  # the benches measure, not throttle
        "CIVGRAPH_WORKERS": os.environ.get("CIVGRAPH_WORKERS", "1"),  # passed through
        "CIVGRAPH_PLANNER": os.environ.get("CIVGRAPH_PLANNER", "true"),  # false: the loaders
    }


def wait_for_health(
    url: str,
    child: subprocess.Popen[bytes],
    log: Path,
    path: str = "/healthz",
    seconds: float = 120,
) -> None:
    """Until the API answers `path` with 200 (`/readyz`: and reaches Neo4j)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise BenchError(f"the API exited with {child.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}{path}", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise BenchError(f"the API did not answer {path} in {seconds:.0f} s:\n{log.read_text()}")


def emptied(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)


@asynccontextmanager
async def fresh_graph(folder: Path) -> AsyncIterator[tuple[process.RunningServer, Graph]]:
    """An empty Neo4j of its own in `folder` (emptied first), migrated, until the block ends."""
    emptied(folder)
    async with running_graph(folder / "neo4j", "1g", "512m") as pair:
        yield pair


@asynccontextmanager
async def running_graph(
    home: Path, heap: str, pagecache: str, tx_memory: str = "256m"
) -> AsyncIterator[tuple[process.RunningServer, Graph]]:
    """A Neo4j of its own on the store in `home`, migrated, until the block ends."""
    config = process.ServerConfig(home=home, port=0, heap=heap, pagecache=pagecache,
                                  tx_memory=tx_memory,
                                  password=secrets.token_urlsafe(16))  # fmt: skip
    server, child = process.start(config, attached=True)
    graph = await connect(server.uri, "neo4j", server.password, "neo4j")
    try:
        await migrate(graph)
        yield server, graph
    finally:
        await graph.close()
        process.stop_attached(child)


@dataclass(frozen=True, slots=True)
class RunningApi:
    url: str
    key: str  # an admin API key
    pid: int

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


def admin_key(server: process.RunningServer, folder: Path) -> str:
    """`civgraph keys create --role admin`, which prints the key last."""
    command = [sys.executable, "-m", "civgraph", "keys", "create", "--name", "bench",
               "--role", "admin"]  # fmt: skip
    env = api_env(server, 0, folder / "api" / "neo4j")
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False, cwd=ROOT)  # noqa: S603
    if done.returncode != 0:
        raise BenchError(f"could not create an API key:\n{done.stderr}")
    return done.stdout.strip().splitlines()[-1]


@contextmanager
def running_api(server: process.RunningServer, folder: Path) -> Iterator[RunningApi]:
    """`python -m civgraph serve` against `server` on a free port, with an admin key."""
    key = admin_key(server, folder)
    port, log = free_port(), folder / "api.log"
    with log.open("wb") as out:
        child = subprocess.Popen(
            [sys.executable, "-m", "civgraph", "serve"],
            env=api_env(server, port, folder / "api" / "neo4j"),
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for_health(url, child, log)
        yield RunningApi(url, key, child.pid)
    finally:
        child.terminate()
        try:
            child.wait(30)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
