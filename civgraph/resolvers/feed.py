"""The change feed for subscribers: one poller per process fans new events out to all.

`ChangeHub.stream(scoped, filter, after)` replays the events after `after` from the outbox (pages
of one filtered query), then streams live ones from the hub, skipping any it already
delivered: the subscriber is registered before the replay starts, so no event committed
meanwhile falls between the two. Cursors follow commit order (see
`civgraph.graph.changes`), so the poller, reading strictly after its last cursor, never
misses one either. A subscriber that cannot keep up (its queue is full) is told to resume
from its last cursor rather than silently skipped.

The poller reads only while someone subscribes: one statement a poll (the transaction
counter), and the events only when the counter moved. When the first subscriber comes, it
first moves to the newest event (nobody was there to miss the ones before), and the
subscriber takes its "now" from there.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import structlog

from civgraph.graph.changes import (
    ALL_CHANGES,
    ChangeEvent,
    ChangeFilter,
    Cursor,
    pruned_through,
    read_changes,
)
from civgraph.graph.driver import Graph
from civgraph.graph.errors import DatabaseUnavailable, GraphError
from civgraph.graph.scope import EVERYTHING, Scoped

log = structlog.get_logger(__name__)
PAGE = 1000


class FellBehind(GraphError):
    """A subscriber whose queue overflowed; it resumes from its last cursor."""


@dataclass(eq=False)
class Subscriber:
    queue: asyncio.Queue[ChangeEvent | None]  # None wakes it up to see it overflowed
    overflowed: bool = False


@dataclass
class ChangeHub:
    graph: Graph
    interval: float = 0.2  # seconds between polls when there is nothing new
    queue_size: int = 10_000
    position: Cursor = field(default_factory=lambda: Cursor(0, -1))
    subscribers: set[Subscriber] = field(default_factory=set)
    task: asyncio.Task[None] | None = None
    read_through: int = 0  # the transaction number up to which every event has been read
    wanted: asyncio.Event = field(default_factory=asyncio.Event)  # set: someone subscribes
    waking: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def system(self) -> Scoped:
        """The hub reads every event (each subscriber's filter and scope pick its own)."""
        return Scoped(self.graph, EVERYTHING)

    async def start(self) -> None:
        """Starts the poller; it reads nothing until someone subscribes."""
        self.task = asyncio.create_task(self.run(), name="change-hub")

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task

    async def resume(self) -> None:
        """Moves to the newest event and wakes the poller: subscribers get what commits after.
        Only while it sleeps: once awake, moving on would skip events its subscribers await."""
        async with self.waking:
            if self.wanted.is_set():
                return
            pruned, last = await pruned_through(self.graph)
            position = max(Cursor(last, -1), pruned or Cursor(0, -1))
            latest = await read_changes(self.system, position, PAGE)
            while len(latest) == PAGE:
                position = latest[-1].cursor
                latest = await read_changes(self.system, position, PAGE)
            self.position = latest[-1].cursor if latest else position
            self.read_through = last
            self.wanted.set()

    async def run(self) -> None:
        while True:
            if not self.subscribers:
                self.wanted.clear()
                await self.wanted.wait()  # set by resume(), for the first subscriber
            try:
                events = await self.poll()
            except (DatabaseUnavailable, GraphError) as error:
                log.warning("change feed poll failed", error=str(error))
                events = []
            except Exception:  # a bug must not silence the feed for every subscriber
                log.exception("change feed poll failed unexpectedly; polling on")
                events = []
            self.publish(events)
            if len(events) < PAGE:
                await asyncio.sleep(self.interval)

    async def poll(self) -> list[ChangeEvent]:
        pruned, last = await pruned_through(self.graph)
        if last < max(self.position.tx, self.read_through):  # a restored or wiped database
            log.warning("change sequence went back", last=last, position=self.position.encode())
            self.position, self.read_through = Cursor(0, -1), 0
        if pruned is not None and self.position < pruned:  # pruned past the hub: gone for all
            self.position = pruned
            self.overflow_all()
        if last == self.read_through:
            return []  # no transaction committed events since the last read
        events = await read_changes(self.system, self.position, PAGE, checked=False)
        if len(events) < PAGE:  # all of them: transactions up to `last` committed before
            self.read_through = last
        return events

    def overflow_all(self) -> None:
        for subscriber in self.subscribers:
            subscriber.overflowed = True
            with contextlib.suppress(asyncio.QueueFull):  # wake it up to see
                subscriber.queue.put_nowait(None)

    def publish(self, events: list[ChangeEvent]) -> None:
        for event in events:
            for subscriber in self.subscribers:
                if subscriber.overflowed:
                    continue
                try:
                    subscriber.queue.put_nowait(event)
                except asyncio.QueueFull:
                    subscriber.overflowed = True
            self.position = event.cursor

    async def stream(
        self, scoped: Scoped, only: ChangeFilter = ALL_CHANGES, after: Cursor | None = None
    ) -> AsyncIterator[ChangeEvent]:
        """Events after `after` (from now when None) that `only` wants and the scope may see,
        replayed then live, each once."""
        subscriber = Subscriber(asyncio.Queue(self.queue_size))
        self.subscribers.add(subscriber)  # before the replay: nothing falls in between
        only = only.within(scoped.scope)
        try:
            if not self.wanted.is_set():
                await self.resume()
            last = after if after is not None else self.position
            while after is not None:
                page = await read_changes(scoped, last, PAGE, only)
                for event in page:
                    yield event
                    last = event.cursor
                if len(page) < PAGE:
                    break
            while True:
                live = await subscriber.queue.get()
                if subscriber.overflowed:
                    raise FellBehind(
                        f"this subscription fell more than {self.queue_size} events behind; "
                        f"resume from cursor {last.encode()}"
                    )
                if live is None or live.cursor <= last or not only.matches(live):
                    continue
                yield live
                last = live.cursor
        finally:
            self.subscribers.discard(subscriber)
