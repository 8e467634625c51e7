"""A province's first load: the same readers, validation, reject report and entity resolution
as online ingest, with Neo4j's offline importer writing the store.

Phases, each reported to `progress`:
1. **stage**: every source in dependency order, batch by batch as online ingest would go,
   parsed and validated (rejects reported as online) and written to the staging store
   (`staging.Staging`), which applies online ingest's rules. Relationships with an end
   named without a natural key (a person without an ID number, an organization without a
   USCC) are put aside: entity resolution needs the graph.
2. **export**: the staged graph as the importer's CSV files.
3. **import**: `neo4j-admin database import full` writes a new store.
4. **index**: the server opens it; migrations build the constraints and indexes, and the
   bookkeeping kept from the empty database (API keys, plan targets) is put back.
5. **resolve**: the put-aside relationships go through online ingest's resolution and
   writes, in the order they came, without change events.
6. The change feed records its `INITIAL_LOAD` marker: history begins there.

Equivalent to online ingest of the same files because every source that resolves people or
organizations comes after every source that creates them (the mappings' `depends_on`,
checked by a test), so resolution finds the same candidates either way.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

from civgraph.graph.catalog import Rel
from civgraph.graph.driver import Graph
from civgraph.graph.links import LinkInput
from civgraph.graph.nodes import natural_key
from civgraph.graph.provenance import Origin
from civgraph.ingest.initial.staging import Staging
from civgraph.ingest.loader import REFERENCE, Thresholds, missing_endpoint, reject_unlinked, write
from civgraph.ingest.mappings import Source
from civgraph.ingest.parsing import Parsed, Rejects, Summary, parsed_batches
from civgraph.ingest.reference import PROGRAMS

Progress = Callable[[str, int], None]  # phase, how far (rows, or percent for the import)


@dataclass(frozen=True, slots=True)
class Aside:
    """A row whose relationships need entity resolution: with only those relationships,
    and the first of its others that found no endpoint (link index, reason), if any."""

    parsed: Parsed
    failed: tuple[int, str] | None


@dataclass(frozen=True, slots=True)
class AsideBatch:
    source: str
    rows: list[Aside]


def stage_reference(staging: Staging) -> None:
    """`loader.load_reference`: the programs, each its own source record."""
    staging.nodes(PROGRAMS, REFERENCE, [Origin(natural_key(p)) for p in PROGRAMS])


def stage_source(
    staging: Staging,
    source: Source,
    paths: Sequence[Path],
    rejects: Rejects,
    aside: IO[bytes],
    batch_size: int,
    progress: Progress | None = None,
) -> Summary:
    """Stages one source's files as `loader.ingest` would write them."""
    summary = Summary(source.name)
    # parsed in place: ahead, in a second process, the first load's stage was 15% slower
    # (100k people: 22.6 s → 26.2 s; sending the parsed rows costs more than parsing them)
    for good in parsed_batches(source, paths, rejects, batch_size, summary):
        failed = stage_batch(staging, source, good)
        put_aside = [
            Aside(only_unkeyed(parsed), failed.get(position))
            for position, parsed in enumerate(good)
            if parsed.unkeyed
        ]
        if put_aside:
            pickle.dump(AsideBatch(source.name, put_aside), aside)
        rejected = [p for p in sorted(failed) if not good[p].unkeyed]
        for position in rejected:
            reject_unlinked(rejects, source, good[position], failed[position][1])
        summary.loaded += sum(1 for p in good if not p.unkeyed) - len(rejected)
        summary.rejected += len(rejected)
        if progress:
            progress(f"stage {source.name}", summary.read)
    staging.commit()
    return summary


def stage_batch(
    staging: Staging, source: Source, batch: list[Parsed]
) -> dict[int, tuple[int, str]]:
    """`loader.write` on the staging store, less the relationships with an end to resolve;
    returns the rows (by position) whose relationships found no endpoint: the first such
    relationship's index and the reason."""
    for index in range(len(source.nodes)):
        given = [(node, p.origin) for p in batch if (node := p.nodes[index]) is not None]
        staging.nodes([node for node, _ in given], source.name, [o for _, o in given])
    failed: dict[int, tuple[int, str]] = {}
    for index, link in enumerate(source.links):
        present = [
            (position, row)
            for position, p in enumerate(batch)
            if (row := p.links[index]) is not None and index not in unkeyed_links(p)
        ]
        if not present:
            continue
        written = staging.links(link.spec, [row for _, row in present], source.name)
        for offset, (position, row) in enumerate(present):
            if offset not in written:
                failed.setdefault(position, (index, missing_endpoint(link, row)))
        if link.spec.rel is Rel.MEMBER_OF:
            staging.member_of([row.source_key for _, row in present])
    return failed


def unkeyed_links(parsed: Parsed) -> set[int]:
    return {index for index, _, _ in parsed.unkeyed}


def only_unkeyed(parsed: Parsed) -> Parsed:
    """The row as its resolution writes it: no nodes, only the relationships to resolve."""
    wanted = unkeyed_links(parsed)
    links: list[LinkInput | None] = [
        link if index in wanted else None for index, link in enumerate(parsed.links)
    ]
    return replace(parsed, nodes=[None] * len(parsed.nodes), links=links)


def read_aside(path: Path) -> Iterator[AsideBatch]:
    with path.open("rb") as file:
        while True:
            try:
                yield pickle.load(file)  # noqa: S301 (our own file, written by this run)
            except EOFError:
                return


def regrouped(path: Path, size: int) -> Iterator[AsideBatch]:
    """The put-aside rows in the order they came, `size` at a time per source (resolution
    decides a batch's records one after another, so batches need not be those of stage)."""
    pending: AsideBatch | None = None
    for batch in read_aside(path):
        if pending is not None and pending.source != batch.source:
            yield pending
            pending = None
        pending = AsideBatch(batch.source, (pending.rows if pending else []) + batch.rows)
        while len(pending.rows) >= size:
            yield AsideBatch(pending.source, pending.rows[:size])
            pending = AsideBatch(pending.source, pending.rows[size:])
    if pending is not None and pending.rows:
        yield pending


async def resolve_aside(
    graph: Graph,
    sources: dict[str, Source],
    summaries: dict[str, Summary],
    path: Path,
    rejects: Rejects,
    thresholds: Thresholds,
    batch_size: int,
    progress: Progress | None = None,
) -> int:
    """Writes the put-aside relationships through online ingest's resolution, in the order
    they came; returns the rows done."""
    done = 0
    for batch in regrouped(path, batch_size):
        source, summary = sources[batch.source], summaries[batch.source]
        rows = [aside.parsed for aside in batch.rows]
        unlinked = await write(graph, source, rows, summary, thresholds, feed=False)
        for position, aside in enumerate(batch.rows):
            reason = first_failure(aside, unlinked.get(position))
            if reason is None:
                summary.loaded += 1
            else:
                reject_unlinked(rejects, source, aside.parsed, reason)
                summary.rejected += 1
        done += len(rows)
        if progress:
            progress("resolve", done)
    return done


def first_failure(aside: Aside, resolved: str | None) -> str | None:
    """The reason online ingest gives a row: its first relationship (in the mapping's order)
    that found no endpoint."""
    if aside.failed is None:
        return resolved
    index, reason = aside.failed
    if resolved is not None and min(unkeyed_links(aside.parsed)) < index:
        return resolved
    return reason
