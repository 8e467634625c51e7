"""Neo4j's offline bulk importer (`neo4j-admin database import full`), run from the jars the
launcher's build already resolves (`neo4j` depends on `neo4j-import-tool`; the entry point
is neo4j-admin's own `org.neo4j.cli.AdminTool`). It writes a new store into the launcher's
home, with the database stopped, and builds no indexes or constraints (the Community record
format cannot: migrations make them when the server opens the store)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from civgraph.graph.server.process import (
    JAR,
    JVM_FLAGS,
    LIB,
    LauncherError,
    ServerConfig,
    build,
    tail,
)

ENTRY_POINT = "org.neo4j.cli.AdminTool"
DATABASE = "neo4j"
IMPORTED = re.compile(r"^\s*(\d+) (nodes|relationships|properties)\s*$", re.MULTILINE)
PROGRESS = re.compile(r"\.{5,}\s*(\d+)%")  # the importer's "....... 10%" lines


class ImportFailed(LauncherError):
    """The importer refused the files or failed; the message ends with its log."""


@dataclass(frozen=True, slots=True)
class Imported:
    nodes: int
    relationships: int
    log: Path
    peak_rss_mib: float  # the importer JVM's


def store_of(config: ServerConfig) -> Path:
    """Where the launcher keeps the database's store files."""
    return config.home / "data" / "databases" / DATABASE


def import_command(
    config: ServerConfig,
    nodes: Sequence[tuple[str, Path]],
    relationships: Sequence[tuple[str, Path]],
    report: Path,
    threads: int,
) -> list[str]:
    java = shutil.which(config.java)
    if java is None:
        raise LauncherError(f"Java ({config.java}) is not on PATH: install a JDK 17 or newer")
    return [
        java, f"-Xmx{config.heap}", *JVM_FLAGS, "-cp", f"{JAR}{os.pathsep}{LIB / '*'}",
        ENTRY_POINT, "database", "import", "full",
        *(f"--nodes={label}={path}" for label, path in nodes),
        *(f"--relationships={rel}={path}" for rel, path in relationships),
        "--multiline-fields=true", f"--threads={threads}", f"--report-file={report}",
        "--overwrite-destination=true", DATABASE,
    ]  # fmt: skip


def bulk_import(
    config: ServerConfig,
    nodes: Sequence[tuple[str, Path]],
    relationships: Sequence[tuple[str, Path]],
    progress: Callable[[int], None] | None = None,
    threads: int | None = None,
) -> Imported:
    """Writes the store from the CSV files (replacing any store there); the server must be
    stopped. `progress` is told the importer's percentage as it goes."""
    build(config)
    (config.home / "conf").mkdir(parents=True, exist_ok=True)
    log_path = config.home / "import.log"
    command = import_command(
        config, nodes, relationships, config.home / "import.report", threads or os.cpu_count() or 2
    )
    # neo4j-admin reads its home and configuration directory from the environment.
    env = {**os.environ, "NEO4J_HOME": str(config.home), "NEO4J_CONF": str(config.home / "conf")}
    with log_path.open("w", encoding="utf-8") as log:
        child = subprocess.Popen(  # noqa: S603
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            env=env, text=True, encoding="utf-8", errors="replace",
        )  # fmt: skip
        assert child.stdout is not None
        for line in child.stdout:
            log.write(line)
            if progress and (match := PROGRESS.search(line)):
                progress(int(match[1]))
        # wait4 gives this child's own peak memory
        _, code, usage = os.wait4(child.pid, 0)
        status = os.waitstatus_to_exitcode(code)
    output = log_path.read_text(encoding="utf-8", errors="replace")
    if status != 0 or "IMPORT DONE" not in output:
        raise ImportFailed(
            f"Neo4j's importer exited with status {status}; the end of {log_path}:\n" + tail(output)
        )
    counts = {kind: int(number) for number, kind in IMPORTED.findall(output)}
    return Imported(
        counts.get("nodes", 0), counts.get("relationships", 0), log_path, usage.ru_maxrss / 1024
    )
