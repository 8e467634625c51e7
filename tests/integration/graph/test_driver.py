"""The query helper's reads: auto-commit statements in READ sessions, retried while the
server cannot be reached, then reported as DatabaseUnavailable."""

from __future__ import annotations

import neo4j
import pytest

from civgraph.graph import driver
from civgraph.graph.driver import Graph, counting
from civgraph.graph.errors import DatabaseUnavailable
from tests.servers import free_port


async def test_a_read_returns_native_rows_and_may_not_write(graph: Graph) -> None:
    rows = await graph.read("RETURN date('2026-01-02') AS day, $n AS n", n=3)

    with pytest.raises(neo4j.exceptions.ClientError, match=r"(?i)read"):
        await graph.read("CREATE (:Scratch) RETURN 1 AS one")
    assert str(rows[0]["day"]) == "2026-01-02"
    assert rows[0]["n"] == 3
    assert await graph.read("MATCH (n:Scratch) RETURN n") == []


async def test_a_server_that_cannot_be_reached_is_retried_then_reported_unavailable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(driver, "READ_RETRY_SECONDS", 0.5)
    monkeypatch.setattr(driver, "FIRST_RETRY_SECONDS", 0.05)
    nowhere = neo4j.AsyncGraphDatabase.driver(
        f"bolt://127.0.0.1:{free_port()}", auth=("neo4j", "x")
    )
    tally = counting()
    try:
        with pytest.raises(DatabaseUnavailable):
            await Graph(nowhere, "neo4j").read("RETURN 1 AS one")
    finally:
        await nowhere.close()

    assert tally.statements > 1  # tried again before giving up
