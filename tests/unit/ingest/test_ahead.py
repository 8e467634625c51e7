"""Parsing a batch ahead in a second process gives what parsing in place gives: the same
batches, the same reject report in the same order, the same counts, the same errors."""

from __future__ import annotations

import io
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from civgraph.ingest.ahead import parsed_ahead
from civgraph.ingest.mappings import SOURCES
from civgraph.ingest.parsing import Rejects, Summary, parsed_batches
from civgraph.ingest.readers import UnreadableFile
from tests.builders import resident_id

HEADER = "户号,住址,社区代码,户别,身份证号,姓名,与户主关系,入户日期,备注\n"


def registration(rows: int) -> str:
    """`rows` members of households, every seventh with an ID number that does not check."""
    lines = []
    for n in range(rows):
        id_number = resident_id(date(1950, 1, 1 + n % 28), 10 + n)
        if n % 7 == 3:
            id_number = id_number[:-1] + ("0" if id_number[-1] != "0" else "1")
        lines.append(f"H-{n},测试路,340121001001,城镇,{id_number},甲{n},户主,1990-01-01,x\n")
    return HEADER + "".join(lines)


Parse = tuple[list[list[tuple[object, ...]]], str, Summary]  # batches, report, summary


def parse_both(paths: list[Path], batch_size: int) -> list[Parse]:
    """Each way's batches (their rows' records), reject report and summary."""
    source = SOURCES["household_registration"]
    answers: list[Parse] = []
    for parse in (parsed_batches, parsed_ahead):
        report, summary = io.StringIO(), Summary(source.name)
        batches: list[list[tuple[object, ...]]] = [
            [(p.origin, p.nodes, p.links) for p in batch]
            for batch in parse(source, paths, Rejects(report), batch_size, summary)
        ]
        answers.append((batches, report.getvalue(), summary))
    return answers


def test_batches_rejects_and_counts_are_those_of_parsing_in_place(tmp_path: Path) -> None:
    # Given two files of a source, with rows that do not parse in both
    first, second = tmp_path / "household_registration.csv", tmp_path / "more.csv"
    first.write_text(registration(45), encoding="utf-8")
    second.write_text(registration(12), encoding="gbk")

    # When they are parsed in place and a batch ahead
    in_place, ahead = parse_both([first, second], batch_size=10)

    # Then both give the same
    assert ahead == in_place
    batches, report, summary = ahead
    assert (summary.read, summary.rejected) == (57, 8)
    assert summary.unknown_columns == ["备注"]
    assert report.count("\n") == 1 + 8
    assert sum(len(batch) for batch in batches) == 57 - 8


def test_a_file_that_cannot_be_read_fails_as_in_place(tmp_path: Path) -> None:
    unreadable = tmp_path / "household_registration.xls"
    unreadable.write_bytes(b"\xd0\xcf\x11\xe0")
    source = SOURCES["household_registration"]

    with pytest.raises(UnreadableFile, match="unknown format"):
        list(parsed_ahead(source, [unreadable], Rejects(io.StringIO()), 10, Summary("x")))


PARENT = """
import io, multiprocessing, sys, time
from pathlib import Path
from civgraph.ingest.ahead import parsed_ahead
from civgraph.ingest.mappings import SOURCES
from civgraph.ingest.parsing import Rejects, Summary
source = SOURCES["household_registration"]
batches = parsed_ahead(source, [Path(sys.argv[1])], Rejects(io.StringIO()), 10, Summary("x"))
next(batches)
print(multiprocessing.active_children()[0].pid, flush=True)
time.sleep(600)
"""


def gone(pid: int) -> bool:
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().split()[2] == "Z"  # exited, not yet reaped by its new parent
    except FileNotFoundError:
        return True


def test_a_parent_killed_with_sigkill_leaves_no_parser_behind(tmp_path: Path) -> None:
    # Given a parent reading the first of many batches, its parser blocked a batch ahead
    rows = tmp_path / "household_registration.csv"
    rows.write_text(registration(5000), encoding="utf-8")
    with subprocess.Popen(
        [sys.executable, "-c", PARENT, str(rows)], stdout=subprocess.PIPE
    ) as parent:
        assert parent.stdout is not None
        parser = int(parent.stdout.readline())

        # When the parent is killed
        parent.kill()

    # Then the parser ends too (its next send finds no reader)
    deadline = time.monotonic() + 60
    while not gone(parser) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert gone(parser)
