"""What a synthetic province holds and what was planted in it, for tests to find (the
product never reads it). docs/synth.md describes every list.

Planted entries are spooled to temporary files as they come and streamed into
manifest.json at the end, so a province of any size keeps none of them in memory."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

Planted = dict[str, object]  # one planted situation: the keys a test needs to find it
BREACHES = ("over_age", "multiple_posts", "recent_same_sector", "unfiled", "paid", "control")
# What makes a member of a 低保 household, or a 特困 person, a case for the 核对 checks.
ASSISTED_KINDS = (
    "assisted_legal_representatives",
    "assisted_investors",
    "assisted_vehicle_owners",
    "assisted_property_owners",
    "assisted_payroll",
    "assisted_hidden_spouses",
)
LISTS = (
    "benefits_after_cremation",
    "concurrent_posts",
    *ASSISTED_KINDS,
    "double_enrollments",
    "officers_relatives",
    "officers_relatives_filed",
    *(f"retired_cadres_{breach}" for breach in BREACHES),
    "overcrowded_facilities",
    "unkeyed",
    "unkeyed_rows",
    "ambiguous",
    "unregistered",
)


class Spool:
    """A list of planted entries (JSON objects) kept in a temporary file."""

    def __init__(self) -> None:
        self.file: TextIO = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - closed by close()
        self.size = 0

    def append(self, entry: Mapping[str, object]) -> None:
        self.file.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self.size += 1

    def __len__(self) -> int:
        return self.size

    def __iter__(self) -> Iterator[str]:
        """The entries as JSON text, in the order they were planted."""
        self.file.seek(0)
        for line in self.file:
            yield line.rstrip("\n")
        self.file.seek(0, 2)

    def close(self) -> None:
        self.file.close()


@dataclass
class Manifest:
    seed: int
    people: int = 0
    households: int = 0
    communities: int = 0
    rows: dict[str, int] = field(default_factory=dict)  # data rows written, by file
    rejects: dict[str, int] = field(default_factory=dict)  # rows the loader must reject
    duplicates: dict[str, int] = field(default_factory=dict)  # rows written twice
    planted: dict[str, Spool] = field(default_factory=lambda: {n: Spool() for n in LISTS})

    @property
    def benefits_after_cremation(self) -> Spool:
        return self.planted["benefits_after_cremation"]

    def plant(self, name: str, entry: Mapping[str, object]) -> None:
        self.planted[name].append(entry)

    def count(self, counts: dict[str, int], file: str) -> None:
        counts[file] = counts.get(file, 0) + 1

    def save(self, path: Path) -> None:
        """Writes manifest.json (one planted entry a line) and drops the spools."""
        tallies = {
            "seed": self.seed,
            "people": self.people,
            "households": self.households,
            "communities": self.communities,
            "rows": self.rows,
            "rejects": self.rejects,
            "duplicates": self.duplicates,
        }
        with path.open("w", encoding="utf-8") as out:
            out.write("{\n")
            for name, value in tallies.items():
                out.write(f" {json.dumps(name)}: {json.dumps(value, ensure_ascii=False)},\n")
            for index, (name, spool) in enumerate(self.planted.items()):
                out.write(
                    f" {json.dumps(name)}: [\n  " if len(spool) else f" {json.dumps(name)}: ["
                )
                out.write(",\n  ".join(spool))
                out.write("\n ]" if len(spool) else "]")
                out.write(",\n" if index < len(self.planted) - 1 else "\n}\n")
                spool.close()
