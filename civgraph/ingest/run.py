"""A whole ingest run: sources in dependency order, one reject report, one summary."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from civgraph.graph.driver import Graph
from civgraph.ingest.loader import DEFAULT_THRESHOLDS, Thresholds, ingest, load_reference
from civgraph.ingest.mappings import SOURCES, Source
from civgraph.ingest.parsing import Rejects, Summary
from civgraph.ingest.readers import READERS


class UnknownSource(Exception):
    """A source name that no mapping has."""


def ordered(names: Sequence[str]) -> list[Source]:
    """The named sources, each after the sources it depends on and after those that create
    the entities it resolves (when those are named too): entity resolution sees every person
    or organization the run's files create, whichever way they are loaded (online, or put
    aside until after the first load's import)."""
    unknown = [name for name in names if name not in SOURCES]
    if unknown:
        raise UnknownSource(f"unknown source {', '.join(unknown)}; known: {', '.join(SOURCES)}")
    result: list[Source] = []

    def visit(source: Source) -> None:
        if source in result:
            return
        creators = [n for n in names if SOURCES[n].creates & source.resolves]
        for dependency in (*source.depends_on, *creators):
            if dependency in names and dependency != source.name:
                visit(SOURCES[dependency])
        result.append(source)

    for name in names:
        visit(SOURCES[name])
    return result


@dataclass(frozen=True, slots=True)
class Inventory:
    """A directory's files: those of each source, and those no source recognises."""

    files: dict[str, list[Path]]
    unknown: list[str]  # file names, not loaded


def inventory(directory: Path) -> Inventory:
    """`<source>.<ext>` and `<source>-<part>.<ext>` files of a directory, by source; the
    other files (an unknown source or format) listed by name."""
    found: dict[str, list[Path]] = {}
    unknown: list[str] = []
    for path in sorted(directory.iterdir()):
        name = path.stem.split("-")[0]
        if path.suffix.lower() in READERS and name in SOURCES:
            found.setdefault(name, []).append(path)
        elif path.is_file():
            unknown.append(path.name)
    return Inventory(found, unknown)


def files_in(directory: Path) -> dict[str, list[Path]]:
    """The files of each source in a directory (`inventory` without the unknown ones)."""
    return inventory(directory).files


async def run(
    graph: Graph,
    files: dict[str, list[Path]],
    report: Path,
    batch_size: int,
    progress: Callable[[Summary], None] | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> tuple[list[Summary], float]:
    started = time.perf_counter()
    summaries = []
    await load_reference(graph)  # once a run: the programs every enrollment points at
    with report.open("w", encoding="utf-8", newline="") as out:
        rejects = Rejects(out)
        for source in ordered(list(files)):
            summaries.append(
                await ingest(
                    graph, source, files[source.name], rejects, batch_size, progress, thresholds
                )
            )
    return summaries, time.perf_counter() - started
