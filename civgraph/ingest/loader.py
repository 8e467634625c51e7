"""Loading a source's files into the graph: parse, validate, write in batches, and account
for every row: loaded, or rejected with file, line, field and reason."""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from civgraph.graph.changes import Context, Outbox
from civgraph.graph.driver import Graph, Statement
from civgraph.graph.errors import InvalidIdentifier
from civgraph.graph.links import LinkInput, link_statements, written
from civgraph.graph.models import LinkFields, NodeFields
from civgraph.graph.nodes import node_statements, upsert_nodes
from civgraph.graph.provenance import Origin
from civgraph.ingest.fields import BadValue, Column
from civgraph.ingest.mappings import LinkMap, Source
from civgraph.ingest.mappings.base import Identify, IdentifyOrganization
from civgraph.ingest.matching import GREY, JOIN, Identity
from civgraph.ingest.matching_organizations import OrganizationIdentity
from civgraph.ingest.readers import Row, read_rows
from civgraph.ingest.reference import PROGRAMS
from civgraph.ingest.resolve import End, Pending, Unresolved, resolve

BATCH = 2000
ACTOR = os.environ.get("USER") or "civgraph ingest"  # who the change feed says wrote
REFERENCE = "reference"


class RowError(Exception):
    def __init__(self, column: str, value: str, reason: str) -> None:
        super().__init__(reason)
        self.column, self.value, self.reason = column, value, reason


@dataclass(frozen=True, slots=True)
class Parsed:
    row: Row
    origin: Origin
    nodes: list[NodeFields | None]  # None: a node the row does not have (`NodeMap.when`)
    links: list[LinkInput | None]  # None: an optional relationship the row does not have
    # ends of relationships (by position) without a natural key: who or what, as the row says
    unkeyed: list[tuple[int, End, Unresolved]]


@dataclass
class Summary:
    source: str
    read: int = 0
    loaded: int = 0
    rejected: int = 0
    # people (organizations) named without an ID number (credit code) that entity resolution
    # joined to one in the graph, or left possibly the same as some (a marriage may count two)
    merged: int = 0
    possible: int = 0
    files: list[str] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)  # in the files, not in the mapping


class Rejects:
    """The reject report: one CSV line per rejected row (file, line, column, value, reason)."""

    HEADER = ("source", "file", "line", "column", "value", "reason")

    def __init__(self, out: TextIO, *, header: bool = True) -> None:
        self.writer = csv.writer(out)
        if header:
            self.writer.writerow(self.HEADER)

    def add(self, source: str, row: Row, error: RowError) -> None:
        self.writer.writerow((source, row.file, row.line, error.column, error.value, error.reason))


def cell(column: Column, row: Row) -> Any:
    try:
        return column.value(row.values)
    except (BadValue, InvalidIdentifier) as error:
        raise RowError(
            column.name or "", row.values.get(column.name or "", ""), str(error)
        ) from error


def build(model: type[Any], columns: Mapping[str, Column], row: Row) -> Any:
    values = {
        name: value for name, column in columns.items() if (value := cell(column, row)) is not None
    }
    try:
        return model.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else ""
        column = columns[name].name if name in columns else name
        reason = "missing" if first["type"] == "missing" else str(first["msg"])
        raise RowError(column or name, row.values.get(column or "", ""), reason) from error


def identity_of(identify: Identify | IdentifyOrganization, row: Row) -> Unresolved:
    if isinstance(identify, IdentifyOrganization):
        name, region = cell(identify.name, row), cell(identify.region_code, row)
        return OrganizationIdentity(str(name), str(region), identify.kind)
    name, born = cell(identify.name, row), cell(identify.birth_date, row)
    sex = cell(identify.sex, row) if identify.sex else None
    community = cell(identify.community_code, row) if identify.community_code else None
    placed = identify.community_code is not None
    return Identity(str(name), sex.value if sex else None, born, community, placed)


def missing(column: Column, identify: Identify | IdentifyOrganization | None) -> RowError:
    """A row without the key: what the source needs instead, when it can resolve one."""
    if identify is None:
        return RowError(column.name or "", "", "missing")
    reason = f"missing {column.name} and no {identify.needs} to resolve the {identify.what} by"
    return RowError(column.name or "", "", reason)


def link_of(
    link: LinkMap, row: Row, origin: Origin
) -> tuple[LinkInput | None, dict[End, Unresolved]]:
    """The row's relationship, and the ends it names without a natural key: who or what
    they are as the row says (resolved before the relationship is written)."""
    ends = (
        (End.SOURCE, link.source, link.identify),
        (End.TARGET, link.target, link.identify_target),
    )
    keys: list[Any] = []
    unkeyed: dict[End, Unresolved] = {}
    for end, column, identify in ends:
        key = cell(column, row)
        if key is None and identify is not None and identify.given(row.values):
            unkeyed[end], key = identity_of(identify, row), ""
        keys.append(key)
    if link.optional and None in keys:
        return None, {}
    for (_, column, identify), key in zip(ends, keys, strict=True):
        if key is None:
            raise missing(column, identify)
    props: LinkFields | None = build(link.props, link.fields, row) if link.props else None
    since = cell(link.since, row) if link.since else None
    until = cell(link.until, row) if link.until else None
    if since and until and until < since:
        raise RowError(
            link.until.name or "" if link.until else "", str(until), "ends before it starts"
        )
    return LinkInput(str(keys[0]), str(keys[1]), props, since, until, origin=origin), unkeyed


def parse(source: Source, row: Row) -> Parsed:
    if "__error__" in row.values:
        raise RowError("", "", row.values["__error__"])
    record_key = str(cell(source.record_key, row) or f"{row.file}:{row.line}")
    origin = Origin(record_key, row.file, row.line)
    nodes = [
        build(node.model, node.fields, row)
        if node.when is None or cell(node.when, row) is not None
        else None
        for node in source.nodes
    ]
    links: list[LinkInput | None] = []
    unkeyed: list[tuple[int, End, Unresolved]] = []
    for index, link in enumerate(source.links):
        made, ends = link_of(link, row, origin)
        unkeyed += [(index, end, identity) for end, identity in ends.items()]
        links.append(made)
    return Parsed(row, origin, nodes, links, unkeyed)


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
                unlinked.setdefault(position, missing_endpoint(link, row))
    return unlinked


def missing_endpoint(link: LinkMap, row: LinkInput) -> str:
    source, target = link.spec.source.value, link.spec.target.value
    return f"no {source} {row.source_key!r} or no {target} {row.target_key!r} in the graph"


def batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


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
    for good in parsed_batches(source, paths, rejects, batch_size, summary):
        unlinked = await write(graph, source, good, summary, thresholds)
        for position, reason in sorted(unlinked.items()):
            reject_unlinked(rejects, source, good[position], reason)
        summary.loaded += len(good) - len(unlinked)
        summary.rejected += len(unlinked)
        if progress:
            progress(summary)
    return summary


def parsed_batches(
    source: Source, paths: Iterable[Path], rejects: Rejects, batch_size: int, summary: Summary
) -> Iterator[list[Parsed]]:
    """The rows of a source's files, `batch_size` at a time, parsed; the rows that do not
    parse go to the reject report. `summary` counts them, and lists the files and the
    columns the mapping does not read."""
    columns: set[str] = set()
    for path in paths:
        summary.files.append(str(path))
        for rows in batches(read_rows(path), batch_size):
            summary.read += len(rows)
            columns.update(name for row in rows for name in row.values)
            good: list[Parsed] = []
            for row in rows:
                try:
                    good.append(parse(source, row))
                except RowError as error:
                    rejects.add(source.name, row, error)
                    summary.rejected += 1
            yield good
    summary.unknown_columns = sorted(columns - source.columns - {"__error__"})


def reject_unlinked(rejects: Rejects, source: Source, parsed: Parsed, reason: str) -> None:
    """A parsed row whose relationship found no endpoint, as the reject report has it."""
    column = source.links[0].target.name or "" if source.links else ""
    rejects.add(source.name, parsed.row, RowError(column, "", reason))
