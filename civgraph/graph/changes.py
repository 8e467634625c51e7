"""The change feed's outbox: every committed write records its change events in the same
transaction, under a cursor that orders all events totally, in commit order.

Statements that change entities return a `changes` column: a list of maps, one per
entity changed, collected into one row so that the driver decodes one record per
statement. Each map holds the operation, entity type and id, the changed fields with their
values before and after, and the region and programs the change concerns.

`Outbox.statements` turns a transaction's changes into one last statement that takes the
next number of the `ChangeSequence` counter and creates one `ChangeBatch` node holding the
transaction's events (JSON, with the entity types, programs and regions they concern, for
filtering whole batches out). Taking the number write-locks the counter until the
transaction commits, so transactions take numbers in commit order and never the same one,
whichever process or driver they come from; an event's cursor is its transaction's number
and its index in the transaction. A transaction that changed nothing takes no number.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any, LiteralString

from civgraph.graph.driver import Graph, Row, Statement
from civgraph.graph.errors import GraphError
from civgraph.graph.identifiers import DivisionCode
from civgraph.graph.scope import Scope, Scoped, within


class Operation(StrEnum):
    NODE_CREATED = "NODE_CREATED"
    NODE_UPDATED = "NODE_UPDATED"
    NODE_DELETED = "NODE_DELETED"
    RELATIONSHIP_CREATED = "RELATIONSHIP_CREATED"
    RELATIONSHIP_UPDATED = "RELATIONSHIP_UPDATED"
    RELATIONSHIP_ENDED = "RELATIONSHIP_ENDED"  # its period got an end (`until`)
    RELATIONSHIP_DELETED = "RELATIONSHIP_DELETED"
    # The graph was loaded anew (`civgraph load --initial`): history begins here, and a
    # consumer resynchronises (reads the graph again) instead of applying earlier events.
    INITIAL_LOAD = "INITIAL_LOAD"


@dataclass(frozen=True, slots=True)
class Context:
    """Who and what caused a transaction's changes."""

    source: str  # `ingest:<source>` or the mutation's name
    actor: str


SYSTEM = "civgraph"  # the actor of writes no person asked for (demo data, reference data)

RECORD: LiteralString = """
MERGE (s:ChangeSequence {id: 'changes'})
ON CREATE SET s.value = 0
SET s.value = s.value + 1
CREATE (b:ChangeBatch {
  tx: s.value, count: $count, events: $events, types: $types, programs: $programs,
  regions: $regions, source: $source, actor: $actor, at: datetime()
})
"""


# The marker of a new beginning: a batch every consumer gets, whatever it filters on.
MARK: LiteralString = RECORD + "SET b.resync = true"


def plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def event(change: dict[str, Any]) -> dict[str, Any]:
    """A `change` column's map as it is kept (values as JSON has them)."""
    fields = {name: {"before": plain(before), "after": plain(after)}
              for name, before, after in change.get("fields") or []}  # fmt: skip
    return {
        "operation": change["operation"],
        "entity": change["entity"],
        "entityId": change["entityId"],
        "fields": fields,
        "regionCode": change.get("regionCode"),
        "programs": list(change.get("programs") or []),
    }


@dataclass(frozen=True, slots=True)
class Outbox:
    """Records a transaction's changes as one batch of events, in the same transaction."""

    context: Context

    def statements(self, results: Sequence[Sequence[Row]]) -> list[Statement]:
        events = [event(c) for rows in results for row in rows for c in row.get("changes", ())]
        if not events:
            return []
        params = {
            "events": json.dumps(events, ensure_ascii=False),
            "count": len(events),
            "types": sorted({e["entity"] for e in events}),
            "programs": sorted({p for e in events for p in e["programs"]}),
            "regions": sorted({e["regionCode"] for e in events if e["regionCode"]}),
            "source": self.context.source,
            "actor": self.context.actor,
        }
        return [(RECORD, params)]


async def mark_initial_load(graph: Graph, context: Context, fields: dict[str, Any]) -> None:
    """Records the `INITIAL_LOAD` marker: the feed's history begins after it."""
    change = {
        "operation": Operation.INITIAL_LOAD.value,
        "entity": "Graph",
        "entityId": "initial-load",
        "fields": [[name, None, value] for name, value in fields.items()],
    }
    [(_, params)] = Outbox(context).statements([[{"changes": [change]}]])
    await graph.write(MARK, **params)


async def initial_load_marked(graph: Graph) -> bool:
    rows = await graph.read("MATCH (b:ChangeBatch {resync: true}) RETURN count(b) AS marks")
    return bool(rows[0]["marks"])


class InvalidChangeCursor(GraphError, ValueError):
    """A change cursor this server did not issue."""


class CursorExpired(GraphError):
    """A change cursor older than the retention: the events after it are gone."""


class CursorAhead(InvalidChangeCursor):
    """A well-formed change cursor beyond the newest transaction: never issued here (made
    up, or from a database since replaced). Answering it with nothing would leave its
    holder waiting, then skipping every event up to it."""


@dataclass(frozen=True, slots=True, order=True)
class Cursor:
    """Where an event stands: its transaction's number, then its index in it."""

    tx: int
    index: int

    def encode(self) -> str:
        return f"{self.tx}.{self.index}"

    @classmethod
    def decode(cls, text: str) -> Cursor:
        tx, _, index = text.partition(".")
        if not (tx.isdigit() and index.isdigit()):
            raise InvalidChangeCursor(f"change cursor {text!r} is not one this API issued")
        return cls(int(tx), int(index))


START = Cursor(0, -1)  # before every event


@dataclass(frozen=True, slots=True)
class ChangeEvent:
    cursor: Cursor
    operation: Operation
    entity: str
    entity_id: str
    fields: dict[str, dict[str, Any]]  # name → {"before": …, "after": …}
    region_code: str | None
    programs: tuple[str, ...]
    source: str
    actor: str
    at: datetime

    @classmethod
    def unpack(cls, batch: Row) -> list[ChangeEvent]:
        """The events of a `ChangeBatch` node; none when the node was deleted (pruned) while
        it was read: its properties then read as empty."""
        if "events" not in batch:
            return []
        return [
            cls(
                cursor=Cursor(batch["tx"], index),
                operation=Operation(event["operation"]),
                entity=event["entity"],
                entity_id=event["entityId"],
                fields=event["fields"],
                region_code=event.get("regionCode"),
                programs=tuple(event.get("programs") or ()),
                source=batch["source"],
                actor=batch["actor"],
                at=batch["at"],
            )
            for index, event in enumerate(json.loads(batch["events"]))
        ]


@dataclass(frozen=True, slots=True)
class ChangeFilter:
    """Which events a consumer wants; None: any. What it may see is not a filter's to say:
    `within(scope)` narrows it (`read_changes` and the change hub do)."""

    types: frozenset[str] | None = None  # entity types: labels and relationship types
    programs: frozenset[str] | None = None
    region: DivisionCode | None = None  # the region and everything below it
    operations: frozenset[Operation] | None = None
    # The division-code prefix every matching event's region starts with (worked out once:
    # `matches` runs for every event and every subscriber).
    prefix: str | None = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "prefix", self.region.prefix if self.region else None)

    def within(self, scope: Scope) -> ChangeFilter:
        """The filter as a consumer scoped to `scope` may have it: events outside the scope,
        and (for a scoped consumer) events without a region, never match."""
        narrowed = replace(self)
        object.__setattr__(narrowed, "prefix", scope.narrow(self.prefix or "") or None)
        return narrowed

    def matches(self, event: ChangeEvent) -> bool:
        prefix = self.prefix
        return event.operation is Operation.INITIAL_LOAD or (
            (self.types is None or event.entity in self.types)
            and (self.programs is None or not self.programs.isdisjoint(event.programs))
            and (prefix is None or (event.region_code or "").startswith(prefix))
            and (self.operations is None or event.operation in self.operations)
        )

    def params(self) -> dict[str, Any]:
        return {
            "types": sorted(self.types) if self.types is not None else None,
            "programs": sorted(self.programs) if self.programs is not None else None,
            "region": self.prefix,
            "operations": sorted(self.operations) if self.operations is not None else None,
        }


ALL_CHANGES = ChangeFilter()

# Batches that may hold wanted events after a cursor; their events are filtered exactly.
READ: LiteralString = (
    """
MATCH (b:ChangeBatch)
WHERE b.tx >= $tx AND (b.resync OR
  ($types IS NULL OR any(t IN b.types WHERE t IN $types))
  AND ($programs IS NULL OR any(p IN b.programs WHERE p IN $programs))
  AND ($region IS NULL OR any(r IN b.regions WHERE """
    + within("r", "$region")
    + """)))
WITH b ORDER BY b.tx LIMIT $batches
RETURN b.tx AS tx, b {.*} AS batch
"""
)
BATCHES = 20  # read at a time


PRUNED: LiteralString = """
OPTIONAL MATCH (s:ChangeSequence {id: 'changes'})
RETURN s.prunedTx AS tx, s.prunedIndex AS index, s.value AS last
"""


async def pruned_through(graph: Graph) -> tuple[Cursor | None, int]:
    """The last pruned event's cursor (None if none was), and the last transaction number."""
    rows = await graph.read(PRUNED)
    row = rows[0] if rows else {}
    pruned = Cursor(row["tx"], row["index"]) if row.get("tx") is not None else None
    return pruned, int(row.get("last") or 0)


async def read_changes(
    scoped: Scoped,
    after: Cursor | None,
    limit: int,
    only: ChangeFilter = ALL_CHANGES,
    *,
    checked: bool = True,
) -> list[ChangeEvent]:
    """The events after `after` (from the oldest kept when None) that `only` wants and the
    scope may see, oldest first; refuses a cursor older than the retention (`CursorExpired`):
    the events after it are gone, and one beyond the newest transaction (`CursorAhead`). A
    caller that checked already passes `checked=False`."""
    if checked and after is not None:
        check(after, *await pruned_through(scoped.graph))
    start, found = after or START, list[ChangeEvent]()
    only = only.within(scoped.scope)
    params = only.params()
    while len(found) < limit:
        rows = await scoped.read(READ, tx=start.tx, batches=BATCHES, **params)
        for row in rows:
            found += [
                e for e in ChangeEvent.unpack(row["batch"]) if e.cursor > start and only.matches(e)
            ]
        read = [row["tx"] for row in rows if row["tx"] is not None]  # None: deleted meanwhile
        if len(rows) < BATCHES or not read:
            break
        start = Cursor(max(read) + 1, -1)  # before the next batch
    return found[:limit]


def check(after: Cursor, pruned: Cursor | None, last: int) -> None:
    if pruned is not None and after < pruned:
        raise CursorExpired(
            f"change cursor {after.encode()} is older than the retention (events up to "
            f"{pruned.encode()} were pruned): resynchronise, then resume from a new cursor"
        )
    if after.tx > last:
        raise CursorAhead(
            f"change cursor {after.encode()} is beyond the newest event (transaction {last}): "
            "not one this feed issued. Resume from a cursor you received, or leave `after` "
            "out to start from the oldest event kept (if the database was restored or "
            "replaced, resynchronise)"
        )


PRUNE: LiteralString = """
MATCH (b:ChangeBatch) WHERE b.at < $before
WITH b ORDER BY b.tx DESC LIMIT 1
MATCH (s:ChangeSequence {id: 'changes'})
SET s.prunedTx = b.tx, s.prunedIndex = b.count - 1
RETURN b.tx AS tx, b.count - 1 AS index
"""
DELETE_THROUGH: LiteralString = """
MATCH (b:ChangeBatch) WHERE b.tx <= $tx
CALL (b) { DELETE b } IN TRANSACTIONS OF 1000 ROWS
"""


async def prune(graph: Graph, before: datetime) -> Cursor | None:
    """Deletes the events recorded before `before` (and any older by cursor); returns the
    last pruned cursor, which `read_changes` refuses to resume before."""
    rows = await graph.write(PRUNE, before=before)
    if not rows:
        return None
    last = Cursor(rows[0]["tx"], rows[0]["index"])
    await graph.run_auto(DELETE_THROUGH, tx=last.tx)
    return last
