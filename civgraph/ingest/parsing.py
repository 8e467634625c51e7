"""A source's rows as the writes need them: each row read, its cells parsed and validated
against the source's mapping into nodes and relationships (`Parsed`), or rejected with
file, line, column and reason (`Rejects`); `Summary` counts what became of them."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from civgraph.graph.errors import InvalidIdentifier
from civgraph.graph.links import LinkInput
from civgraph.graph.models import LinkFields, NodeFields
from civgraph.graph.pickling import ByFields
from civgraph.graph.provenance import Origin
from civgraph.ingest.fields import BadValue, Column
from civgraph.ingest.mappings import LinkMap, Source
from civgraph.ingest.mappings.base import Identify, IdentifyOrganization
from civgraph.ingest.matching import Identity
from civgraph.ingest.matching_organizations import OrganizationIdentity
from civgraph.ingest.readers import Row, read_rows
from civgraph.ingest.resolve import End, Unresolved


class RowError(Exception):
    def __init__(self, column: str, value: str, reason: str) -> None:
        super().__init__(reason)
        self.column, self.value, self.reason = column, value, reason


@dataclass(frozen=True, slots=True)
class Parsed(ByFields):
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


def batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


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
