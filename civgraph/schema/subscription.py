"""The root Subscription type."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from datetime import UTC, datetime

import strawberry


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
