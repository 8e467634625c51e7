"""CPU time of the processes a bench runs, each with its descendants (uvicorn's workers),
read from /proc: where a request's work goes when the machine is full."""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds) of a live process; None when it is gone."""
    try:
        text = (Path("/proc") / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()  # the name in parentheses may hold spaces
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS  # ppid, utime + stime


def process_table() -> dict[int, tuple[int, float]]:
    table = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (found := _stat(int(entry.name))) is not None:
            table[int(entry.name)] = found
    return table


@dataclass(frozen=True, slots=True)
class Meter:
    """The processes to meter, by name, each with its descendants but those metered apart
    (the bench's own process is the parent of the servers it meters)."""

    processes: dict[str, int]

    def seconds(self) -> dict[str, float]:
        """CPU seconds each named process tree has used so far."""
        table = process_table()
        children: dict[int, list[int]] = defaultdict(list)
        for pid, (parent, _) in table.items():
            children[parent].append(pid)
        roots, used = set(self.processes.values()), {}
        for name, root in self.processes.items():
            total, pending = 0.0, [root]
            while pending:
                pid = pending.pop()
                total += table[pid][1] if pid in table else 0.0
                pending += [child for child in children.get(pid, []) if child not in roots]
            used[name] = total
        return used
