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

from civgraph.graph.catalog import Label, Rel
from civgraph.graph.driver import Graph
from civgraph.graph.links import LinkInput
from civgraph.graph.nodes import natural_key
from civgraph.graph.pickling import ByFields
from civgraph.graph.provenance import Origin
from civgraph.ingest.ahead import prepared_ahead
from civgraph.ingest.initial.staging import (
    Kinds,
    Staging,
    Stated,
    StatedLink,
    stated_links,
    stated_nodes,
)
from civgraph.ingest.loader import REFERENCE, Thresholds, missing_endpoint, reject_unlinked, write
from civgraph.ingest.mappings import Source
from civgraph.ingest.parsing import Parsed, Rejects, Summary
from civgraph.ingest.readers import Row
from civgraph.ingest.reference import PROGRAMS

Progress = Callable[[str, int], None]  # phase, how far (rows, or percent for the import)


@dataclass(frozen=True, slots=True)
class Aside(ByFields):
    """A row whose relationships need entity resolution: with only those relationships,
    and the first of its others that found no endpoint (link index, reason), if any."""

    parsed: Parsed
    failed: tuple[int, str] | None


@dataclass(frozen=True, slots=True)
class AsideBatch(ByFields):
    source: str
    rows: list[Aside]


@dataclass(frozen=True, slots=True)
class Prepared(ByFields):
    """A parsed batch as the staging store takes it, made where the rows are parsed (a
    second process: plain values travel cheaply, parsed rows do not)."""

    origins: list[Origin]  # each row's
    nodes: list[list[Stated]]  # per node of the mapping, the rows that have it
    links: list[list[tuple[int, StatedLink]]]  # per relationship: (row, link), keyed ends
    aside: list[tuple[int, Parsed]]  # (row, the row as its resolution writes it)
    kinds: list[tuple[tuple[str, str], str]]  # property types first seen in this batch


def stage_reference(staging: Staging) -> None:
    """`loader.load_reference`: the programs, each its own source record."""
    origins = [Origin(natural_key(p)) for p in PROGRAMS]
    staging.nodes(Label.PROGRAM, stated_nodes(PROGRAMS, origins, staging.kinds), REFERENCE)


def preparer(source: Source, kinds: Kinds) -> Callable[[list[Parsed]], Prepared]:
    """What makes a source's parsed batches `Prepared`, noting property types in `kinds`
    (the staging store's, or a forked copy of it: each batch says what it added)."""
    told = len(kinds)

    def prepare(batch: list[Parsed]) -> Prepared:
        nonlocal told
        nodes = []
        for index in range(len(source.nodes)):
            given = [(node, p.origin) for p in batch if (node := p.nodes[index]) is not None]
            nodes.append(stated_nodes([n for n, _ in given], [o for _, o in given], kinds))
        links: list[list[tuple[int, StatedLink]]] = []
        for index, link in enumerate(source.links):
            present = [
                (position, row)
                for position, p in enumerate(batch)
                if (row := p.links[index]) is not None
                and not (p.unkeyed and index in unkeyed_links(p))
            ]
            stated = stated_links(link.spec, [row for _, row in present], kinds)
            links.append([(position, s) for (position, _), s in zip(present, stated, strict=True)])
        aside = [(position, only_unkeyed(p)) for position, p in enumerate(batch) if p.unkeyed]
        new, told = list(kinds.items())[told:], len(kinds)
        return Prepared([p.origin for p in batch], nodes, links, aside, new)

    return prepare


def stage_source(
    staging: Staging,
    source: Source,
    paths: Sequence[Path],
    rejects: Rejects,
    aside: IO[bytes],
    batch_size: int,
    progress: Progress | None = None,
) -> Summary:
    """Stages one source's files as `loader.ingest` would write them: parsed and prepared a
    batch ahead in a second process while this one writes the batch before."""
    summary = Summary(source.name)
    prepare = preparer(source, staging.kinds)
    for batch in prepared_ahead(source, paths, rejects, batch_size, summary, prepare):
        failed = stage_batch(staging, source, batch)
        if batch.aside:
            put_aside = [Aside(parsed, failed.get(position)) for position, parsed in batch.aside]
            pickle.dump(AsideBatch(source.name, put_aside), aside)
        unkeyed = {position for position, _ in batch.aside}
        rejected = [p for p in sorted(failed) if p not in unkeyed]
        for position in rejected:
            origin = batch.origins[position]
            row = Row(origin.file or "", origin.line or 0, {})
            reject_unlinked(rejects, source, row, failed[position][1])
        summary.loaded += len(batch.origins) - len(unkeyed) - len(rejected)
        summary.rejected += len(rejected)
        if progress:
            progress(f"stage {source.name}", summary.read)
    staging.commit()
    return summary


def stage_batch(staging: Staging, source: Source, batch: Prepared) -> dict[int, tuple[int, str]]:
    """`loader.write` on the staging store, less the relationships with an end to resolve;
    returns the rows (by position) whose relationships found no endpoint: the first such
    relationship's index and the reason."""
    for key, kind in batch.kinds:
        staging.kinds.setdefault(key, kind)
    for node, nodes in zip(source.nodes, batch.nodes, strict=True):
        staging.nodes(node.model.label, nodes, source.name)
    failed: dict[int, tuple[int, str]] = {}
    for index, (link, present) in enumerate(zip(source.links, batch.links, strict=True)):
        if not present:
            continue
        written = staging.links(link.spec, [stated for _, stated in present], source.name)
        for offset, (position, (source_key, target_key, *_)) in enumerate(present):
            if offset not in written:
                failed.setdefault(position, (index, missing_endpoint(link, source_key, target_key)))
        if link.spec.rel is Rel.MEMBER_OF:
            staging.member_of([source_key for _, (source_key, *_) in present])
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
                reject_unlinked(rejects, source, aside.parsed.row, reason)
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
