"""What every rule is: one matching part over a region (`$prefix`, the region asked for
narrowed to the reader's scope: `civgraph.graph.scope.ASKED`) on a day (`$asOf`),
a stable finding key, the relationships that are its evidence, and what a finding shows.
From these one statement each gives a keyset page, the total, and every finding in key
order (for an export), so the three never disagree."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, LiteralString

from civgraph.graph.catalog import Label
from civgraph.graph.models import Stored
from civgraph.graph.provenance import SourceRef
from civgraph.graph.rules.evidence import EvidenceLink, Withheld, evidence, within
from civgraph.graph.scope import Scope


class Rule(StrEnum):
    CONCURRENT_POSTS = "CONCURRENT_POSTS"
    RETIRED_CADRE_POSTS = "RETIRED_CADRE_POSTS"
    NOT_DECOUPLED = "NOT_DECOUPLED"
    BENEFITS_AFTER_DEATH = "BENEFITS_AFTER_DEATH"
    DUPLICATE_ENROLLMENT = "DUPLICATE_ENROLLMENT"
    TWO_HOUSEHOLDS = "TWO_HOUSEHOLDS"
    UNDER_AGE_ALLOWANCE = "UNDER_AGE_ALLOWANCE"
    ASSISTED_MEANS = "ASSISTED_MEANS"
    HIDDEN_SPOUSE = "HIDDEN_SPOUSE"
    OVER_CAPACITY = "OVER_CAPACITY"
    OFFICERS_RELATIVES = "OFFICERS_RELATIVES"


@dataclass(frozen=True, slots=True)
class RuleQuery:
    """A rule as Cypher. `match` binds the variables `carried`, one row per finding; `key`
    is the finding key over them; the evidence subquery imports `imports` and lists the
    relationships `relationships`; `returns` gives `region`, `entities`, `detail` and
    `confidence` (after `RETURN key, links, `)."""

    rule: Rule
    basis: str  # the rule's basis, in one line
    match: LiteralString
    carried: LiteralString
    key: LiteralString
    imports: LiteralString
    relationships: LiteralString
    returns: LiteralString

    def keyed(self) -> LiteralString:
        return "WITH " + self.carried + ", " + self.key + " AS key "

    def tail(self) -> LiteralString:
        return evidence(self.imports, self.relationships) + "RETURN key, links, " + self.returns

    def page(self) -> LiteralString:
        """`$limit` findings after the key `$after`, by key."""
        return (
            self.match + self.keyed() + "WHERE $after IS NULL OR key > $after "
            "ORDER BY key LIMIT $limit " + self.tail()
        )  # fmt: skip

    def total(self) -> LiteralString:
        """How many findings there are (`total`)."""
        return self.match + "RETURN count(DISTINCT " + self.key + ") AS total"

    def every(self) -> LiteralString:
        """Every finding, by key: one matching for the lot (exports)."""
        return self.match + self.keyed() + "ORDER BY key " + self.tail()


# A finding's confidence: 1.0 unless a record was tied to one of its people only as possibly
# the same (`POSSIBLY_SAME`, list `same`): then that match's score.
def confidence(same: LiteralString) -> LiteralString:
    return "CASE size(" + same + ") WHEN 0 THEN 1.0 ELSE " + same + "[0].score END"


# The person `x` or someone possibly the same (`y`; `same` is the link, or an empty list).
def possibly(x: LiteralString, y: LiteralString, same: LiteralString) -> LiteralString:
    return "(" + x + ")-[" + same + ":POSSIBLY_SAME*0..1]-(" + y + ":Person)"


@dataclass(frozen=True, slots=True)
class Finding:
    rule: Rule
    key: str  # stable: the same situation has the same key in every run
    region_code: str | None  # the county (6 digits) of the finding's subject
    entities: list[tuple[Label, Stored]]
    links: list[EvidenceLink]
    detail: dict[str, Any]
    confidence: float = 1.0  # below 1: a record tied as possibly the same (its score)
    withheld: Withheld | None = None  # evidence outside the reader's region, left out

    @property
    def records(self) -> list[SourceRef]:
        """The source records behind the finding's relationships, once each."""
        seen: dict[tuple[str, str], SourceRef] = {}
        for link in self.links:
            if link.record is not None:
                seen.setdefault((link.record.source, link.record.record_key), link.record)
        return list(seen.values())

    def within(self, scope: Scope) -> Finding:
        """The finding as a reader scoped to `scope` sees it."""
        entities, links, withheld = within(self.entities, self.links, scope)
        if withheld is None:
            return self
        return Finding(self.rule, self.key, self.region_code, entities, links, self.detail,
                       self.confidence, withheld)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The rules' numbers, from settings (never literals in the rules)."""

    old_age_allowance_age: int = 80
    retired_cadre_age: int = 70
    cooling_off_years: int = 3


DEFAULTS = Thresholds()
