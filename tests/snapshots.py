"""A whole graph as plain data, to compare two graphs built from the same files: every node
by its natural key (its id when it has none: those ids are derived from records), every
relationship by its endpoints, type and key, with all properties but the platform ids and
the times things were seen (which no two loads share)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, LiteralString

from pydantic import BaseModel

from civgraph.graph.catalog import KEY, Label
from civgraph.graph.driver import Graph
from civgraph.graph.migrations import BOOKKEEPING

UNSHARED = frozenset({"id", "firstSeen", "lastSeen"})
SEEN = frozenset({"first_seen", "last_seen", "firstSeen", "lastSeen"})
LABELS = {label.value: label for label in Label}
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
Ident = tuple[str, str]

NODES: LiteralString = (
    "MATCH (n) WHERE " + BOOKKEEPING + " AND NOT n:ChangeBatch "
    "RETURN labels(n) AS labels, properties(n) AS props"
)
RELATIONSHIPS: LiteralString = (
    "MATCH (a)-[r]->(b) RETURN labels(a) AS a, properties(a) AS pa, type(r) AS type, "
    "properties(r) AS props, labels(b) AS b, properties(b) AS pb"
)


def ident(labels: list[str], props: dict[str, Any]) -> Ident:
    label = next(name for name in labels if name in LABELS)
    key = props.get(KEY[LABELS[label]])
    return label, str(key if key is not None else props["id"])


def shared(props: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in props.items() if name not in UNSHARED}


@dataclass(frozen=True)
class Snapshot:
    nodes: dict[Ident, dict[str, Any]]
    relationships: dict[tuple[Ident, str, Ident, str], dict[str, Any]]
    idents: dict[str, Ident]  # platform id → natural identity

    def plain(self, value: Any) -> str:
        """`value` (dataclasses, models) as text, without the times things were seen, with
        every platform id replaced by its node's natural identity and lists of objects in
        one order (their own is by internal ids, where ties are not broken)."""
        return json.dumps(self.comparable(value), ensure_ascii=False, sort_keys=True)

    def comparable(self, value: Any) -> Any:
        if is_dataclass(value) and not isinstance(value, type):
            value = {f.name: getattr(value, f.name) for f in fields(value)}
        if isinstance(value, BaseModel):
            value = dict(value)
        if isinstance(value, dict):
            return {str(k): self.comparable(v) for k, v in value.items() if k not in SEEN}
        if isinstance(value, list | tuple):
            items = [self.comparable(item) for item in value]
            if all(isinstance(item, dict) for item in items):
                return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
            return items
        if isinstance(value, str):
            return UUID.sub(self.name, value)
        if isinstance(value, int | float | bool) or value is None:
            return value
        return str(value)

    def name(self, match: re.Match[str]) -> str:
        return "/".join(self.idents.get(match[0], ("?", match[0])))


async def snapshot(graph: Graph) -> Snapshot:
    nodes, idents = {}, {}
    for row in await graph.read(NODES):
        at = ident(row["labels"], row["props"])
        nodes[at] = shared(row["props"])
        idents[row["props"]["id"]] = at
    relationships = {}
    for row in await graph.read(RELATIONSHIPS):
        at_r = (ident(row["a"], row["pa"]), row["type"], ident(row["b"], row["pb"]),
                str(row["props"].get("key")))  # fmt: skip
        assert at_r not in relationships, f"two relationships {at_r}"
        relationships[at_r] = shared(row["props"])
    return Snapshot(nodes, relationships, idents)
