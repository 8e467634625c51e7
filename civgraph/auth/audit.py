"""The audit log: who did what, when, with which variables (personal data redacted), how
much came back and how it ended. Kept as `AuditEntry` nodes in Neo4j (durable, shared by
every API process, queryable by admins), written in batches by one task per process so
that a request does not wait for its entry.

An entry is lost only if the process dies within `FLUSH_SECONDS` of the request; entries
that cannot be written (Neo4j down) are kept and retried, up to `MAX_PENDING`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, LiteralString

import structlog
from pydantic.alias_generators import to_camel

from civgraph.auth.policy import redact
from civgraph.auth.principal import Principal
from civgraph.graph.driver import Graph
from civgraph.graph.errors import GraphError

log = structlog.get_logger(__name__)
FLUSH_SECONDS = 0.5
MAX_PENDING = 50_000

WRITE: LiteralString = """
UNWIND $entries AS e
CREATE (a:AuditEntry) SET a = e, a.at = datetime(e.at)
"""
READ: LiteralString = """
MATCH (a:AuditEntry)
WHERE ($actor IS NULL OR a.actor = $actor) AND ($since IS NULL OR a.at >= $since)
  AND ($before IS NULL OR a.at < $before)
RETURN a {.*} AS entry ORDER BY a.at DESC, a.id DESC LIMIT $limit
"""


@dataclass(frozen=True, slots=True)
class AuditEntry:
    actor: str
    role: str
    region: str | None
    kind: str  # query, mutation, subscription, or an HTTP route
    operation: str  # the operation's name, else its root fields
    variables: str  # JSON, personal data redacted
    results: int  # items returned (see `count_results`); events sent (http, subscriptions)
    outcome: str  # ok, denied, error, invalid (did not parse or validate); started and ended
    pii_unmasked: int = 0  # personal-data values returned unmasked
    request_id: str = "-"
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())

    @classmethod
    def of(
        cls, principal: Principal, kind: str, operation: str, variables: dict[str, Any] | None,
        **details: Any,
    ) -> AuditEntry:  # fmt: skip
        return cls(
            actor=principal.actor,
            role=principal.role.value,
            region=principal.region,
            kind=kind,
            operation=operation,
            variables=json.dumps(redact(variables or {}), ensure_ascii=False, default=str),
            **details,
        )

    def row(self) -> dict[str, Any]:
        return {column: getattr(self, name) for name, column in COLUMNS}


COLUMNS = tuple((f.name, to_camel(f.name)) for f in fields(AuditEntry))  # named once


class AuditLog:
    """Collects entries and writes them in batches from one background task."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.pending: list[AuditEntry] = []
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()

    def record(self, entry: AuditEntry) -> None:
        if len(self.pending) >= MAX_PENDING:
            log.error("audit log backlog full: dropping the oldest entry", pending=MAX_PENDING)
            self.pending.pop(0)
        self.pending.append(entry)

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="audit-log")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.flush()

    async def flush(self) -> None:
        batch, self.pending = self.pending, []
        if not batch:
            return
        try:
            await self.graph.write(WRITE, entries=[entry.row() for entry in batch])
        except (GraphError, OSError) as error:
            log.warning("audit entries not written yet; retrying", error=str(error))
            self.pending = batch + self.pending

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(FLUSH_SECONDS)
            await self.flush()


async def read_entries(
    graph: Graph,
    *,
    actor: str | None = None,
    since: datetime | None = None,
    before: datetime | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    rows = await graph.read(READ, actor=actor, since=since, before=before, limit=limit)
    return [row["entry"] for row in rows]
