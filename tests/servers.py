"""A real uvicorn server (`civgraph serve`) on a free port, against the session's Neo4j.

A pytest plugin of the root conftest, so e2e and browser tests share one server.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from civgraph.graph.connection import Target


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Api:
    url: str
    log: Path
    key: str  # an admin API key

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    @property
    def init(self) -> dict[str, Any]:
        """A graphql-transport-ws connection_init message with the key."""
        return {"type": "connection_init", "payload": {"Authorization": f"Bearer {self.key}"}}

    @property
    def graphql(self) -> str:
        return f"{self.url}/graphql"

    @property
    def websocket(self) -> str:
        return self.graphql.replace("http://", "ws://")

    def post(
        self, query: str, credential: str | None = None, /, **variables: Any
    ) -> dict[str, Any]:
        """The JSON answer to a GraphQL request with `credential` (default: the admin key)."""
        headers = {"Authorization": f"Bearer {credential or self.key}"}
        payload = {"query": query, "variables": variables}
        response = httpx.post(self.graphql, json=payload, headers=headers, timeout=60)
        body: dict[str, Any] = response.json()
        return body


def wait_for_health(
    url: str, child: subprocess.Popen[bytes], log: Path, timeout: float = 120
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.poll() is not None:
            pytest.fail(f"the server exited with {child.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail(f"the server did not answer /healthz in {timeout}s:\n{log.read_text()}")


def server_env(home: Path, port: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CIVGRAPH_", "NEO4J_"))}
    env |= {
        "CIVGRAPH_NEO4J_HOME": str(home),
        "CIVGRAPH_PORT": str(port),
        "CIVGRAPH_LOG_FORMAT": "json",
    }
    return env | extra


def create_key(neo4j: Target, role: str = "admin", *options: str) -> str:
    """A new API key for `role` (`civgraph keys create`, which prints it last)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CIVGRAPH_", "NEO4J_"))}
    env |= {"CIVGRAPH_NEO4J_URI": neo4j.uri, "CIVGRAPH_NEO4J_PASSWORD": neo4j.password}
    command = [sys.executable, "-m", "civgraph", "keys", "create", "--name", "tests (synthetic)",
               "--role", role, *options]  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="session")
def admin_key(neo4j: Target) -> str:
    return create_key(neo4j)


@contextmanager
def serving(
    neo4j: Target, folder: Path, port: int, key: str, **extra: str
) -> Iterator[tuple[Api, subprocess.Popen[bytes]]]:
    """`civgraph serve` against `neo4j` on `port` (logging to `folder`), until the block ends
    (a test may kill it sooner)."""
    folder.mkdir(parents=True, exist_ok=True)
    env = server_env(
        folder / "neo4j",
        port,
        CIVGRAPH_NEO4J_URI=neo4j.uri,
        CIVGRAPH_NEO4J_PASSWORD=neo4j.password,
        CIVGRAPH_LOAD_DEMO_DATA="false",
        **extra,
    )
    log = folder / f"server-{port}.log"
    with log.open("ab") as out:
        child = subprocess.Popen(
            [sys.executable, "-m", "civgraph", "serve"], env=env, stdout=out, stderr=out
        )
    api = Api(f"http://127.0.0.1:{port}", log, key)
    try:
        wait_for_health(api.url, child, log)
        yield api, child
    finally:
        if child.poll() is None:
            child.terminate()
            child.wait(30)


@pytest.fixture(scope="session")
def api(neo4j: Target, admin_key: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with serving(neo4j, tmp_path_factory.mktemp("api"), free_port(), admin_key) as (api, _):
        yield api
