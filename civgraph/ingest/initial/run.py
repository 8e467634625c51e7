"""`civgraph load --initial DIR`: the whole first load, from registry files to a store the
server opens, on the managed (embedded) Neo4j of the settings.

It refuses a database that holds data. Before it replaces the store it leaves a state file
in the Neo4j home (`State`: the bookkeeping it keeps, such as API keys and plan targets); a
load killed part-way leaves that file, and the next run knows the store there is its own
unfinished work. Killed before the importer had written the store, it loads again from the
start; killed after, the same files are not staged and imported again: the run goes on from
the index phase (resolution reuses the decisions already written, so the rows resolved
before the kill come out as they did). The state file goes when the load is done.
"""

from __future__ import annotations

import asyncio
import os
import pickle
import shutil
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from civgraph.graph import connection
from civgraph.graph.changes import Context, initial_load_marked, mark_initial_load
from civgraph.graph.errors import GraphError
from civgraph.graph.migrations import has_data, migrate, read_kept, restore_kept
from civgraph.graph.server import process
from civgraph.graph.server.importer import bulk_import, store_of
from civgraph.ingest.initial.export import export
from civgraph.ingest.initial.load import Progress, resolve_aside, stage_reference, stage_source
from civgraph.ingest.initial.staging import Staging
from civgraph.ingest.loader import ACTOR, Thresholds
from civgraph.ingest.mappings import SOURCES
from civgraph.ingest.parsing import Rejects, Summary
from civgraph.ingest.run import ordered
from civgraph.settings import Settings

INDEX_WAIT = 6 * 3600  # seconds the index builds of a large province may take


class NotEmpty(GraphError):
    """The database holds data: a first load would replace it."""


@dataclass
class Loaded:
    summaries: list[Summary]
    seconds: dict[str, float] = field(default_factory=dict)  # by phase
    nodes: int = 0  # written by the importer
    relationships: int = 0
    importer_peak_mib: float = 0.0
    resolved_rows: int = 0  # rows whose relationships went through entity resolution
    resumed: bool = False  # went on from the store an earlier, killed run had imported


Given = tuple[tuple[tuple[str, int, int], ...], Thresholds]  # files (path, size, mtime)


def given_by(files: dict[str, list[Path]], thresholds: Thresholds) -> Given:
    """What a load is of: an earlier run's store is gone on from only for the same."""
    paths = sorted(path.resolve() for paths in files.values() for path in paths)
    stats = [(str(path), path.stat()) for path in paths]
    return tuple((name, s.st_size, s.st_mtime_ns) for name, s in stats), thresholds


@dataclass
class State:
    """What a first load keeps in the Neo4j home while it runs (`state_file`)."""

    kept: dict[str, Any]  # the empty database's bookkeeping, to put back
    given: Given | None = None
    imported: Loaded | None = None  # once the importer has written the store
    report: tuple[Path, int] | None = None  # then: the reject report and its size


def state_file(config: process.ServerConfig) -> Path:
    return config.home / "initial-load.state"


def save(config: process.ServerConfig, state: State) -> None:
    """Replaces the state file in one step (a kill leaves the old one or the new)."""
    path = state_file(config)
    written = path.with_suffix(".new")
    written.write_bytes(pickle.dumps(state))
    os.replace(written, path)


async def state_or_refuse(settings: Settings, config: process.ServerConfig) -> State:
    """An unfinished first load's state, or a new one with the bookkeeping of an empty
    database, leaving its server stopped; refuses a database with data, leaving its server
    as it was."""
    path = state_file(config)
    if path.exists():
        state = pickle.loads(path.read_bytes())  # noqa: S301 (our own file)
        process.stop(config)
        return state if isinstance(state, State) else State(state)  # older: only the kept
    if not store_of(config).exists():
        return State({})
    _, started = connection.ensure_started(settings)
    graph = await connection.open_graph(settings)
    try:
        if await has_data(graph):
            if started:
                process.stop(config)
            raise NotEmpty(
                f"the database in {config.home} holds data: a first load only goes into an "
                "empty one. Load registry files into it with `civgraph ingest --dir DIR`, or "
                f"stop civgraph and remove {config.home / 'data'} to start again from nothing"
            )
        kept = await read_kept(graph)
    finally:
        await graph.close()
    process.stop(config)
    return State(kept)


def timed(seconds: dict[str, float], phase: str, started: float) -> float:
    now = time.perf_counter()
    seconds[phase] = seconds.get(phase, 0.0) + now - started
    return now


def first_load(
    settings: Settings,
    files: dict[str, list[Path]],
    report: Path,
    batch_size: int,
    thresholds: Thresholds,
    work: Path,
    progress: Progress | None = None,
) -> Loaded:
    """Loads the files into the empty managed database and leaves its server running."""
    config = connection.server_config(settings)
    state = asyncio.run(state_or_refuse(settings, config))
    given = given_by(files, thresholds)
    config.home.mkdir(parents=True, exist_ok=True)
    earlier = resumable(state, given, work) if store_of(config).exists() else None
    if earlier is not None:
        loaded, (written, size) = earlier
        restore_report(written, size, report)
    else:
        state = State(state.kept, given)
        save(config, state)
        loaded = stage_and_import(config, files, report, batch_size, work, progress)
        state.imported, state.report = loaded, (report.resolve(), report.stat().st_size)
        save(config, state)
    shutil.rmtree(work / "import", ignore_errors=True)
    process.start(config)
    resolving = (thresholds, batch_size)
    asyncio.run(finish(settings, loaded, state.kept, work, report, resolving, progress))
    state_file(config).unlink()
    shutil.rmtree(work, ignore_errors=True)
    return loaded


def resumable(state: State, given: Given, work: Path) -> tuple[Loaded, tuple[Path, int]] | None:
    """What an earlier run of the same load did, if it got the store written and left
    what the phases after need."""
    if state.imported is None or state.report is None or state.given != given:
        return None
    if not (aside_file(work).exists() and state.report[0].exists()):
        return None
    return replace(state.imported, resumed=True), state.report


def restore_report(written: Path, size: int, report: Path) -> None:
    """The reject report as stage left it (the resolution's rejects come after)."""
    if written != report.resolve():
        shutil.copyfile(written, report)
    os.truncate(report, size)


def stage_and_import(
    config: process.ServerConfig,
    files: dict[str, list[Path]],
    report: Path,
    batch_size: int,
    work: Path,
    progress: Progress | None,
) -> Loaded:
    """Stage, export and import: the store written, its server stopped."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    loaded = Loaded([])
    clock = time.perf_counter()
    staged, csvs = work / "staging.sqlite", work / "import"  # each removed when used
    staging = Staging(staged)
    with report.open("w", encoding="utf-8", newline="") as out, aside_file(work).open("wb") as put:
        rejects = Rejects(out)
        stage_reference(staging)
        loaded.summaries = [
            stage_source(staging, source, files[source.name], rejects, put, batch_size, progress)
            for source in ordered(list(files))
        ]
    clock = timed(loaded.seconds, "stage", clock)
    written = export(staging, csvs, datetime.now(UTC).isoformat())
    staging.close()
    staged.unlink()
    clock = timed(loaded.seconds, "export", clock)
    imported = bulk_import(
        config, written.nodes, written.relationships,
        (lambda percent: progress("import", percent)) if progress else None,
    )  # fmt: skip
    loaded.nodes, loaded.relationships = imported.nodes, imported.relationships
    loaded.importer_peak_mib = imported.peak_rss_mib
    timed(loaded.seconds, "import", clock)
    return loaded


def aside_file(work: Path) -> Path:
    """Where the rows put aside for entity resolution wait for the import."""
    return work / "aside.pickle"


async def finish(
    settings: Settings,
    loaded: Loaded,
    kept: dict[str, Any],
    work: Path,
    report: Path,
    resolving: tuple[Thresholds, int],
    progress: Progress | None,
) -> None:
    """On the new store: constraints and indexes, the kept bookkeeping, the rows to
    resolve, then the feed's marker."""
    clock = time.perf_counter()
    graph = await connection.open_graph(settings)
    try:
        await migrate(graph, index_wait=INDEX_WAIT)
        await restore_kept(graph, kept)
        clock = timed(loaded.seconds, "index", clock)
        by_name = {summary.source: summary for summary in loaded.summaries}
        with report.open("a", encoding="utf-8", newline="") as out:
            loaded.resolved_rows = await resolve_aside(
                graph, SOURCES, by_name, aside_file(work), Rejects(out, header=False), *resolving,
                progress,
            )  # fmt: skip
        timed(loaded.seconds, "resolve", clock)
        if not await initial_load_marked(graph):  # (a run killed after it had: not twice)
            await mark_initial_load(graph, Context("load:initial", ACTOR), marker(loaded))
    finally:
        await graph.close()


def marker(loaded: Loaded) -> dict[str, Any]:
    """What the feed's `INITIAL_LOAD` event says about the load."""
    return {
        "sources": [summary.source for summary in loaded.summaries],
        "rows": sum(summary.read for summary in loaded.summaries),
        "loaded": sum(summary.loaded for summary in loaded.summaries),
        "rejected": sum(summary.rejected for summary in loaded.summaries),
    }
