"""Evidence: the relationships that make a finding true, each with its ends, period,
properties and the source record that stated it (with the match key and score that tied the
record to the relationship's subject), and what a region-bound reader may see of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, LiteralString

from civgraph.graph.catalog import Label
from civgraph.graph.links import STANDARD
from civgraph.graph.models import Stored, stored
from civgraph.graph.provenance import SourceRef
from civgraph.graph.scope import Scope, division_of


def link_map(rel: LiteralString, record: LiteralString = "null") -> LiteralString:
    """A relationship `rel` as evidence (what `link_of` reads): its type, ends with their
    labels, properties, and the source record `record` (a map expression, or null)."""
    return (
        "{type: type(" + rel + "), from: labels(startNode(" + rel + "))[0], "
        "fromNode: properties(startNode(" + rel + ")), to: labels(endNode(" + rel + "))[0], "
        "toNode: properties(endNode(" + rel + ")), rel: properties(" + rel + "), "
        "record: " + record + "}"
    )  # fmt: skip


# The source record `rec` stating relationship `ev` (for `link_map`).
RECORD_OF: LiteralString = (
    "OPTIONAL MATCH (rec:SourceRecord {key: ev.source + ':' + ev.recordKey}) "
)
# `rec` as evidence shows it: with how the record was tied to the relationship's subject (its
# start; its end when the record describes only that): the natural key it carried, or entity
# resolution's match key and score.
RECORD: LiteralString = (
    "rec {.*, match: coalesce(head([(rec)-[described:DESCRIBES]->(subject) "
    "WHERE subject = startNode(ev) | described {.matchKey, .score}]), "
    "head([(rec)-[described:DESCRIBES]->(subject) "
    "WHERE subject = endNode(ev) | described {.matchKey, .score}]))}"
)  # its names are none a rule binds: the evidence subquery imports the rule's variables


def evidence(variables: LiteralString, relationships: LiteralString) -> LiteralString:
    """A subquery giving `links`: each relationship of the list `relationships` (a list
    expression over `variables`, which the subquery imports) with its type, ends, period,
    properties and source record."""
    return (
        "CALL (" + variables + ") { "
        "UNWIND [ev IN " + relationships + " WHERE ev IS NOT NULL] AS ev "
        + RECORD_OF + "RETURN collect(" + link_map("ev", RECORD) + ") AS links } "
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class EvidenceLink:
    """A relationship that makes a finding true, with its record."""

    type: str
    source_label: Label
    source: Stored
    target_label: Label
    target: Stored
    since: date | None
    until: date | None
    properties: dict[str, Any]
    record: SourceRef | None


@dataclass(frozen=True, slots=True)
class Withheld:
    """What a finding's evidence holds outside the reader's region: how many entities and
    relationships were left out, and the counties they lie in (docs/security.md)."""

    entities: int
    links: int
    region_codes: list[str]


HIDDEN = STANDARD | {"version"}  # shown as the link's own fields, not its properties


def record_of(row: dict[str, Any] | None) -> SourceRef | None:
    if row is None:
        return None
    match = row.get("match") or {}
    return SourceRef(
        source=row["source"], record_key=row["recordKey"], file=row.get("file"),
        line=row.get("line"), first_seen=row["firstSeen"], last_seen=row["lastSeen"],
        match_key=match.get("matchKey"), score=match.get("score"),
    )  # fmt: skip


def node_of(row: dict[str, Any]) -> tuple[Label, Stored]:
    """An entity as a statement returns it: its properties and `label`."""
    label = Label(row["label"])
    return label, stored(label, row)


def link_of(row: dict[str, Any]) -> EvidenceLink:
    rel = row["rel"]
    source_label, target_label = Label(row["from"]), Label(row["to"])
    return EvidenceLink(
        type=row["type"],
        source_label=source_label,
        source=stored(source_label, row["fromNode"]),
        target_label=target_label,
        target=stored(target_label, row["toNode"]),
        since=rel.get("since"),
        until=rel.get("until"),
        properties={k: v for k, v in rel.items() if k not in HIDDEN},
        record=record_of(row.get("record")),
    )


def within(
    entities: list[tuple[Label, Stored]], links: list[EvidenceLink], scope: Scope
) -> tuple[list[tuple[Label, Stored]], list[EvidenceLink], Withheld | None]:
    """What a reader scoped to `scope` may see of a finding's evidence: entities outside it
    are left out, and so are relationships with an end outside it (an asset is in reach
    through its owner, a program always); the counts and counties of what was left out
    are kept."""
    if scope.prefix is None:
        return entities, links, None
    shown = [(label, node) for label, node in entities if scope.sees(label, node)]
    kept = [link for link in links if link_visible(link, scope)]
    if len(shown) == len(entities) and len(kept) == len(links):
        return entities, links, None
    ends = [
        end
        for link in links
        if link not in kept
        for end in ((link.source_label, link.source), (link.target_label, link.target))
    ]
    hidden = [(label, node) for label, node in [*entities, *ends]
              if label is not Label.ASSET and not scope.sees(label, node)]  # fmt: skip
    counties = sorted({code[:6] for label, node in hidden if (code := division_of(label, node))})
    return shown, kept, Withheld(len(entities) - len(shown), len(links) - len(kept), counties)


def link_visible(link: EvidenceLink, scope: Scope) -> bool:
    ends = ((link.source_label, link.source), (link.target_label, link.target))
    owned = [end for end in ends if end[0] is not Label.ASSET]  # an asset: through its owner
    return all(scope.sees(label, node) for label, node in owned)
