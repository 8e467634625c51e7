"""Writes of one entity or relationship at a time, as the API's mutations ask for them.

Each write is one managed transaction that locks what it changes, checks the version the
writer read (optimistic concurrency: `StaleVersion` when another write came first), writes
with the statements ingest uses, and records its change events in the same transaction.
Expected failures raise the graph layer's errors (`NotFound`, `Conflict`, `StaleVersion`,
`InvalidWrite`, or pydantic's `ValidationError` for a field) and write nothing.

What a write states is provenance like any registry's row: source `api`, one source record
per call (`<mutation>/<random>`), describing the entities it wrote.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from typing import Any, LiteralString, TypeVar
from uuid import uuid4

import neo4j.exceptions

from civgraph.graph.catalog import KEY, LABEL_TEXT, REL_TEXT, Label, Rel, RelSpec
from civgraph.graph.changes import Context, Outbox
from civgraph.graph.driver import Graph, Row, Transaction
from civgraph.graph.errors import Conflict, InvalidWrite, NotFound, StaleVersion
from civgraph.graph.links import DERIVED, NO_PERIOD, STANDARD, LinkInput, link_statements
from civgraph.graph.models import (
    FIELDS,
    STORED_CONTEXT,
    EnrollmentStatus,
    LinkFields,
    NodeFields,
    Stored,
    link_fields,
    node_fields,
    stored,
)
from civgraph.graph.nodes import STRUCTURE, by_id_statement, by_key_statement, node_statements
from civgraph.graph.nodes import natural_key as key_of
from civgraph.graph.provenance import RECORD, Origin, describes
from civgraph.graph.scope import EVERYTHING, Scope, division_of, in_scope

T = TypeVar("T")
SOURCE = "api"  # the provenance source of everything the API writes
# Properties that are bookkeeping, not facts: left out of a deleted entity's fields.
BOOKKEEPING: LiteralString = (
    "['id', 'version', 'source', 'recordKey', 'firstSeen', 'lastSeen', 'key']"
)
# A relationship's own structural links (to its parent region, community, …) go with it.
OWN_STRUCTURE: LiteralString = "['PART_OF', 'REGISTERED_IN', 'LOCATED_IN']"


@dataclass(frozen=True, slots=True)
class Write:
    """A write's name (the mutation's), who asked for it and the region it may touch (its
    principal's scope; the system's is EVERYTHING). Outside it, entities look absent."""

    name: str
    actor: str
    scope: Scope

    def check_region(self, record: NodeFields) -> None:
        """A record placed outside the scope is refused (it could not be read back)."""
        if not self.scope.sees(record.label, record):
            code = division_of(record.label, record)
            raise InvalidWrite("divisionCode", f"{code or 'no region'} is outside your region")

    def outbox(self) -> Outbox:
        return Outbox(Context(f"{SOURCE}:{self.name}", self.actor))

    def origin(self) -> Origin:
        """A fresh source record for one call (made before the transaction, so that a retried
        transaction writes the same one)."""
        return Origin(f"{self.name}/{uuid4().hex}")


@dataclass(frozen=True, slots=True)
class Relationship:
    """A relationship as a write leaves it."""

    spec: RelSpec
    source_id: str
    target_id: str
    key: str
    version: int
    since: date | None
    until: date | None
    properties: dict[str, Any]

    @property
    def id(self) -> str:
        """As the change feed names it."""
        return f"{self.source_id}>{self.spec.rel}>{self.target_id}@{self.key}"


@dataclass(frozen=True, slots=True)
class Deleted:
    id: str
    relationships: int  # how many relationships went with it


# --- statements ----------------------------------------------------------------------


@cache
def lock_statement(label: Label, by: LiteralString) -> LiteralString:
    """Write-locks a node (by platform id or natural key) and returns it: what the writer
    reads after the lock is what it overwrites, so two writers cannot both pass a check."""
    return (
        "MATCH (n:" + LABEL_TEXT[label] + " {" + by + ": $key}) WHERE " + in_scope("n", label) + " "
        "SET n._lock = true REMOVE n._lock RETURN n {.*} AS node"
    )


@cache
def update_statement(label: Label) -> LiteralString:
    """Sets `$props` on a node by id (a null removes the property); records what changed."""
    name = LABEL_TEXT[label]
    return (
        "MATCH (n:" + name + " {id: $id}) "
        "WITH n, [k IN keys($props) WHERE NOT (n[k] IS NULL AND $props[k] IS NULL) "
        "AND (n[k] IS NULL OR $props[k] IS NULL OR n[k] <> $props[k]) "
        "| [k, n[k], $props[k]]] AS changed "
        "SET n += $props, n.source = $source, n.recordKey = $row.recordKey, "
        "n.lastSeen = datetime(), n.version = coalesce(n.version, 0) + "
        "CASE WHEN size(changed) > 0 THEN 1 ELSE 0 END "
        "WITH n, changed, $row AS row" + RECORD + describes("n", "matchKey", "score") + " "
        "RETURN CASE WHEN size(changed) > 0 THEN [{operation: 'NODE_UPDATED', "
        "entity: '" + name + "', entityId: n.id, fields: changed, regionCode: n.divisionCode, "
        "programs: []}] ELSE [] END AS changes"
    )


@cache
def attached_statement(label: Label) -> LiteralString:
    """A node's relationships by type, besides its provenance and its own structural links."""
    return (
        "MATCH (n:" + LABEL_TEXT[label] + " {id: $id})-[r]-() "
        "WHERE type(r) <> 'DESCRIBES' AND NOT (startNode(r) = n AND type(r) IN "
        + OWN_STRUCTURE
        + ") RETURN type(r) AS type, count(*) AS count ORDER BY type"
    )


# The change event of deleting relationship `r` from `s` to `t`.
RELATIONSHIP_GONE: LiteralString = (
    "{operation: 'RELATIONSHIP_DELETED', entity: type(r), "
    "entityId: s.id + '>' + type(r) + '>' + t.id + '@' + r.key, "
    "fields: [k IN keys(r) WHERE NOT k IN " + BOOKKEEPING + " | [k, r[k], null]], "
    "regionCode: coalesce(s.divisionCode, t.divisionCode), "
    "programs: CASE WHEN t:Program THEN [t.code] ELSE [] END}"
)


@cache
def delete_statement(label: Label) -> LiteralString:
    """Deletes a node with its relationships; returns their change events and the people
    whose household membership went with it."""
    name = LABEL_TEXT[label]
    return (
        "MATCH (n:" + name + " {id: $id}) "
        "OPTIONAL MATCH (n)-[r]-() WHERE type(r) <> 'DESCRIBES' "
        "WITH n, r, startNode(r) AS s, endNode(r) AS t "
        "WITH n, collect(CASE WHEN r IS NOT NULL THEN " + RELATIONSHIP_GONE + " END) AS gone, "
        "collect(CASE WHEN type(r) = 'MEMBER_OF' THEN s.id END) AS members "
        "WITH n, gone, members, {operation: 'NODE_DELETED', entity: '" + name + "', "
        "entityId: n.id, fields: [k IN keys(n) WHERE NOT k IN " + BOOKKEEPING + " "
        "| [k, n[k], null]], regionCode: n.divisionCode, programs: []} AS deleted "
        "DETACH DELETE n "
        "RETURN gone + [deleted] AS changes, members"
    )  # fmt: skip


def link_pattern(spec: RelSpec) -> LiteralString:
    return (
        "MATCH (s:" + LABEL_TEXT[spec.source] + " {id: $sourceId})-[r:" + REL_TEXT[spec.rel]
        + " {key: $key}]->(t:" + LABEL_TEXT[spec.target] + " {id: $targetId}) "
    )  # fmt: skip


@cache
def lock_link_statement(spec: RelSpec) -> LiteralString:
    """Write-locks a relationship whose source lies in `$scope` and returns it."""
    return (
        link_pattern(spec) + "WHERE " + in_scope("s", spec.source) + " "
        "SET r._lock = true REMOVE r._lock RETURN r {.*} AS rel"
    )


@cache
def read_link_statement(spec: RelSpec) -> LiteralString:
    return link_pattern(spec) + "RETURN r {.*} AS rel"


@cache
def unlink_statement(spec: RelSpec) -> LiteralString:
    return (
        link_pattern(spec) + "WITH r, " + RELATIONSHIP_GONE + " AS gone "
        "DELETE r RETURN [gone] AS changes"
    )


@cache
def endpoints_statement(spec: RelSpec) -> LiteralString:
    return (
        "OPTIONAL MATCH (s:" + LABEL_TEXT[spec.source] + " {id: $sourceId}) "
        "OPTIONAL MATCH (t:" + LABEL_TEXT[spec.target] + " {id: $targetId}) "
        "RETURN s IS NOT NULL AND " + in_scope("s", spec.source) + " AS source, "
        "t IS NOT NULL AND " + in_scope("t", spec.target) + " AS target"
    )


# --- nodes ---------------------------------------------------------------------------


async def create_node(graph: Graph, record: NodeFields, write: Write) -> Stored:
    """Creates a node; `Conflict` when one with its natural key exists."""
    label, key, origin = record.label, key_of(record), write.origin()
    write.check_region(record)

    async def work(tx: Transaction) -> Stored:
        results = await tx.run_all(node_statements([record], SOURCE, [origin]))
        written = await read_node(tx, label, by_key_statement(label), key)
        if not any(c["operation"] == "NODE_CREATED" for c in results[0][0]["changes"]):
            raise taken(label, key, written.id)  # it existed: raising rolls the merge back
        return written

    return await transact(graph, work, write)


async def upsert_node(
    graph: Graph, record: NodeFields, write: Write, version: int | None = None
) -> Stored:
    """Creates the node with the record's natural key or updates it (`version`, if given,
    must be the stored one: `NotFound` when there is none)."""
    label, key, origin = record.label, key_of(record), write.origin()
    write.check_region(record)

    async def work(tx: Transaction) -> Stored:
        # a key is taken wherever its node lies: looked for everywhere, then hidden if outside
        rows = await tx.run(lock_statement(label, KEY[label]), key=key, scope=EVERYTHING.prefix)
        if rows and not await visible(tx, label, rows[0]["node"]["id"], write.scope):
            raise taken(label, key, None)  # someone else's: as if taken, naming no id
        if version is not None:
            if not rows:
                raise NotFound(label, key)
            check_version(label, rows[0]["node"], version)
        await tx.run_all(node_statements([record], SOURCE, [origin]))
        return await read_node(tx, label, by_key_statement(label), key)

    return await transact(graph, work, write)


async def update_node(
    graph: Graph, label: Label, id: str, patch: Mapping[str, Any], version: int, write: Write
) -> Stored:
    """Changes some fields of a node (by their Python names; None clears one): the result is
    validated as a whole, as ingest validates a row."""
    origin = write.origin()

    async def work(tx: Transaction) -> Stored:
        current = await lock(tx, label, id, write.scope)
        check_version(label, current, version)
        record = patched(label, current, patch)
        write.check_region(record)
        key = key_of(record)
        if key != current.get(KEY[label]):
            await refuse_taken(tx, label, key, id)
        props = record.properties()
        cleared = {
            name: None for name in model_keys(label) if name in current and name not in props
        }
        row = origin.row(KEY[label])
        await tx.run(update_statement(label), id=id, props=props | cleared, row=row, source=SOURCE)
        if label in STRUCTURE:
            await tx.run(STRUCTURE[label], keys=[key])
        return await read_node(tx, label, by_id_statement(label), id)

    return await transact(graph, work, write)


async def delete_node(
    graph: Graph, label: Label, id: str, version: int, write: Write, *, detach: bool = False
) -> Deleted:
    """Deletes a node; with relationships (besides its provenance and its own place in the
    division tree) only when `detach`, and then they go too, each with its event."""

    async def work(tx: Transaction) -> Deleted:
        check_version(label, await lock(tx, label, id, write.scope), version)
        if not detach:
            attached = await tx.run(attached_statement(label), id=id)
            if attached:
                counts = ", ".join(f"{row['count']} {row['type']}" for row in attached)
                raise Conflict(
                    f"{label} {id!r} still has relationships ({counts}): end or unlink them, "
                    "or delete with detach"
                )
        rows = await tx.run(delete_statement(label), id=id)
        members = [{"sourceId": member, "sourceKey": None} for member in rows[0]["members"]]
        if members:
            await tx.run(DERIVED[Rel.MEMBER_OF], rows=members)
        return Deleted(id, len(rows[0]["changes"]) - 1)

    return await transact(graph, work, write)


# --- relationships -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ends:
    """Which relationship: its type and endpoints (platform ids) and its key."""

    spec: RelSpec
    source_id: str
    target_id: str
    key: str = NO_PERIOD

    def params(self) -> dict[str, str]:
        return {"sourceId": self.source_id, "targetId": self.target_id, "key": self.key}


async def link(
    graph: Graph,
    ends: Ends,
    props: LinkFields,
    write: Write,
    *,
    since: date | None = None,
    until: date | None = None,
    version: int | None = None,
) -> Relationship:
    """Creates the relationship or updates it (its key: the start of its period, or for one
    without a period the `ends.key` given); `version`, if given, must be the stored one."""
    spec = ends.spec
    if spec.period:
        if ends.key != NO_PERIOD:
            raise InvalidWrite("key", f"{spec.rel} is told apart by its start (`since`), not a key")
        if since and until and until < since:
            raise InvalidWrite("until", f"the period ends ({until}) before it starts ({since})")
        ends = replace(ends, key=since.isoformat() if since else NO_PERIOD)
    elif since or until:
        raise InvalidWrite("since", f"{spec.rel} has no period")
    written = LinkInput(
        "", "", props, since, until, write.origin(), ends.source_id, ends.target_id, ends.key
    )

    async def work(tx: Transaction) -> Relationship:
        found = (
            await tx.run(endpoints_statement(spec), **ends.params(), scope=write.scope.prefix)
        )[0]
        for end, label, id in (("source", spec.source, ends.source_id),
                               ("target", spec.target, ends.target_id)):  # fmt: skip
            if not found[end]:
                raise NotFound(label, id)
        if version is not None:
            check_version(spec.rel, await lock_link(tx, ends, write.scope), version)
        await tx.run_all(link_statements(spec, [written], SOURCE))
        return await read_link(tx, ends)

    return await transact(graph, work, write)


async def end_link(
    graph: Graph, ends: Ends, until: date, write: Write, version: int | None = None
) -> Relationship:
    """Ends a relationship's period on `until` (an enrollment's status becomes ENDED)."""
    spec, origin = ends.spec, write.origin()
    if not spec.period:
        raise InvalidWrite("until", f"{spec.rel} has no period to end")

    async def work(tx: Transaction) -> Relationship:
        current = await lock_link(tx, ends, write.scope)
        if version is not None:
            check_version(spec.rel, current, version)
        since = current.get("since")
        if since and until < since:
            raise InvalidWrite("until", f"the period ends ({until}) before it starts ({since})")
        props = link_fields(spec.rel).model_validate(current, context=STORED_CONTEXT)
        if spec.rel is Rel.ENROLLED_IN:
            props = props.model_copy(update={"status": EnrollmentStatus.ENDED})
        ended = LinkInput(
            "", "", props, since, until, origin, ends.source_id, ends.target_id, ends.key
        )
        await tx.run_all(link_statements(spec, [ended], SOURCE))
        return await read_link(tx, ends)

    return await transact(graph, work, write)


async def unlink(graph: Graph, ends: Ends, write: Write, version: int | None = None) -> str:
    """Deletes a relationship (one recorded by mistake; `end_link` ends one that held);
    returns its id."""

    async def work(tx: Transaction) -> str:
        current = await lock_link(tx, ends, write.scope)
        if version is not None:
            check_version(ends.spec.rel, current, version)
        await tx.run(unlink_statement(ends.spec), **ends.params())
        if ends.spec.rel in DERIVED:
            await tx.run(DERIVED[ends.spec.rel], rows=[{"sourceId": ends.source_id}])
        return f"{ends.source_id}>{ends.spec.rel}>{ends.target_id}@{ends.key}"

    return await transact(graph, work, write)


# --- helpers -------------------------------------------------------------------------


async def transact(graph: Graph, work: Callable[[Transaction], Awaitable[T]], write: Write) -> T:
    try:
        return await graph.transact(work, write.outbox())
    except neo4j.exceptions.ConstraintError as error:  # a race the checks could not see
        raise Conflict(f"the write conflicts with one that came first: {error.message}") from error


async def lock(tx: Transaction, label: Label, id: str, scope: Scope) -> Row:
    rows = await tx.run(lock_statement(label, "id"), key=id, scope=scope.prefix)
    if not rows:
        raise NotFound(label, id)
    node: Row = rows[0]["node"]
    return node


async def lock_link(tx: Transaction, ends: Ends, scope: Scope) -> Row:
    rows = await tx.run(lock_link_statement(ends.spec), **ends.params(), scope=scope.prefix)
    if not rows:
        what = f"{ends.spec.rel} relationship"
        raise NotFound(what, f"{ends.source_id}>{ends.target_id}@{ends.key}")
    rel: Row = rows[0]["rel"]
    return rel


def check_version(what: str, current: Row, expected: int) -> None:
    actual = int(current.get("version") or 0)
    if actual != expected:
        raise StaleVersion(what, str(current.get("id", "")), expected, actual)


def taken(label: Label, key: str, existing: str | None) -> Conflict:
    return Conflict(f"a {label} with {KEY[label]} {key!r} exists already", existing, label)


async def refuse_taken(tx: Transaction, label: Label, key: str, other_than: str | None) -> None:
    rows = await tx.run(by_key_statement(label), keys=[key], scope=EVERYTHING.prefix)  # anywhere
    if rows and rows[0]["node"]["id"] != other_than:
        raise taken(label, key, rows[0]["node"]["id"])


def model_keys(label: Label) -> dict[str, str]:
    """Stored property name → field name of the label's fields model."""
    model = FIELDS[label]
    return {field.alias or name: name for name, field in model.model_fields.items()}


def patched(label: Label, current: Row, patch: Mapping[str, Any]) -> NodeFields:
    values = {name: current[stored_as] for stored_as, name in model_keys(label).items()
              if stored_as in current}  # fmt: skip
    return node_fields(label, values | dict(patch))


async def visible(tx: Transaction, label: Label, id: str, scope: Scope) -> bool:
    return bool(await tx.run(by_id_statement(label), keys=[id], scope=scope.prefix))


async def read_node(tx: Transaction, label: Label, statement: LiteralString, key: str) -> Stored:
    """The node as the write left it (the write checked the scope before)."""
    rows = await tx.run(statement, keys=[key], scope=EVERYTHING.prefix)
    return stored(label, rows[0]["node"])


async def read_link(tx: Transaction, ends: Ends) -> Relationship:
    rel = (await tx.run(read_link_statement(ends.spec), **ends.params()))[0]["rel"]
    return Relationship(
        spec=ends.spec,
        source_id=ends.source_id,
        target_id=ends.target_id,
        key=rel["key"],
        version=int(rel.get("version") or 0),
        since=rel.get("since"),
        until=rel.get("until"),
        properties={k: v for k, v in rel.items() if k not in STANDARD and k != "version"},
    )
