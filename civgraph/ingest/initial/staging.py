"""The first load's staging store: what online ingest's statements would leave in the graph,
worked out batch by batch in a SQLite file instead of Neo4j.

Each method does what one of online ingest's statements does, in the same order and with
the same rules (`civgraph.graph.nodes`, `civgraph.graph.links`, `civgraph.graph.provenance`):
nodes merged by natural key (`SET n += props`, `version` bumped when a field changes), the
structural relationship drawn from a node's own code when its target exists then,
relationships merged by endpoints, type and key, a person's division code derived from
their current household, and a source record per row describing what it stated. The store
is on disk, so memory stays bounded whatever the province's size; `export` then writes it
out for Neo4j's offline importer.

Values are kept as JSON (dates as ISO text); `kinds` remembers each property's type. What a
batch writes it may read back at once: the nodes written lately are kept in memory too.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import orjson

from civgraph.graph.catalog import KEY, Label, Rel, RelSpec
from civgraph.graph.links import LinkInput
from civgraph.graph.models import NodeFields
from civgraph.graph.provenance import Origin

SCHEMA = """
CREATE TABLE nodes (label TEXT, key TEXT, props TEXT, version INT, source TEXT, record TEXT,
                    PRIMARY KEY (label, key)) WITHOUT ROWID;
CREATE TABLE rels (rel TEXT, slabel TEXT, skey TEXT, tlabel TEXT, tkey TEXT, key TEXT,
                   props TEXT, version INT, source TEXT, record TEXT,
                   PRIMARY KEY (rel, slabel, skey, tlabel, tkey, key)) WITHOUT ROWID;
CREATE TABLE structure (label TEXT, key TEXT, rel TEXT, tlabel TEXT, tkey TEXT, source TEXT,
                        record TEXT, PRIMARY KEY (label, key)) WITHOUT ROWID;
CREATE TABLE records (key TEXT PRIMARY KEY, source TEXT, record TEXT, file TEXT, line INT)
                      WITHOUT ROWID;
CREATE TABLE describes (record TEXT, label TEXT, nodekey TEXT, matchKey TEXT, score REAL,
                        role TEXT, PRIMARY KEY (record, label, nodekey)) WITHOUT ROWID;
"""


def region_of_organization(code: str) -> str:
    return code[:9] if len(code) == 12 else code


# The structural relationship each label's node gets from its own code, as
# `civgraph.graph.nodes.STRUCTURE` draws it: type, target label, the target's key.
STRUCTURE: dict[Label, tuple[Rel, Label, Callable[[dict[str, Any]], str | None]]] = {
    Label.REGION: (Rel.PART_OF, Label.REGION, lambda p: p.get("parentCode")),
    Label.COMMUNITY: (Rel.PART_OF, Label.REGION, lambda p: p.get("townshipCode")),
    Label.HOUSEHOLD: (Rel.REGISTERED_IN, Label.COMMUNITY, lambda p: p.get("communityCode")),
    Label.FACILITY: (Rel.LOCATED_IN, Label.COMMUNITY, lambda p: p.get("divisionCode")),
    Label.ORGANIZATION: (
        Rel.LOCATED_IN,
        Label.REGION,
        lambda p: region_of_organization(p["divisionCode"]) if p.get("divisionCode") else None,
    ),
}


MMAP = 64 * 2**30  # bytes of the staging file read through memory mapping, at most
RECENT = 200_000  # nodes kept as lately written (`Staging.recent`), at most


def as_json(value: Any) -> str:
    return orjson.dumps(value).decode()


def kind_of(value: Any) -> str:
    """The importer's type for a property value."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    return "string"


def plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


class Kinds(dict[tuple[str, str], str]):
    """(label or relationship type, property) → the importer's type, as first seen; with,
    by owner, the properties typed so far and those holding dates (`typed`'s quick path:
    it runs for every node and relationship of every row)."""

    def __init__(self) -> None:
        super().__init__()
        self.names: dict[str, set[str]] = {}
        self.dated: dict[str, set[str]] = {}

    def __setitem__(self, key: tuple[str, str], kind: str, /) -> None:
        super().__setitem__(key, kind)
        owner, name = key
        self.names.setdefault(owner, set()).add(name)
        if kind in ("date", "datetime"):
            self.dated.setdefault(owner, set()).add(name)

    def setdefault(self, key: tuple[str, str], kind: str, /) -> str:
        if key not in self:
            self[key] = kind
        return self[key]


NONE: frozenset[str] = frozenset()


def typed(kinds: Kinds, owner: str, props: dict[str, Any]) -> dict[str, Any]:
    """`props` (a dict of its own) as stored, in place: dates as ISO text; each property's
    type first seen noted in `kinds`."""
    names = kinds.names.get(owner, NONE)
    if not props.keys() <= names:
        for name in props.keys() - names:
            if (value := props[name]) is not None:
                kinds.setdefault((owner, name), kind_of(value))
    for name in kinds.dated.get(owner, NONE) & props.keys():
        props[name] = plain(props[name])
    return props


# A node as a row states it: its key, its properties as stored, the row.
Stated = tuple[str, dict[str, Any], Origin]
# A relationship as a row states it: its ends' keys, its key, its properties and period as
# stored, the row.
StatedLink = tuple[str, str, str, dict[str, Any], dict[str, Any], Origin]


def stated_nodes(records: Sequence[NodeFields], origins: Sequence[Origin], kinds: Kinds
                 ) -> list[Stated]:  # fmt: skip
    stated: list[Stated] = []
    for record, origin in zip(records, origins, strict=True):
        given = record.properties()
        label = record.label
        stated.append((str(given[KEY[label]]), typed(kinds, label.value, given), origin))
    return stated


def stated_links(spec: RelSpec, links: Sequence[LinkInput], kinds: Kinds) -> list[StatedLink]:
    owner = spec.rel.value
    return [
        (link.source_key, link.target_key, link.key,
         typed(kinds, owner, link.props.properties() if link.props else {}),
         typed(kinds, owner, {"since": link.since, "until": link.until}),
         link.origin or Origin(f"{link.source_key}>{link.target_key}@{link.key}"))
        for link in links
    ]  # fmt: skip


@dataclass
class Node:
    props: dict[str, Any]
    version: int
    source: str
    record: str


class Staging:
    """The graph a first load builds, kept in SQLite until it is exported."""

    def __init__(self, path: Path) -> None:
        path.unlink(missing_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-262144",
                       "temp_store=MEMORY", "locking_mode=EXCLUSIVE",
                       f"mmap_size={MMAP}"):  # fmt: skip
            self.db.execute(f"PRAGMA {pragma}")
        self.db.executescript(SCHEMA)
        self.db.execute("BEGIN")
        self.kinds = Kinds()
        self.records: list[tuple[Any, ...]] = []  # described, not yet written (`flush`)
        self.described: list[tuple[Any, ...]] = []
        # The nodes written lately, as written (a batch reads back what it just wrote: the
        # people its memberships derive division codes for, the ends of its relationships).
        self.recent: dict[tuple[Label, str], Node] = {}

    def commit(self) -> None:
        self.flush()
        self.db.execute("COMMIT")
        self.db.execute("BEGIN")

    def close(self) -> None:
        self.flush()
        self.db.execute("COMMIT")
        self.db.close()

    # --- what a batch writes ----------------------------------------------------------

    def nodes(self, label: Label, stated: Sequence[Stated], source: str) -> None:
        """`nodes.upsert_statement` and the STRUCTURE statement after it: a node is written
        when it is new or a field changes."""
        if not stated:
            return
        combined: dict[str, tuple[dict[str, Any], Origin]] = {}  # a batch's rows, combined
        for key, props, origin in stated:
            combined[key] = ((combined[key][0] if key in combined else {}) | props, origin)
            self.describe(source, origin, label, key, origin.match_key or KEY[label])
        found = self.get_nodes(label, list(combined))
        written: dict[str, Node] = {}
        for key, (props, origin) in combined.items():
            node = found.get(key)
            if node is None:
                found[key] = written[key] = Node(props, 1, source, origin.record_key)
            elif any(node.props.get(k) != v for k, v in props.items()):
                node.props |= props
                node.version += 1
                node.source, node.record = source, origin.record_key
                written[key] = node
        self.put_nodes(label, written)
        self.flush()
        if label in STRUCTURE:
            self.structure(label, found)

    def structure(self, label: Label, nodes: dict[str, Node]) -> None:
        """The structural relationship to the node's target, if that exists: a new one (to
        a new target) takes the node's provenance; one already there keeps its own."""
        rel, target, key_of = STRUCTURE[label]
        wanted = {key: key_of(node.props) for key, node in nodes.items()}
        present = self.existing(target, [k for k in wanted.values() if k])
        had = dict(self.db.execute(
            "SELECT key, tkey FROM structure WHERE label = ? "
            "AND key IN (SELECT value FROM json_each(?))",
            (label.value, as_json(list(wanted))),
        ).fetchall())  # fmt: skip
        self.db.executemany(
            "INSERT OR REPLACE INTO structure VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (label.value, key, rel.value, target.value, to, nodes[key].source,
                 nodes[key].record)
                for key, to in wanted.items()
                if to in present and had.get(key) != to
            ],
        )  # fmt: skip

    def links(self, spec: RelSpec, links: Sequence[StatedLink], source: str) -> set[int]:
        """`links.upsert_statement` (by natural keys): the positions of the links written;
        the others lack an endpoint."""
        sources = self.existing(spec.source, [link[0] for link in links])
        targets = self.existing(spec.target, [link[1] for link in links])
        written = {position for position, link in enumerate(links)
                   if link[0] in sources and link[1] in targets}  # fmt: skip
        stated: dict[tuple[str, str, str], tuple[dict[str, Any], dict[str, Any], Origin]] = {}
        for position in sorted(written):
            source_key, target_key, key, props, period, origin = links[position]
            at = (source_key, target_key, key)
            stated[at] = ((stated[at][0] if at in stated else {}) | props, period, origin)
            self.describe(source, origin, spec.source, source_key,
                          origin.match_key or KEY[spec.source])  # fmt: skip
            if spec.source is spec.target:
                self.describe(source, origin, spec.target, target_key, KEY[spec.target],
                              role="target")  # fmt: skip
        rels = self.get_rels(spec, list(stated))
        changed = {}
        for at, (props, period, origin) in stated.items():
            rel = rels.get(at)
            if rel is None:
                rel = [props | {k: v for k, v in period.items() if v is not None}, 1]
            else:
                had = rel[0]
                if not any(
                    not (had.get(k) is None and v is None) and had.get(k) != v
                    for k, v in (props | period).items()
                ):
                    continue  # unchanged: not written, its provenance stays
                rel[1] += 1
                had |= props
                for k, v in period.items():
                    if v is None:
                        had.pop(k, None)
                    else:
                        had[k] = v
            rel[2:] = [source, origin.record_key]
            changed[at] = rel
        self.put_rels(spec, changed)
        self.flush()
        return written

    def member_of(self, people: Sequence[str]) -> None:
        """`links.DERIVED[MEMBER_OF]`: a person's division code is their current household's
        (the current membership that started last), none without one."""
        unique = list(dict.fromkeys(people))
        found = self.get_nodes(Label.PERSON, unique)
        current: dict[str, str | None] = {}
        rows = self.db.execute(
            "SELECT skey, tkey, json_extract(props, '$.since') FROM rels "
            "WHERE rel = 'MEMBER_OF' AND slabel = 'Person' AND tlabel = 'Household' "
            "AND skey IN (SELECT value FROM json_each(?)) "
            "AND json_extract(props, '$.until') IS NULL",
            (as_json(list(found)),),
        ).fetchall()
        latest: dict[str, tuple[str, str]] = {}  # person → (since, household); no since first
        for person, household, since in rows:
            order = "9999" if since is None else since
            if person not in latest or order > latest[person][0]:
                latest[person] = (order, household)
        households = self.get_nodes(Label.HOUSEHOLD, [h for _, h in latest.values()])
        for person in found:
            household = households.get(latest[person][1]) if person in latest else None
            current[person] = household.props.get("divisionCode") if household else None
        self.kinds.setdefault((Label.PERSON.value, "divisionCode"), "string")
        changed = {}
        for person, node in found.items():
            if node.props.get("divisionCode") != current[person]:
                if current[person] is None:
                    node.props.pop("divisionCode", None)
                else:
                    node.props["divisionCode"] = current[person]
                node.version += 1
                changed[person] = node
        self.put_nodes(Label.PERSON, changed)

    def describe(
        self, source: str, origin: Origin, label: Label, key: str, match_key: str,
        role: str | None = None,
    ) -> None:  # fmt: skip
        """The row's `SourceRecord` (`provenance.RECORD`) and its `DESCRIBES` link (written
        by `flush`, in order)."""
        record = f"{source}:{origin.record_key}"
        self.records.append((record, source, origin.record_key, origin.file, origin.line))
        self.described.append((record, label.value, key, match_key, origin.score, role))

    def flush(self) -> None:
        self.db.executemany(
            "INSERT INTO records VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
            "file = excluded.file, line = excluded.line",
            self.records,
        )
        self.db.executemany(
            "INSERT INTO describes VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
            "matchKey = excluded.matchKey, score = excluded.score, "
            "role = coalesce(excluded.role, role)",
            self.described,
        )
        self.records.clear()
        self.described.clear()

    # --- reading and writing the store -------------------------------------------------

    def get_nodes(self, label: Label, keys: Sequence[str]) -> dict[str, Node]:
        """The nodes there of `keys` (a node got from here is written back if changed)."""
        found = {key: node for key in keys if (node := self.recent.get((label, key)))}
        rest = [key for key in keys if key not in found]
        if rest:
            rows = self.db.execute(
                "SELECT key, props, version, source, record FROM nodes WHERE label = ? "
                "AND key IN (SELECT value FROM json_each(?))",
                (label.value, as_json(rest)),
            )
            found |= {key: Node(orjson.loads(props), version, source, record)
                      for key, props, version, source, record in rows}  # fmt: skip
        return found

    def put_nodes(self, label: Label, nodes: dict[str, Node]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO nodes VALUES (?, ?, ?, ?, ?, ?)",
            [(label.value, key, as_json(n.props), n.version, n.source, n.record)
             for key, n in nodes.items()],
        )  # fmt: skip
        if len(self.recent) > RECENT:
            self.recent.clear()
        self.recent.update(((label, key), node) for key, node in nodes.items())

    def existing(self, label: Label, keys: Sequence[str]) -> set[str]:
        there = {key for key in keys if (label, key) in self.recent}
        rest = [key for key in keys if key not in there]
        if not rest:
            return there
        rows = self.db.execute(
            "SELECT key FROM nodes WHERE label = ? AND key IN (SELECT value FROM json_each(?))",
            (label.value, as_json(rest)),
        )
        return there | {key for (key,) in rows}

    def get_rels(
        self, spec: RelSpec, ats: Sequence[tuple[str, str, str]]
    ) -> dict[tuple[str, str, str], list[Any]]:
        rows = self.db.execute(
            "SELECT skey, tkey, key, props, version, source, record FROM rels "
            "WHERE rel = ? AND slabel = ? AND tlabel = ? AND (skey, tkey, key) IN ("
            "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), "
            "json_extract(value, '$[2]') FROM json_each(?))",
            (spec.rel.value, spec.source.value, spec.target.value, as_json(list(ats))),
        )
        return {(s, t, k): [orjson.loads(props), version, source, record]
                for s, t, k, props, version, source, record in rows}  # fmt: skip

    def put_rels(self, spec: RelSpec, rels: dict[tuple[str, str, str], list[Any]]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO rels VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(spec.rel.value, spec.source.value, s, spec.target.value, t, k,
              as_json(props), version, source, record)
             for (s, t, k), (props, version, source, record) in rels.items()],
        )  # fmt: skip

    def rows(self, query: str, *params: Any) -> Iterator[tuple[Any, ...]]:
        yield from self.db.execute(query, params)
