"""A server whose Neo4j goes away: readiness says so (503), and /graphql answers with the
documented masked error rather than a bare 500. The Neo4j is this test's own, which it stops."""

from __future__ import annotations

import secrets
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from civgraph.graph.connection import Target
from civgraph.graph.server import process
from tests.servers import create_key, free_port, serving

# Generous: how fast is not a test's to judge (the bounded ping is PING_SECONDS); the status
# says which path answered (the retried transaction ended in a plain 500).
PROBE = 60


@contextmanager
def own_neo4j(home: Path) -> Iterator[tuple[Target, subprocess.Popen[bytes]]]:
    config = process.ServerConfig(
        home=home, port=0, heap="384m", pagecache="32m", password=secrets.token_urlsafe(16)
    )
    server, child = process.start(config, attached=True)
    try:
        yield Target(server.uri, "neo4j", server.password, "neo4j"), child
    finally:
        process.stop_attached(child)


def test_with_neo4j_stopped_readiness_fails_at_once_and_graphql_is_masked(tmp_path: Path) -> None:
    with own_neo4j(tmp_path / "neo4j") as (neo4j, child):
        key = create_key(neo4j)  # never used before the stop: checking it needs Neo4j
        with serving(neo4j, tmp_path / "api", free_port(), key) as (api, _):
            ready = httpx.get(f"{api.url}/readyz", timeout=PROBE)
            process.stop_attached(child)

            down = httpx.get(f"{api.url}/readyz", timeout=PROBE)
            refused = httpx.post(
                api.graphql, json={"query": "{ __typename }"}, headers=api.headers, timeout=90
            )

    assert ready.status_code == 200
    assert (down.status_code, down.json()) == (503, {"status": "neo4j unavailable"})
    assert refused.status_code == 503
    [error] = refused.json()["errors"]
    rid = refused.headers["x-request-id"]
    assert error == {
        "message": f"Internal error; quote request id {rid} when reporting it.",
        "extensions": {"code": "INTERNAL", "requestId": rid},
    }
