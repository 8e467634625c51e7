"""Investigators' marks on findings: confirmed, dismissed or under review, with who and when;
one `FindingReview` node per finding key, every earlier mark kept in its history (keys are
stable, so marks survive reruns)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, LiteralString

from civgraph.graph.driver import Graph
from civgraph.graph.rules.base import Rule


class ReviewStatus(StrEnum):
    UNDER_REVIEW = "UNDER_REVIEW"
    CONFIRMED = "CONFIRMED"
    DISMISSED = "DISMISSED"


@dataclass(frozen=True, slots=True)
class Review:
    """An investigator's mark on a finding, with the marks before it."""

    status: ReviewStatus
    note: str | None
    by: str
    at: datetime
    history: list[dict[str, Any]]


REVIEW: LiteralString = """
MERGE (v:FindingReview {id: $rule + ':' + $key})
ON CREATE SET v.rule = $rule, v.key = $key, v.history = []
SET v.status = $status, v.note = $note, v.by = $by, v.at = $at,
    v.history = v.history + [$entry]
RETURN v {.*} AS review
"""
REVIEWS: LiteralString = """
UNWIND $ids AS id MATCH (v:FindingReview {id: id}) RETURN v {.*} AS review
"""


def review_of(row: dict[str, Any]) -> Review:
    return Review(
        status=ReviewStatus(row["status"]),
        note=row.get("note"),
        by=row["by"],
        at=row["at"],
        history=[json.loads(entry) for entry in row.get("history") or []],
    )


async def review(
    graph: Graph, rule: Rule, key: str, status: ReviewStatus, note: str | None, by: str
) -> Review:
    """Marks a finding (its rule and key) confirmed, dismissed or under review; earlier
    marks are kept in its history."""
    at = datetime.now(UTC)  # one clock for the mark and its history entry
    entry = json.dumps(
        {"status": status.value, "note": note, "by": by, "at": at.isoformat()},
        ensure_ascii=False,
    )
    rows = await graph.write(REVIEW, rule=rule.value, key=key, status=status.value, note=note,
                             by=by, at=at, entry=entry)  # fmt: skip
    return review_of(rows[0]["review"])


async def reviews(graph: Graph, rule: Rule, keys: list[str]) -> dict[str, Review]:
    """The marks on findings of `rule`, by finding key."""
    rows = await graph.read(REVIEWS, ids=[f"{rule.value}:{key}" for key in keys])
    return {row["review"]["key"]: review_of(row["review"]) for row in rows}
