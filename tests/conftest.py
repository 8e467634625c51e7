"""Test-session fixtures: a throwaway Neo4j, a connected graph, markers by folder."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from civgraph.graph.connection import Target
from civgraph.graph.driver import Graph, connect
from civgraph.graph.migrations import migrate
from civgraph.graph.server import process
from civgraph.ingest.demo import load_demo
from tests.builders import wipe

pytest_plugins = ["tests.servers"]

TESTS = Path(__file__).resolve().parent


FOLDERS = ("unit", "integration", "e2e", "browser")


def folder_of(item: pytest.Item) -> str:
    return Path(str(item.fspath)).relative_to(TESTS).parts[0]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Marks each test by its folder, and runs the fast folders first."""
    for item in items:
        item.add_marker(getattr(pytest.mark, folder_of(item)))
    items.sort(key=lambda item: FOLDERS.index(folder_of(item)))


@pytest.fixture(scope="session")
def neo4j(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    """The Neo4j of this test session: CIVGRAPH_NEO4J_URI if set, else a throwaway one."""
    if uri := os.environ.get("CIVGRAPH_NEO4J_URI"):
        password = os.environ.get("CIVGRAPH_NEO4J_PASSWORD", "")
        yield Target(uri, os.environ.get("CIVGRAPH_NEO4J_USER", "neo4j"), password, "neo4j")
        return
    config = process.ServerConfig(
        home=tmp_path_factory.mktemp("neo4j"),
        port=0,
        heap="512m",
        pagecache="64m",
        password=secrets.token_urlsafe(16),
    )
    server, child = process.start(config, attached=True)
    try:
        yield Target(server.uri, "neo4j", server.password, "neo4j")
    finally:
        process.stop_attached(child)


@pytest_asyncio.fixture(scope="session")
async def session_graph(neo4j: Target) -> AsyncIterator[Graph]:
    graph = await connect(neo4j.uri, neo4j.user, neo4j.password, neo4j.database)
    await migrate(graph)
    yield graph
    await graph.close()


@pytest_asyncio.fixture
async def graph(session_graph: Graph) -> Graph:
    """The session's graph, emptied of data (the schema stays) before the test."""
    await wipe(session_graph)
    return session_graph


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def demo_graph(session_graph: Graph) -> Graph:
    """The session's graph holding exactly the demo dataset, loaded once per module: for
    tests that only read."""
    await wipe(session_graph)
    await load_demo(session_graph)
    return session_graph
