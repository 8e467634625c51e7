"""Parsing a source's files in a second process, a batch ahead of the process that writes
them: reading, parsing and validating a row costs about as much Python as writing it, and
a machine has more than one core.

`parsed_ahead` yields what `parsing.parsed_batches` yields (`prepared_ahead`: what
`prepare` makes of each batch, in the child), in the same order, with the same rows in the
reject report at the same places and the same counts in the summary. The child is forked
(it inherits the mappings, which hold functions pickle cannot carry) and sends
each batch through a pipe; a pipe holds little, so the child is at most one batch ahead
and memory stays bounded. The child touches nothing of its parent's: no database, no
files but those it reads.
"""

from __future__ import annotations

import multiprocessing
import pickle
import traceback
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

from civgraph.ingest.mappings import Source
from civgraph.ingest.parsing import Parsed, Rejects, RowError, Summary, parsed_batches
from civgraph.ingest.readers import Row

Rejected = tuple[Row, str, str, str]  # the row, column, value, reason
T = TypeVar("T")


class Collected(Rejects):
    """The child's reject report: rows kept for the parent to report in order."""

    def __init__(self) -> None:
        self.rows: list[Rejected] = []

    def add(self, source: str, row: Row, error: RowError) -> None:
        self.rows.append((row, error.column, error.value, error.reason))


class ParseFailed(Exception):
    """The child could not read or parse a file, and its error does not pickle: the error
    and where it was raised, as text."""


def carried(error: Exception, where: str) -> Exception:
    """The child's error as the parent raises it: itself (an `UnreadableFile`, an `OSError`
    the command line reports as it would any), or as text when it cannot travel."""
    try:
        pickle.loads(pickle.dumps(error))  # noqa: S301 (made just now, here)
    except Exception:  # any error that cannot travel goes as text
        return ParseFailed(f"{error}\n{where}")
    return error


def as_parsed(batch: list[Parsed]) -> list[Parsed]:
    return batch


def parse_into(
    pipe: Connection,
    parents: Connection,
    source: Source,
    paths: list[Path],
    batch_size: int,
    prepare: Callable[[list[Parsed]], Any],
) -> None:
    # The parent's end, inherited, is closed here: killed, the parent leaves no reader, and
    # the next send fails instead of waiting for ever.
    parents.close()
    collected, summary = Collected(), Summary(source.name)
    try:
        for good in parsed_batches(source, paths, collected, batch_size, summary):
            made = prepare(good)
            pipe.send(("batch", collected.rows, made, summary.read, list(summary.files)))
            collected.rows = []
        pipe.send(("done", collected.rows, [], summary.read, summary.unknown_columns))
    except (BrokenPipeError, ConnectionResetError):
        return  # the parent is gone
    except Exception as error:  # any failure is the parent's to raise
        pipe.send(("error", carried(error, traceback.format_exc())))
    finally:
        pipe.close()


def parsed_ahead(
    source: Source, paths: Iterable[Path], rejects: Rejects, batch_size: int, summary: Summary
) -> Iterator[list[Parsed]]:
    """`parsing.parsed_batches`, parsed in a second process while the caller works on the
    batch before."""
    return prepared_ahead(source, paths, rejects, batch_size, summary, as_parsed)


def prepared_ahead(
    source: Source,
    paths: Iterable[Path],
    rejects: Rejects,
    batch_size: int,
    summary: Summary,
    prepare: Callable[[list[Parsed]], T],
) -> Iterator[T]:
    """`parsed_ahead`, each batch made into what `prepare` makes of it in the second
    process."""
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(
        target=parse_into,
        args=(sending, receiving, source, list(paths), batch_size, prepare),
        daemon=True,
    )
    child.start()
    sending.close()
    try:
        while True:
            message: tuple[Any, ...] = receiving.recv()
            if message[0] == "error":
                raise message[1]
            kind, rejected, good, read, extra = message
            for row, column, value, reason in rejected:
                rejects.add(source.name, row, RowError(column, value, reason))
            summary.rejected += len(rejected)
            summary.read = read
            if kind == "done":
                summary.unknown_columns = extra
                return
            summary.files = extra
            yield good
    finally:
        receiving.close()
        child.kill()
        child.join()
