"""The root Subscription type."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from datetime import UTC, datetime

import strawberry

from civgraph.graph.changes import ALL_CHANGES, Cursor, CursorExpired, InvalidChangeCursor
from civgraph.resolvers.errors import UserError
from civgraph.resolvers.feed import FellBehind
from civgraph.schema.changes import Change, ChangeFilterInput
from civgraph.schema.context import Info


@strawberry.type(description="One beat of the heartbeat subscription.")
class Heartbeat:
    sequence: int
    at: datetime


MAX_BEATS = 1000


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Server time every intervalMs milliseconds, `count` times: checks that "
        "subscriptions reach you over graphql-transport-ws."
    )
    async def heartbeat(
        self, count: int = 3, interval_ms: int = 1000
    ) -> AsyncGenerator[Heartbeat, None]:
        for sequence in range(1, min(max(count, 0), MAX_BEATS) + 1):
            if sequence > 1:
                await asyncio.sleep(max(interval_ms, 10) / 1000)
            yield Heartbeat(sequence=sequence, at=datetime.now(UTC))

    @strawberry.subscription(
        description="Committed changes of the graph, as they commit: from now, or replayed "
        "from `after` (a cursor you received) and then live, each event exactly once, in "
        "commit order. A cursor older than the retention is refused: resynchronise."
    )
    async def changes(
        self,
        info: Info,
        filter: ChangeFilterInput | None = None,
        after: str | None = None,
    ) -> AsyncGenerator[Change, None]:
        try:
            only = filter.to_filter() if filter else ALL_CHANGES
            cursor = Cursor.decode(after) if after is not None else None
            # the principal's scope: nothing outside it, ever
            async for event in info.context.hub().stream(info.context.scoped, only, cursor):
                yield Change.of(event, info.context.privacy)
        except (InvalidChangeCursor, CursorExpired, FellBehind) as error:
            raise UserError(str(error)) from error
