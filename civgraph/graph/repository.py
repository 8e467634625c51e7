"""Helpers shared by the repositories: grouping rows by the key they were asked for."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from pydantic import BaseModel

from civgraph.graph.driver import Row

M = TypeVar("M", bound=BaseModel)


def by_key(rows: Iterable[Row], model: type[M], field: str) -> dict[str, M]:
    """`{row["key"]: model(row[field])}` for rows that found one record per key."""
    return {row["key"]: model.model_validate(row[field]) for row in rows}


def grouped(
    rows: Iterable[Row], keys: Sequence[str], model: type[M], field: str
) -> dict[str, list[M]]:
    """Every asked key mapped to its records, in row order; keys with none get []."""
    groups: dict[str, list[M]] = {key: [] for key in keys}
    for row in rows:
        groups[row["key"]].append(model.model_validate(row[field]))
    return groups
