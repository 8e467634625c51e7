"""The staged graph as Neo4j's offline importer reads it: CSV files with typed headers
(`name:type`, `:ID(group)`, `:START_ID(group)`, `:END_ID(group)`), one file per label and
per relationship type between two labels. Each label is its own ID group, keyed by its
natural key; source records by their key. Strings are always quoted and absent values
left empty, so that an empty string stays one and a missing value stays missing."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import orjson

from civgraph.graph.catalog import KEY, Label
from civgraph.graph.links import NO_PERIOD
from civgraph.ingest.initial.staging import Staging

SEEN = ("source", "recordKey", "firstSeen:datetime", "lastSeen:datetime")


@dataclass
class Files:
    """What the importer is given: (label or type, path) pairs, and rows written."""

    nodes: list[tuple[str, Path]] = field(default_factory=list)
    relationships: list[tuple[str, Path]] = field(default_factory=list)
    rows: int = 0


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return '"' + str(value).replace('"', '""') + '"'


def random_ids(batch: int = 4096) -> Iterator[str]:
    """Random (version 4) UUIDs, as Cypher's randomUUID() makes them, a few thousand at a
    time (uuid.uuid4 costs several microseconds each: a minute for ten million)."""
    while True:
        raw = os.urandom(16 * batch).hex()
        for start in range(0, len(raw), 32):
            h = raw[start : start + 32]
            variant = "89ab"[int(h[16], 16) & 3]
            yield f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{variant}{h[17:20]}-{h[20:]}"


def write_row(out: TextIO, values: Iterable[Any]) -> None:
    out.write(",".join(map(cell, values)) + "\n")


def header(names: Iterable[str], kinds: dict[str, str]) -> list[str]:
    return [name if kinds[name] == "string" else f"{name}:{kinds[name]}" for name in names]


def properties(staging: Staging, owner: str, leave_out: str = "") -> tuple[list[str], list[str]]:
    """The property names of a label or type, and their header columns."""
    kinds = {name: kind for (o, name), kind in staging.kinds.items() if o == owner}
    names = sorted(name for name in kinds if name != leave_out)
    return names, header(names, kinds)


def export(staging: Staging, directory: Path, now: str) -> Files:
    """Writes every staged node, relationship, source record and `DESCRIBES` link."""
    directory.mkdir(parents=True, exist_ok=True)
    files = Files()
    labels = [label for (label,) in staging.rows("SELECT DISTINCT label FROM nodes")]
    for text in labels:
        label = Label(text)
        names, columns = properties(staging, text, KEY[label])
        path = directory / f"nodes-{text}.csv"
        with path.open("w", encoding="utf-8") as out:
            write_row_header(out, [f"{KEY[label]}:ID({text})", "id", *columns, *SEEN,
                                   "version:long"])  # fmt: skip
            rows = staging.rows(
                "SELECT key, props, version, source, record FROM nodes WHERE label = ?", text
            )
            for (key, props, version, source, record), id_ in zip(rows, random_ids(), strict=False):
                values = orjson.loads(props)
                write_row(out, [key, id_, *(values.get(n) for n in names), source, record,
                                now, now, version])  # fmt: skip
                files.rows += 1
        files.nodes.append((text, path))
    files.rows += export_records(staging, directory, now, files)
    files.rows += export_relationships(staging, directory, now, files)
    return files


def write_row_header(out: TextIO, names: list[str]) -> None:
    out.write(",".join(names) + "\n")


def export_records(staging: Staging, directory: Path, now: str, files: Files) -> int:
    path = directory / "nodes-SourceRecord.csv"
    with path.open("w", encoding="utf-8") as out:
        write_row_header(out, ["key:ID(SourceRecord)", "id", "source", "recordKey", "file",
                               "line:long", "firstSeen:datetime", "lastSeen:datetime"])  # fmt: skip
        count = 0
        records = staging.rows("SELECT * FROM records")
        for (key, source, record, file, line), id_ in zip(records, random_ids(), strict=False):
            write_row(out, [key, id_, source, record, file, line, now, now])
            count += 1
    files.nodes.append(("SourceRecord", path))
    labels = [label for (label,) in staging.rows("SELECT DISTINCT label FROM describes")]
    for label in labels:
        path = directory / f"describes-{label}.csv"
        with path.open("w", encoding="utf-8") as out:
            write_row_header(out, [":START_ID(SourceRecord)", f":END_ID({label})", "matchKey",
                                   "score:double", "role"])  # fmt: skip
            rows = staging.rows(
                "SELECT record, nodekey, matchKey, score, role FROM describes WHERE label = ?",
                label,
            )
            for row in rows:
                write_row(out, row)
                count += 1
        files.relationships.append(("DESCRIBES", path))
    return count


def export_relationships(staging: Staging, directory: Path, now: str, files: Files) -> int:
    count = 0
    kinds = list(staging.rows("SELECT DISTINCT rel, slabel, tlabel FROM rels"))
    for rel, source, target in kinds:
        names, columns = properties(staging, rel)
        path = directory / f"rels-{rel}-{source}-{target}.csv"
        with path.open("w", encoding="utf-8") as out:
            write_row_header(out, [f":START_ID({source})", f":END_ID({target})", "key",
                                   *columns, *SEEN, "version:long"])  # fmt: skip
            rows = staging.rows(
                "SELECT skey, tkey, key, props, version, source, record FROM rels "
                "WHERE rel = ? AND slabel = ? AND tlabel = ?",
                rel, source, target,
            )  # fmt: skip
            for skey, tkey, key, props, version, src, record in rows:
                values = orjson.loads(props)
                write_row(out, [skey, tkey, key, *(values.get(n) for n in names), src, record,
                                now, now, version])  # fmt: skip
                count += 1
        files.relationships.append((rel, path))
    structural = list(staging.rows("SELECT DISTINCT rel, label, tlabel FROM structure"))
    for rel, source, target in structural:
        path = directory / f"structure-{rel}-{source}-{target}.csv"
        with path.open("w", encoding="utf-8") as out:
            write_row_header(out, [f":START_ID({source})", f":END_ID({target})", "key",
                                   *SEEN])  # fmt: skip
            rows = staging.rows(
                "SELECT key, tkey, source, record FROM structure WHERE rel = ? AND label = ? "
                "AND tlabel = ?", rel, source, target,
            )  # fmt: skip
            for key, tkey, src, record in rows:
                write_row(out, [key, tkey, NO_PERIOD, src, record, now, now])
                count += 1
        files.relationships.append((rel, path))
    return count
