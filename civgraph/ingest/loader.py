"""Loading a source's files into the graph: parsed a batch ahead (`civgraph.ingest.parsing`,
`civgraph.ingest.ahead`), written in batches with entity resolution, and every row accounted
for: loaded, or rejected with file, line, field and reason."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from civgraph.graph.changes import Context, Outbox
from civgraph.graph.driver import Graph, Statement
from civgraph.graph.links import LinkInput, link_statements, written
from civgraph.graph.nodes import node_statements, upsert_nodes
from civgraph.ingest.ahead import parsed_ahead
from civgraph.ingest.mappings import LinkMap, Source
from civgraph.ingest.matching import GREY, JOIN
from civgraph.ingest.parsing import Parsed, Rejects, RowError, Summary
from civgraph.ingest.readers import Row
from civgraph.ingest.reference import PROGRAMS
from civgraph.ingest.resolve import Pending, resolve

BATCH = 2000
ACTOR = os.environ.get("USER") or "civgraph ingest"  # who the change feed says wrote
REFERENCE = "reference"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Entity resolution's: join at `join` or more, POSSIBLY_SAME from `grey`."""

    join: float = JOIN
    grey: float = GREY


DEFAULT_THRESHOLDS = Thresholds()


async def write(
    graph: Graph,
    source: Source,
    batch: list[Parsed],
    summary: Summary,
    thresholds: Thresholds,
    *,
    feed: bool = True,
) -> dict[int, str]:
    """Resolves the batch's people without ID numbers, then writes it in one transaction
    (nodes, resolved entities, relationships); returns the rows (by position) whose
    relationships found no endpoint. Without `feed`, no change events are recorded (a first
    load's, whose feed begins after it)."""
    pending = [
        Pending(parsed.origin.record_key, parsed.links, index, identity, end)
        for parsed in batch
        for index, end, identity in parsed.unkeyed
    ]
    resolved = await resolve(graph, source.name, pending, thresholds.join, thresholds.grey)
    summary.merged += resolved.merged
    summary.possible += resolved.possible
    statements: list[Statement] = []
    for index in range(len(source.nodes)):
        given = [(node, p.origin) for p in batch if (node := p.nodes[index]) is not None]
        nodes, origins = [node for node, _ in given], [origin for _, origin in given]
        statements += node_statements(nodes, source.name, origins)
    statements += resolved.before
    wanted: list[list[tuple[int, LinkInput]]] = []
    starts: list[int] = []  # where each relationship's statements start in `statements`
    for index, link in enumerate(source.links):
        rows = [(position, p.links[index]) for position, p in enumerate(batch)]
        present = [(position, row) for position, row in rows if row is not None]
        wanted.append(present)
        starts.append(len(statements))
        if present:
            statements += link_statements(link.spec, [row for _, row in present], source.name)
    outbox = Outbox(Context(f"ingest:{source.name}", ACTOR)) if feed else None
    results = await graph.write_all(statements + resolved.after, outbox) if statements else []
    unlinked: dict[int, str] = {}
    for link, present, start in zip(source.links, wanted, starts, strict=True):
        linked = written(results[start]) if present else set()
        for offset, (position, row) in enumerate(present):
            if offset not in linked:
                reason = missing_endpoint(link, row.source_key, row.target_key)
                unlinked.setdefault(position, reason)
    return unlinked


def missing_endpoint(link: LinkMap, source_key: str, target_key: str) -> str:
    source, target = link.spec.source.value, link.spec.target.value
    return f"no {source} {source_key!r} or no {target} {target_key!r} in the graph"


async def load_reference(graph: Graph) -> None:
    await upsert_nodes(graph, PROGRAMS, REFERENCE)


async def ingest(
    graph: Graph,
    source: Source,
    paths: Iterable[Path],
    rejects: Rejects,
    batch_size: int = BATCH,
    progress: Callable[[Summary], None] | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Summary:
    """Loads the files of one source, streaming; idempotent (upserts by natural key). The
    reference data (`load_reference`) must be loaded already."""
    summary = Summary(source.name)
    if progress:
        progress(summary)  # the source starts: rates count from here
    for good in parsed_ahead(source, paths, rejects, batch_size, summary):
        unlinked = await write(graph, source, good, summary, thresholds)
        for position, reason in sorted(unlinked.items()):
            reject_unlinked(rejects, source, good[position].row, reason)
        summary.loaded += len(good) - len(unlinked)
        summary.rejected += len(unlinked)
        if progress:
            progress(summary)
    return summary


def reject_unlinked(rejects: Rejects, source: Source, row: Row, reason: str) -> None:
    """A parsed row whose relationship found no endpoint, as the reject report has it."""
    column = source.links[0].target.name or "" if source.links else ""
    rejects.add(source.name, row, RowError(column, "", reason))
