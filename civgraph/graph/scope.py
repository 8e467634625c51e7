"""Region scope: a principal bound to a region sees only what lies in that region's
subtree, by division code. One Cypher fragment decides it for every read path.

An entity is in scope when its division code (a region's own code) starts with the
scope's prefix. Programs belong to no region and are in scope everywhere; an asset is in
scope when someone in scope owns it. People known only from records without an ID number
and not registered in a household have no division code: only unscoped principals see
them.
"""

from __future__ import annotations

from typing import LiteralString

from civgraph.graph.catalog import Label


def in_scope(
    var: LiteralString, label: Label | None = None, param: LiteralString = "$scope"
) -> LiteralString:
    """True when node `var` (of `label`, when known) lies in the scope `param` (a
    division-code prefix; null: all). Knowing the label keeps the test to one property
    read; without it, `var` may be anything but an asset (search hits)."""
    unscoped: LiteralString = "(" + param + " IS NULL OR "
    if label is Label.PROGRAM:
        return "true"
    if label is Label.ASSET:
        return (
            unscoped + "EXISTS { MATCH (owner)-[:OWNS]->(" + var + ") "
            "WHERE owner.divisionCode STARTS WITH " + param + " })"
        )
    if label is Label.REGION:
        return unscoped + var + ".code STARTS WITH " + param + ")"
    if label is not None:
        return unscoped + var + ".divisionCode STARTS WITH " + param + ")"
    return (
        unscoped + var + ":Program OR coalesce(" + var + ".divisionCode, CASE WHEN " + var
        + ":Region THEN " + var + ".code END) STARTS WITH " + param + ")"
    )  # fmt: skip


NOTHING = "-"  # a prefix no division code starts with


def narrow(requested: str, scope: str | None) -> str:
    """The prefix of what a principal scoped to `scope` may see of the region `requested`
    (both prefixes): the inner one when one holds the other, else nothing."""
    if scope is None or requested.startswith(scope):
        return requested
    if scope.startswith(requested):
        return scope
    return NOTHING


def division_of(label: Label, node: object) -> str | None:
    """The division code of an entity read from the graph (as `in_scope` reads it)."""
    if label is Label.REGION:
        return str(getattr(node, "code", "")) or None
    if label is Label.HOUSEHOLD:
        return getattr(node, "community_code", None)
    code = getattr(node, "division_code", None)
    return str(code) if code else None


def visible(label: Label, node: object, scope: str | None) -> bool:
    """`in_scope` for an entity already read or about to be written (a finding's evidence, a
    scoped write): programs everywhere, an asset only through its owner (so not on its own),
    others by division code."""
    if scope is None or label is Label.PROGRAM:
        return True
    code = division_of(label, node) if label is not Label.ASSET else None
    return code is not None and code.startswith(scope)
