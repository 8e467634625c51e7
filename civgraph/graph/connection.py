"""Which Neo4j to use: an external one named in settings, or the managed embedded one."""

from __future__ import annotations

from dataclasses import dataclass

from civgraph.graph.driver import Graph, connect
from civgraph.graph.server import process
from civgraph.settings import Settings


@dataclass(frozen=True, slots=True)
class Target:
    uri: str
    user: str
    password: str
    database: str


def server_config(settings: Settings) -> process.ServerConfig:
    password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else None
    return process.ServerConfig(
        home=settings.neo4j_home,
        port=settings.neo4j_port,
        heap=settings.neo4j_heap,
        pagecache=settings.neo4j_pagecache,
        tx_memory=settings.neo4j_tx_memory,
        password=password,
        start_timeout=settings.neo4j_start_timeout,
        java=settings.java,
        maven=settings.maven,
    )


def is_external(settings: Settings) -> bool:
    return settings.neo4j_uri is not None


def target(settings: Settings) -> Target:
    """The external server, else the running managed one; raises LauncherError if neither."""
    if settings.neo4j_uri is not None:
        password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else ""
        return Target(settings.neo4j_uri, settings.neo4j_user, password, settings.neo4j_database)
    config = server_config(settings)
    server = process.running(config)
    if server is None:
        raise process.LauncherError(
            f"Neo4j is not running (no live process in {config.pid_file}): "
            "run `civgraph neo4j start`, or set CIVGRAPH_NEO4J_URI to use another server"
        )
    return Target(server.uri, "neo4j", server.password, settings.neo4j_database)


def ensure_started(settings: Settings) -> tuple[Target, bool]:
    """Starts the managed server unless one runs (or an external one is set).

    Returns the target and whether this call started it (so the caller knows to stop it).
    """
    if is_external(settings):
        return target(settings), False
    config = server_config(settings)
    if process.running(config) is not None:
        return target(settings), False
    process.start(config)
    return target(settings), True


async def open_graph(settings: Settings) -> Graph:
    found = target(settings)
    return await connect(found.uri, found.user, found.password, found.database)
