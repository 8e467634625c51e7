"""Investigation rules: what the work plan says must not happen, found in the graph with the
evidence that makes each finding true — the entities, the relationships with their
periods, and the source records behind them (docs/investigations.md gives each rule's
exact definition).

Each rule is one matching over a region (a division-code prefix) on a day, ordered by a
stable finding key: keyset pages, a total, and an export in key order come from the same
matching. Every rule starts from an index (a relationship type, a division-code range)
rather than from all people. By theme: `posts`, `benefits`, `means`, `facilities`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

from civgraph.graph.driver import Row
from civgraph.graph.rules import benefits, facilities, means, posts
from civgraph.graph.rules.base import DEFAULTS, Finding, Rule, RuleQuery, Thresholds
from civgraph.graph.rules.evidence import link_of, node_of
from civgraph.graph.scope import Scope, Scoped

QUERIES: dict[Rule, RuleQuery] = {
    query.rule: query for query in (*posts.RULES, *benefits.RULES, *means.RULES, *facilities.RULES)
}
BASIS: dict[Rule, str] = {rule: query.basis for rule, query in QUERIES.items()}

__all__ = ["BASIS", "DEFAULTS", "QUERIES", "Finding", "Rule", "Thresholds"]


def parameters(prefix: str, as_of: date, thresholds: Thresholds) -> dict[str, Any]:
    return {
        "prefix": prefix, "asOf": as_of, "minimumAge": thresholds.old_age_allowance_age,
        "retiredAge": thresholds.retired_cadre_age, "coolingYears": thresholds.cooling_off_years,
    }  # fmt: skip


def finding_of(rule: Rule, row: Row, scope: Scope) -> Finding:
    found = Finding(
        rule=rule,
        key=row["key"],
        region_code=row["region"],
        entities=[node_of(e) for e in row["entities"]],
        links=[link_of(link) for link in row["links"]],
        detail=row["detail"],
        confidence=float(row["confidence"]),
    )
    return found.within(scope)


async def findings(
    scoped: Scoped,
    rule: Rule,
    prefix: str,
    as_of: date,
    first: int,
    after: str | None = None,
    thresholds: Thresholds = DEFAULTS,
) -> list[Finding]:
    """Up to `first` findings of `rule` in the region `prefix` (as far as the scope sees it)
    on `as_of`, after the key `after`, by key; their evidence as the scope sees it
    (`Finding.within`: outside it, withheld and counted)."""
    params = parameters(scoped.narrow(prefix), as_of, thresholds)
    rows = await scoped.read(QUERIES[rule].page(), after=after, limit=first, **params)
    return [finding_of(rule, row, scoped.scope) for row in rows]


async def count_findings(
    scoped: Scoped, rule: Rule, prefix: str, as_of: date, thresholds: Thresholds = DEFAULTS
) -> int:
    """How many findings `rule` has in the region `prefix` (as far as the scope sees it) on
    `as_of`."""
    params = parameters(scoped.narrow(prefix), as_of, thresholds)
    rows = await scoped.read(QUERIES[rule].total(), **params)
    return int(rows[0]["total"])


async def every_finding(
    scoped: Scoped, rule: Rule, prefix: str, as_of: date, thresholds: Thresholds = DEFAULTS
) -> AsyncIterator[Finding]:
    """Every finding of `rule` in the region (as far as the scope sees it), by key, streamed
    from one matching (exports)."""
    params = parameters(scoped.narrow(prefix), as_of, thresholds)
    async for row in scoped.stream(QUERIES[rule].every(), **params):
        yield finding_of(rule, row, scoped.scope)
