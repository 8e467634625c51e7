"""Full-text search over names and addresses (the `entity_text` index, cjk analyzer)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import LiteralString

from civgraph.graph.catalog import LABEL_TEXT, Label
from civgraph.graph.models import Stored, stored
from civgraph.graph.scope import Scoped, in_scope

SEARCHABLE = (Label.PERSON, Label.ORGANIZATION, Label.FACILITY, Label.COMMUNITY)
# Lucene's query syntax characters: user text is searched for literally.
LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')

# Properties are projected only for the hits kept.
SEARCH: LiteralString = (
    """
CALL db.index.fulltext.queryNodes('entity_text', $text) YIELD node, score
WITH node, score, [label IN labels(node) WHERE label IN $labels][0] AS label
WHERE label IS NOT NULL AND """
    + in_scope("node")
    + """
WITH node, score, label ORDER BY score DESC, node.id LIMIT $limit
RETURN label, node {.*} AS node, score
"""
)


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
INITIAL: LiteralString = (
    "CALL () { "
    + " UNION ALL ".join(by_initial(label) for label in SEARCHABLE)
    + " } WITH node, label ORDER BY node.name, node.id LIMIT $limit "
    "RETURN label, node {.*} AS node, 1.0 AS score"
)


@dataclass(frozen=True, slots=True)
class Hit:
    label: Label
    record: Stored
    score: float


def lucene_literal(text: str) -> str:
    return LUCENE_SPECIAL.sub(r"\\\1", text.strip())


async def search(scoped: Scoped, text: str, labels: Sequence[Label], limit: int) -> list[Hit]:
    """The best `limit` matches for `text` among nodes of `labels` in scope, best first;
    for one character, the names that start with it, by name."""
    text = text.strip()
    statement, query = (INITIAL, text) if len(text) == 1 else (SEARCH, lucene_literal(text))
    if not query:
        return []
    rows = await scoped.read(
        statement, text=query, labels=[label.value for label in labels], limit=limit
    )
    return [
        Hit(
            Label(row["label"]),
            stored(Label(row["label"]), row["node"]),
            row["score"],
        )
        for row in rows
    ]
