"""How a column of an export becomes a field value: trimmed text, dates in the formats
government systems write, coded values (户主 → HEAD), numbers, validated keys."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from civgraph.graph.identifiers import parse_resident_id

YES_NO = {"是": True, "否": False}
DATE = re.compile(r"^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?$")


class BadValue(ValueError):
    """A cell that cannot become its field's value; the message says why."""


def to_date(value: str) -> date:
    match = DATE.match(value)
    if not match:
        raise BadValue(f"not a date: {value!r}")
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as error:
        raise BadValue(f"impossible date: {value!r}") from error


WHOLE = 2**53  # whole numbers beyond it are not exact once read as a float


def to_number(value: str) -> float:
    """A finite number (`nan` and `inf` read as floats, but no registry means them)."""
    try:
        number = float(value.replace(",", ""))
    except ValueError as error:
        raise BadValue(f"not a number: {value!r}") from error
    if not math.isfinite(number):
        raise BadValue(f"not a number: {value!r}")
    return number


def to_int(value: str) -> int:
    """A whole number; spreadsheets may write it `12.0`."""
    number = to_number(value)
    if not number.is_integer():
        raise BadValue(f"not a whole number: {value!r}")
    if abs(number) >= WHOLE:
        raise BadValue(f"out of range: {value!r}")
    return int(number)


def to_resident_id(value: str) -> str:
    return parse_resident_id(value.upper()).number


def coded(codes: Mapping[str, Enum | str | bool]) -> Callable[[str], Any]:
    """A column of coded values: the registry's words mapped to ours; others are refused."""

    def convert(value: str) -> Any:
        if value not in codes:
            raise BadValue(f"unknown code {value!r} (known: {', '.join(codes)})")
        return codes[value]

    return convert


def keep(value: str) -> str:
    return value


@dataclass(frozen=True, slots=True)
class Column:
    """One field's source: a column (or a constant) and how its text converts."""

    name: str | None
    convert: Callable[[str], Any] = keep
    constant: Any = None
    optional: bool = field(default=False)

    def value(self, values: Mapping[str, str]) -> Any:
        if self.name is None:
            return self.constant
        text = values.get(self.name, "")
        if not text:
            return None
        return self.convert(text)


def const(value: Any) -> Column:
    return Column(None, constant=value)
