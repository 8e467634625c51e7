"""Full-text search over names and addresses (the `entity_text` index, cjk analyzer)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import LiteralString

from civgraph.graph import planned
from civgraph.graph.catalog import LABEL_TEXT, Label
from civgraph.graph.driver import Row
from civgraph.graph.models import Stored, stored
from civgraph.graph.scope import Scoped, in_scope

SEARCHABLE = (Label.PERSON, Label.ORGANIZATION, Label.FACILITY, Label.COMMUNITY)
# Lucene's query syntax characters: user text is searched for literally.
LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')

# The best hits in scope, as `node`, `label` and `score`; properties are projected only for
# the hits kept (HITS + a RETURN).
HITS: LiteralString = (
    """
CALL db.index.fulltext.queryNodes('entity_text', $text) YIELD node, score
WITH node, score, [label IN labels(node) WHERE label IN $labels][0] AS label
WHERE label IS NOT NULL AND """
    + in_scope("node")
    + """
WITH node, score, label ORDER BY score DESC, node.id LIMIT $limit
"""
)
STORED: LiteralString = "RETURN label, node {.*} AS node, score"


def by_initial(label: Label) -> LiteralString:
    name = LABEL_TEXT[label]
    return (
        "MATCH (node:" + name + ") WHERE '" + name + "' IN $labels "
        "AND node.name STARTS WITH $text AND " + in_scope("node", label) + " "
        "RETURN node, '" + name + "' AS label ORDER BY node.name, node.id LIMIT $limit"
    )


# One character is below what the cjk analyzer indexes (character bigrams: `王` alone is
# in no token of `王五`), so it is looked up as the start of a name: a surname finds the
# people who bear it, through the name's range index. Every hit scores 1.
INITIALS: LiteralString = (
    "CALL () { "
    + " UNION ALL ".join(by_initial(label) for label in SEARCHABLE)
    + " } WITH node, label, 1.0 AS score ORDER BY node.name, node.id LIMIT $limit "
)


@dataclass(frozen=True, slots=True)
class Hit:
    label: Label
    record: Stored
    score: float


def lucene_literal(text: str) -> str:
    return LUCENE_SPECIAL.sub(r"\\\1", text.strip())


def hits_of(text: str) -> tuple[LiteralString, str]:
    """The statement finding the hits for `text` (without its RETURN), and the query text:
    for one character, the names that start with it."""
    text = text.strip()
    return (INITIALS, text) if len(text) == 1 else (HITS, lucene_literal(text))


async def search(scoped: Scoped, text: str, labels: Sequence[Label], limit: int) -> list[Hit]:
    """The best `limit` matches for `text` among nodes of `labels` in scope, best first;
    for one character, the names that start with it, by name."""
    hits, query = hits_of(text)
    if not query:
        return []
    rows = await scoped.read(
        hits + STORED, text=query, labels=[label.value for label in labels], limit=limit
    )
    return [
        Hit(
            Label(row["label"]),
            stored(Label(row["label"]), row["node"]),
            row["score"],
        )
        for row in rows
    ]


async def read_hits(
    scoped: Scoped, text: str, reads: dict[Label, planned.Read], limit: int
) -> list[Row]:
    """`search`'s hits for the read planner: `label`, `score` and `node`, read as the
    `planned.Read` of its label says (one statement, whatever the reads' depth)."""
    hits, query = hits_of(text)
    if not query:
        return []
    statement = planned.Statement(scoped.scope)
    cases: LiteralString = " ".join(
        "WHEN '" + LABEL_TEXT[label] + "' THEN " + statement.projection("node", read)
        for label, read in reads.items()
    )
    return await scoped.read_raw(
        hits + "RETURN label, score, CASE label " + cases + " END AS node",
        text=query, labels=[label.value for label in reads], limit=limit, **statement.params,
    )  # fmt: skip
