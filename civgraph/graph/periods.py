"""Periods in Cypher: a relationship's `since` (first day) and `until` (last day, inclusive)
hold on a day when neither end excludes it; open ends always match (docs/model.md)."""

from __future__ import annotations

from typing import LiteralString


def in_effect(var: LiteralString, day: LiteralString = "$asOf") -> LiteralString:
    """True when the period of `var` (a relationship, or anything with since/until) holds on
    `day` (a parameter or a variable)."""
    return (
        "coalesce(" + var + ".since, " + day + ") <= " + day
        + " AND (" + var + ".until IS NULL OR " + var + ".until >= " + day + ")"
    )  # fmt: skip


def not_ended(var: LiteralString, day: LiteralString = "$asOf") -> LiteralString:
    """True when the period of `var` has not ended by `day` (whenever it began: a signal
    recorded with a later start still counts)."""
    return "(" + var + ".until IS NULL OR " + var + ".until >= " + day + ")"
