"""Driver lifecycle and the one query helper every repository uses."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextvars import ContextVar
from typing import Any, LiteralString, Protocol, TypeVar

import neo4j
import neo4j.exceptions
import neo4j.graph
import neo4j.time

from civgraph.graph.errors import DatabaseUnavailable

Row = dict[str, Any]
Statement = tuple[LiteralString, Mapping[str, Any]]  # Cypher and its parameters
T = TypeVar("T")
PING_SECONDS = 2.0  # a readiness probe's answer, whether Neo4j answers or not
# A read is retried as long as a managed transaction would be (the driver's default), after
# waiting FIRST_RETRY_SECONDS, then twice as long each time.
READ_RETRY_SECONDS = 30.0
FIRST_RETRY_SECONDS = 0.1
# No server to talk to (retryable too): reported as DatabaseUnavailable once given up on.
UNREACHABLE = (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired)


class Tally:
    """Statements sent to Neo4j while it is the current one (`counting`): a request's."""

    def __init__(self) -> None:
        self.statements = 0


TALLY: ContextVar[Tally | None] = ContextVar("civgraph_tally", default=None)


def counting() -> Tally:
    """A new tally of the statements the current task (and tasks it starts) will send."""
    tally = Tally()
    TALLY.set(tally)
    return tally


def counted() -> None:
    tally = TALLY.get()
    if tally is not None:
        tally.statements += 1


class Recorder(Protocol):
    """What a write transaction runs last, from its statements' results (the change feed's
    outbox, `civgraph.graph.changes.Outbox`)."""

    def statements(self, results: Sequence[Sequence[Row]]) -> list[Statement]: ...


class Rows(list[Any]):
    """A list parameter that logs as its length. The driver formats every RUN for its debug
    log whether or not that log is on (neo4j 6.4, `AsyncBolt5x5.run`): the repr of a batch's
    rows cost the ingest process 5% of its time."""

    def __repr__(self) -> str:
        return f"<{len(self)} values>"


def quiet(params: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters as sent, lists as `Rows` (packed as the lists they are)."""
    return {key: Rows(value) if type(value) is list else value for key, value in params.items()}


class Transaction:
    """One managed transaction as a unit of work sees it: statements run in order, each
    one's rows kept for the recorder. Raising aborts it (nothing is written)."""

    def __init__(self, tx: neo4j.AsyncManagedTransaction) -> None:
        self._tx = tx
        self.results: list[list[Row]] = []

    async def run(self, query: LiteralString, **params: Any) -> list[Row]:
        counted()
        result = await self._tx.run(query, quiet(params))
        # not `result.data()`: its export walks every value once more (a batch's change
        # events are thousands of maps), and writes return no nodes to export
        rows = [to_native(dict(zip(record.keys(), record.values(), strict=True)))
                async for record in result]  # fmt: skip
        self.results.append(rows)
        return rows

    async def run_all(self, statements: Sequence[Statement]) -> list[list[Row]]:
        return [await self.run(query, **params) for query, params in statements]


class Graph:
    """A shared async driver bound to one database; safe to use from many tasks."""

    def __init__(self, driver: neo4j.AsyncDriver, database: str) -> None:
        self.driver = driver
        self.database = database

    async def read(self, query: LiteralString, **params: Any) -> list[Row]:
        """Runs one read statement as an auto-commit read: one round trip, where a managed
        transaction takes two (BEGIN with the statement, then COMMIT). Routed to a reader on
        a cluster; retried on the failures the driver calls retryable, as a managed
        transaction would be."""
        return await self._retried(query, params, raw=False)

    async def read_raw(self, query: LiteralString, **params: Any) -> list[Row]:
        """`read` for large nested answers: the values as the driver decoded them (maps,
        lists and Neo4j temporals, which `native` turns into the standard library's), not
        walked again."""
        return await self._retried(query, params, raw=True)

    async def _retried(
        self, query: LiteralString, params: dict[str, Any], *, raw: bool
    ) -> list[Row]:
        deadline = time.monotonic() + READ_RETRY_SECONDS
        delay = FIRST_RETRY_SECONDS
        while True:
            try:
                return await self._read_once(query, params, raw)
            except UNREACHABLE as error:
                if time.monotonic() + delay > deadline:
                    raise DatabaseUnavailable(str(error)) from error
            except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError) as error:
                if not error.is_retryable() or time.monotonic() + delay > deadline:
                    raise
            await asyncio.sleep(delay)
            delay *= 2

    async def _read_once(
        self, query: LiteralString, params: dict[str, Any], raw: bool
    ) -> list[Row]:
        counted()
        async with self.driver.session(
            database=self.database, default_access_mode=neo4j.READ_ACCESS
        ) as session:
            result = await session.run(query, params)
            if raw:
                return [dict(zip(r.keys(), r.values(), strict=True)) async for r in result]
            return [to_native(row) for row in await result.data()]

    async def write(self, query: LiteralString, **params: Any) -> list[Row]:
        """Runs one idempotent write statement in a managed transaction."""
        return (await self.write_all([(query, params)]))[0]

    async def write_all(
        self, statements: Sequence[Statement], recorder: Recorder | None = None
    ) -> list[list[Row]]:
        """Runs several write statements in one managed transaction (all or none), then what
        `recorder` makes of their results; returns each statement's rows."""
        return await self.transact(lambda tx: tx.run_all(statements), recorder)

    async def transact(
        self, work: Callable[[Transaction], Awaitable[T]], recorder: Recorder | None = None
    ) -> T:
        """Runs `work` in one managed write transaction, then what `recorder` makes of its
        statements' results. Neo4j may run `work` again after a transient failure, so it
        must do nothing outside the transaction; an exception it raises rolls back."""

        async def unit(tx: neo4j.AsyncManagedTransaction) -> T:
            transaction = Transaction(tx)
            value = await work(transaction)
            for query, params in recorder.statements(transaction.results) if recorder else []:
                counted()
                await (await tx.run(query, quiet(params))).consume()
            return value

        return await self._execute(unit)

    async def run_auto(self, query: LiteralString, **params: Any) -> None:
        """Runs a statement in an auto-commit transaction: schema statements and `CALL { … }
        IN TRANSACTIONS`, which Neo4j accepts nowhere else (not retried)."""
        counted()
        async with self.driver.session(database=self.database) as session:
            result = await session.run(query, params)
            await result.consume()

    async def stream(self, query: LiteralString, **params: Any) -> AsyncIterator[Row]:
        """Rows of one read statement as they come (an export of many rows, memory bounded);
        an auto-commit read, not retried: a failure part-way ends the stream with an error."""
        counted()
        try:
            async with self.driver.session(
                database=self.database, default_access_mode=neo4j.READ_ACCESS
            ) as session:
                result = await session.run(query, params)
                async for record in result:
                    yield to_native(record.data())
        except UNREACHABLE as error:
            raise DatabaseUnavailable(str(error)) from error

    async def ping(self) -> bool:
        """Whether Neo4j answers within `PING_SECONDS`. One auto-commit statement: a managed
        transaction would retry an unreachable server for half a minute."""
        try:
            async with (
                asyncio.timeout(PING_SECONDS),
                self.driver.session(database=self.database) as s,
            ):
                record = await (await s.run("RETURN 1 AS ok")).single()
        except (TimeoutError, neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError):
            return False
        return record is not None and record["ok"] == 1

    async def close(self) -> None:
        await self.driver.close()

    async def _execute(self, unit: Callable[[neo4j.AsyncManagedTransaction], Awaitable[T]]) -> T:
        """Runs a write transaction function (retried by the driver)."""
        try:
            async with self.driver.session(database=self.database) as session:
                return await session.execute_write(unit)
        except UNREACHABLE as error:
            raise DatabaseUnavailable(str(error)) from error


def native(value: Any) -> Any:
    """One value from `read_raw` as `read` gives it (a temporal in the standard library's
    type, a node or relationship as `Record.data` exports it); maps and lists are left as
    they are."""
    if isinstance(value, neo4j.time.Date | neo4j.time.DateTime):
        return value.to_native()
    if isinstance(value, neo4j.graph.Node):
        return to_native(dict(value))
    if isinstance(value, neo4j.graph.Relationship):
        start, end = value.start_node, value.end_node
        return (to_native(dict(start or {})), type(value).__name__, to_native(dict(end or {})))
    if isinstance(value, neo4j.graph.Path):
        path = [native(value.start_node)]
        for relationship, node in zip(value.relationships, value.nodes[1:], strict=True):
            path += [type(relationship).__name__, native(node)]
        return path
    return value


# What the driver decodes to itself (by exact type: checked for every value of a batch's
# change events, where an isinstance test against Neo4j's types costs five times as much).
PLAIN = frozenset({str, int, float, bool, type(None)})


def to_native(value: Any) -> Any:
    """Turns Neo4j temporal values into the standard library's, recursively."""
    kind = type(value)
    if kind in PLAIN:
        return value
    if kind is dict:
        return {key: to_native(item) for key, item in value.items()}
    if kind is list:
        return [to_native(item) for item in value]
    return native(value)


async def connect(uri: str, user: str, password: str, database: str) -> Graph:
    """Opens a driver and checks that Neo4j answers, or raises DatabaseUnavailable."""
    driver = neo4j.AsyncGraphDatabase.driver(
        uri,
        auth=(user, password),
        # "label/property does not exist" is what a fresh database says to every read.
        notifications_disabled_classifications=["UNRECOGNIZED"],
    )
    try:
        await driver.verify_connectivity()
    except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as error:
        await driver.close()
        raise DatabaseUnavailable(f"Neo4j at {uri} does not answer: {error}") from error
    return Graph(driver, database)
