"""Registry exports as streams of rows: CSV (UTF-8 or GBK), JSON lines and XLSX.

Rows come one at a time with the file and line they came from, so a 1M-row export is
never held whole and every reject can name where it was.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook

from civgraph.graph.pickling import ByFields

PROBE_BYTES = 1 << 20


class UnreadableFile(Exception):
    """A file this reader cannot open as any of the formats it knows."""


@dataclass(frozen=True, slots=True)
class Row(ByFields):
    file: str
    line: int  # 1-based, counting the header line of CSV and XLSX
    values: dict[str, str]


def encoding_of(path: Path) -> str:
    """UTF-8 (with or without BOM) when the first megabyte decodes as such, else GB18030
    (a superset of GBK and GB2312, which government exports use)."""
    with path.open("rb") as file:
        head = file.read(PROBE_BYTES)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:  # not just a character cut at the probe's end
            return "gb18030"
    return "utf-8-sig"


def csv_rows(path: Path) -> Iterator[Row]:
    with path.open(encoding=encoding_of(path), newline="") as file:
        reader = csv.DictReader(file)
        for values in reader:
            cells = {k.strip(): (v or "").strip() for k, v in values.items() if k}
            yield Row(path.name, reader.line_num, cells)


def jsonl_rows(path: Path) -> Iterator[Row]:
    with path.open(encoding="utf-8-sig") as file:
        for number, line in enumerate(file, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                yield Row(path.name, number, {"__error__": f"not JSON: {error.msg}"})
                continue
            if not isinstance(record, dict):
                yield Row(path.name, number, {"__error__": "not a JSON object"})
                continue
            cells = {str(k): "" if v is None else str(v).strip() for k, v in record.items()}
            yield Row(path.name, number, cells)


def xlsx_rows(path: Path) -> Iterator[Row]:
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        cells = sheet.iter_rows(values_only=True)
        header = [str(name).strip() if name is not None else "" for name in next(cells, ())]
        for number, record in enumerate(cells, start=2):
            if all(value is None for value in record):
                continue
            values = {
                name: text(value) for name, value in zip(header, record, strict=False) if name
            }
            yield Row(path.name, number, values)
    finally:
        workbook.close()


def text(value: object) -> str:
    """A cell as the text a CSV export would hold (date cells as ISO dates)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


READERS = {".csv": csv_rows, ".jsonl": jsonl_rows, ".xlsx": xlsx_rows}


def read_rows(path: Path) -> Iterator[Row]:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise UnreadableFile(f"{path}: unknown format (expected {', '.join(READERS)})")
    return reader(path)
