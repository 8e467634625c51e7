"""Ingest throughput: a synthetic province end to end, batched against one row a transaction.

`python -m bench.ingest --people N` writes (or reuses, in var/bench) the synthetic province
of N people, starts a fresh Neo4j of its own, and runs `civgraph ingest --dir` on every
registry exactly as a user would: rows read, seconds, rows per second, the peak resident
memory of the ingest process and of Neo4j. `--rerun` times a second run of the same files
(which must change nothing). Then, for comparison on the first `--naive-rows` rows of the
household registration: the same loader with `--batch 1` (one row a transaction, the naive
loader) against the default batches. The first load through Neo4j's offline importer is
bench/first_load.py.

`--delta-rows N --store PATH` measures online deltas instead: on a copy of a store that
already holds this province (`PATH`, e.g. the `neo4j` folder a full run leaves in
var/bench/ingest-<people>-<seed>), N rows of the household registration (a new phone
number each) and of 低保 (a new amount each) go through `civgraph ingest` with the change
feed on, at each of `--delta-batches` (after a first run at the first size that fills the
page cache); printed with the CPU the ingest process and Neo4j used per row (bench/cpu.py).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.cpu import Meter
from civgraph.graph.server import process

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
RATE = re.compile(r"(\d+) rows in ([\d.]+) s")


@dataclass(frozen=True, slots=True)
class Run:
    rows: int
    seconds: float
    peak_rss_mib: float

    @property
    def rate(self) -> float:
        return self.rows / self.seconds


def province(people: int, seed: int) -> Path:
    out = VAR / f"synth-{people}-{seed}"
    if not (out / "manifest.json").exists():
        shutil.rmtree(out, ignore_errors=True)
        started = time.perf_counter()
        command = ["synth", "--people", str(people), "--seed", str(seed), "--out", str(out)]
        subprocess.run([sys.executable, "-m", "civgraph", *command], check=True)  # noqa: S603
        print(f"synthesized {people:,} people in {time.perf_counter() - started:.1f} s")
    return out


def ingest(
    exports: Path, server: process.RunningServer, batch: int, work: Path, meter: Meter | None = None
) -> Run:
    """`civgraph ingest --dir` as a child process; its figures from its summary line (and the
    CPU it and Neo4j used, printed, with a `meter` of "Neo4j")."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CIVGRAPH_", "NEO4J_"))}
    env |= {"CIVGRAPH_NEO4J_URI": server.uri, "CIVGRAPH_NEO4J_PASSWORD": server.password}
    log = work / f"ingest-{exports.name}-{batch}.log"
    arguments = ["--dir", str(exports), "--rejects", str(work / "rejects.csv"), "--batch"]
    with log.open("wb") as out:
        child = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "civgraph", "ingest", *arguments, str(batch)],
            env=env | {"COLUMNS": "200"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    before = meter.seconds() if meter else {}
    _, status, usage = os.wait4(child.pid, 0)
    text = log.read_text(encoding="utf-8", errors="replace")
    found = RATE.search(text)
    if status != 0 or found is None:
        raise SystemExit(f"ingest failed ({status}):\n{text[-3000:]}")
    run = Run(int(found[1]), float(found[2]), usage.ru_maxrss / 1024)
    if meter:
        neo4j = meter.seconds()["Neo4j"] - before["Neo4j"]
        mine = usage.ru_utime + usage.ru_stime
        print(f"{'':<44} CPU per 1,000 rows: ingest {mine * 1e3 / run.rows:.2f} s, "
              f"Neo4j {neo4j * 1e3 / run.rows:.2f} s")  # fmt: skip
    return run


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def first_rows(exports: Path, rows: int, out: Path) -> Path:
    """Regions, communities and the first `rows` rows of the household registration."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for name in ("regions.csv", "communities.xlsx"):
        shutil.copy(exports / name, out / name)
    source = exports / "household_registration.csv"
    with (
        source.open(encoding="gbk", newline="") as inp,
        (out / "household_registration.csv").open("w", encoding="gbk", newline="") as target,
    ):
        reader, writer = csv.reader(inp), csv.writer(target)
        for index, row in enumerate(reader):
            if index > rows:
                break
            writer.writerow(row)
    return out


def changed_rows(exports: Path, rows: int, run: int, out: Path) -> Path:
    """`rows` rows spread over the household registration (each with a new phone number)
    and over 低保 (each with a new monthly amount): a day's changes to existing entries.
    Streamed: the ingest process is forked from this one, and its peak RSS counts ours."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    registration = exports / "household_registration.csv"
    with registration.open(encoding="gbk", newline="") as inp:
        step = max(1, (sum(1 for _ in inp) - 1) // rows)
    with (
        registration.open(encoding="gbk", newline="") as inp,
        (out / registration.name).open("w", encoding="gbk", newline="") as target,
    ):
        reader, writer = csv.reader(inp), csv.writer(target)
        header = next(reader)
        phone = header.index("联系电话")
        writer.writerow(header)
        for index, row in enumerate(itertools.islice(reader, 0, step * rows, step)):
            row[phone] = f"1{39 - run % 10}{index:08d}"
            writer.writerow(row)
    dibao = exports / "dibao.jsonl"
    with dibao.open(encoding="utf-8") as inp:
        step = max(1, sum(1 for _ in inp) // rows)
    with (
        dibao.open(encoding="utf-8") as inp,
        (out / dibao.name).open("w", encoding="utf-8") as target,
    ):
        for line in itertools.islice(inp, 0, step * rows, step):
            record = json.loads(line)
            record["月保障金"] = str(int(record["月保障金"] or 0) + run + 1)
            target.write(json.dumps(record, ensure_ascii=False) + "\n")
    return out


def deltas(args: argparse.Namespace, exports: Path) -> None:
    """Online deltas on a copy of `args.store`, at each batch size."""
    if not (args.store / "data").is_dir():
        raise SystemExit(f"{args.store} is not a Neo4j store folder (it has no data/)")
    work = VAR / f"delta-{args.people}-{args.seed}"
    home = work / "neo4j"
    shutil.rmtree(home, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    shutil.copytree(args.store, home, symlinks=True)
    print(f"copied {args.store} in {time.perf_counter() - started:.0f} s")
    config = process.ServerConfig(home=home, port=0, heap=args.heap, pagecache=args.pagecache,
                                  password=secrets.token_urlsafe(16))  # fmt: skip
    server, child = process.start(config, attached=True)
    try:
        meter = Meter({"Neo4j": child.pid})
        sizes = [int(size) for size in args.delta_batches.split(",")]
        # the first run reads the copied store into the page cache: measured, not compared
        for run, batch in enumerate([sizes[0], *sizes]):
            delta = changed_rows(exports, args.delta_rows, run, work / f"delta-{run}")
            name = "cold page cache" if run == 0 else "feed on"
            report(f"deltas, {name}, batches of {batch}",
                   ingest(delta, server, batch, work, meter))  # fmt: skip
    finally:
        process.stop_attached(child)


def fresh_neo4j(home: Path, heap: str, pagecache: str) -> process.ServerConfig:
    shutil.rmtree(home, ignore_errors=True)
    return process.ServerConfig(
        home=home, port=0, heap=heap, pagecache=pagecache, password=secrets.token_urlsafe(16)
    )


def report(name: str, run: Run) -> None:
    print(f"{name:<44} {run.rows:>10,} rows {run.seconds:>8.1f} s {run.rate:>9,.0f} rows/s "
          f"{run.peak_rss_mib:>7.0f} MiB peak (ingest process)")  # fmt: skip


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=2000, help="rows a transaction")
    parser.add_argument("--heap", default="1g", help="Neo4j's heap")
    parser.add_argument("--pagecache", default="1g", help="Neo4j's page cache")
    parser.add_argument("--rerun", action="store_true", help="time a second, idle run")
    parser.add_argument("--naive-rows", type=int, default=5000, help="0: skip the comparison")
    parser.add_argument("--no-ingest", action="store_true", help="only write the province")
    parser.add_argument(
        "--delta-rows",
        type=int,
        default=0,
        help="online deltas: rows of each of two registries (needs --store)",
    )
    parser.add_argument("--delta-batches", default="500,2000,5000",
                        help="batch sizes the deltas are measured at")  # fmt: skip
    parser.add_argument(
        "--store",
        type=Path,
        default=None,
        help="a Neo4j store holding this province, copied for the deltas",
    )
    return parser.parse_args()


def main() -> None:
    args = arguments()
    exports = province(args.people, args.seed)
    manifest = json.loads((exports / "manifest.json").read_text(encoding="utf-8"))
    if args.no_ingest:
        print(f"province: {manifest['people']:,} people, {exports}")
        return
    if args.delta_rows:
        if args.store is None:
            raise SystemExit("--delta-rows needs --store: a store holding this province")
        deltas(args, exports)
        return
    work = VAR / f"ingest-{args.people}-{args.seed}"
    work.mkdir(parents=True, exist_ok=True)
    print(f"province: {manifest['people']:,} people, {exports}; Neo4j heap {args.heap}, "
          f"page cache {args.pagecache}; batches of {args.batch}")  # fmt: skip
    config = fresh_neo4j(work / "neo4j", args.heap, args.pagecache)
    server, child = process.start(config, attached=True)
    try:
        whole = ingest(exports, server, args.batch, work)
        report("every registry, one run", whole)
        print(f"{'':<44} Neo4j peak RSS {peak_rss_mib(server.pid):,.0f} MiB")
        if args.rerun:
            report("the same files again (changes nothing)", ingest(exports, server, 2000, work))
    finally:
        process.stop_attached(child)
    if args.naive_rows:
        subset = first_rows(exports, args.naive_rows, work / "subset")
        for batch, name in ((1, "naive: one row a transaction"), (args.batch, "batched")):
            config = fresh_neo4j(work / "neo4j-subset", args.heap, args.pagecache)
            server, child = process.start(config, attached=True)
            try:
                report(f"{name} ({args.naive_rows:,} registration rows)",
                       ingest(subset, server, batch, work))  # fmt: skip
            finally:
                process.stop_attached(child)


if __name__ == "__main__":
    main()
