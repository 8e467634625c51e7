"""Typed conditions on nodes and their relationships, compiled to parameterised Cypher.

Property names and operators come from literals in the code; values only ever travel as
parameters. The node being filtered is `n`; a relationship filter's relationship is `r`
and the node at its other end `x`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any, LiteralString

from civgraph.graph.catalog import LABEL_TEXT, REL_TEXT, Label, RelSpec
from civgraph.graph.scope import in_scope

# Parameter names come from this fixed list, never from input. (mypy treats LiteralString as
# str, so the LiteralString annotations document the rule rather than enforce it.)
PARAMS: tuple[LiteralString, ...] = tuple(f"f{i}" for i in range(64))


class Op(Enum):
    EQ = "="
    NE = "<>"
    LT = "<"
    LTE = "<="
    GT = ">"
    GTE = ">="
    IN = "IN"
    STARTS_WITH = "STARTS WITH"
    CONTAINS = "CONTAINS"
    IS_NULL = "IS NULL"
    IS_NOT_NULL = "IS NOT NULL"


OP_TEXT: dict[Op, LiteralString] = {op: op.value for op in Op}


@dataclass(frozen=True, slots=True)
class Compare:
    """`<alias>.<prop> <op> value`, e.g. Compare("name", Op.STARTS_WITH, "张")."""

    prop: LiteralString
    op: Op
    value: Any = None


@dataclass(frozen=True, slots=True)
class Related:
    """`EXISTS { (n)-[r:REL]-(x) WHERE … }`: n has a relationship matching the conditions.

    `during` keeps relationships whose period overlaps [start, end] (either may be open);
    `current` keeps those without an end.
    """

    spec: RelSpec
    outgoing: bool = True
    # A first hop, taken while current: e.g. a person's household (MEMBER_OF) for benefits
    # the household receives.
    through: RelSpec | None = None
    other: Sequence[Compare] = ()
    rel: Sequence[Compare] = ()
    during: tuple[date | None, date | None] | None = None
    current: bool = False


@dataclass
class Compiled:
    clauses: list[LiteralString] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)

    def param(self, value: Any) -> LiteralString:
        name = PARAMS[len(self.params)]
        self.params[name] = value
        return "$" + name

    @property
    def where(self) -> LiteralString:
        return " AND ".join(self.clauses) if self.clauses else "true"


def compare(alias: LiteralString, condition: Compare, out: Compiled) -> LiteralString:
    left = alias + "." + condition.prop + " " + OP_TEXT[condition.op]
    if condition.op in (Op.IS_NULL, Op.IS_NOT_NULL):
        return left
    return left + " " + out.param(condition.value)


def related(condition: Related, out: Compiled) -> LiteralString:
    spec = condition.spec
    far = LABEL_TEXT[spec.target] if condition.outgoing else LABEL_TEXT[spec.source]
    rel = REL_TEXT[spec.rel]
    arrow: LiteralString = "-[r:" + rel + "]->" if condition.outgoing else "<-[r:" + rel + "]-"
    inner: list[LiteralString] = [compare("x", c, out) for c in condition.other]
    inner += [compare("r", c, out) for c in condition.rel]
    if condition.during is not None:
        begins, ends = condition.during
        if ends is not None:
            inner.append("(r.since IS NULL OR r.since <= " + out.param(ends) + ")")
        if begins is not None:
            inner.append("(r.until IS NULL OR r.until >= " + out.param(begins) + ")")
    if condition.current:
        inner.append("r.until IS NULL")
    start: LiteralString = "(n)"
    if condition.through is not None:
        hop = condition.through
        start = "(n)-[h:" + REL_TEXT[hop.rel] + "]->(:" + LABEL_TEXT[hop.target] + ")"
        inner.append("h.until IS NULL")
    where: LiteralString = " WHERE " + " AND ".join(inner) if inner else ""
    return "EXISTS { MATCH " + start + arrow + "(x:" + far + ")" + where + " }"


@dataclass(frozen=True, slots=True)
class AnyOf:
    """True when any of its conditions is."""

    conditions: Sequence[Compare | Related]


@dataclass(frozen=True, slots=True)
class InRegion:
    """n (of `label`) lies in the region whose division codes start with `prefix`: a filter's
    `inRegion`, or a root page's scope (`civgraph.graph.pages`)."""

    prefix: str
    label: Label


Condition = Compare | Related | AnyOf | InRegion


def clause(condition: Condition, out: Compiled) -> LiteralString:
    if isinstance(condition, Compare):
        return compare("n", condition, out)
    if isinstance(condition, InRegion):
        return in_scope("n", condition.label, out.param(condition.prefix))
    if isinstance(condition, Related):
        return related(condition, out)
    return "(" + " OR ".join(clause(c, out) for c in condition.conditions) + ")"


def compile_conditions(conditions: Sequence[Condition], out: Compiled | None = None) -> Compiled:
    out = out or Compiled()
    out.clauses += [clause(condition, out) for condition in conditions]
    return out
