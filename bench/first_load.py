"""A province's first load end to end: registry files to a serving API.

`python -m bench.first_load --people N` writes (or reuses, in var/bench) the synthetic
province of N people, runs `civgraph load --initial` on it into a fresh Neo4j home
(var/bench/first-<people>-<seed>/neo4j), then `civgraph serve` on the loaded store until
it answers /readyz. Prints the wall time of each phase (stage, export, import, index,
resolve), rows a second by phase, the end-to-end time (files to a serving API), the store's
size and the peak resident memory of the load process, the importer and Neo4j. The store
is left behind (stopped) for `make bench-deltas STORE=…` and the read benches.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.ingest import RATE, VAR, peak_rss_mib, province
from bench.servers import BenchError, free_port, wait_for_health
from civgraph.graph.server import process

PHASE = re.compile(r"(stage|export|import|index|resolve) ([\d.]+) s")
IMPORTED = re.compile(r"(\d+) nodes and (\d+) relationships imported \(importer peak (\d+) MiB\)")


def load_env(home: Path, args: argparse.Namespace) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CIVGRAPH_", "NEO4J_"))}
    return env | {
        "CIVGRAPH_NEO4J_HOME": str(home),
        "CIVGRAPH_NEO4J_PORT": "0",
        "CIVGRAPH_NEO4J_HEAP": args.heap,
        "CIVGRAPH_NEO4J_PAGECACHE": args.pagecache,
        "CIVGRAPH_LOAD_DEMO_DATA": "false",
        "CIVGRAPH_LOG_LEVEL": "warning",
        "COLUMNS": "200",
    }


def serve_until_ready(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    port = free_port()
    with log.open("wb") as out:
        child = subprocess.Popen(
            [sys.executable, "-m", "civgraph", "serve"], env=env | {"CIVGRAPH_PORT": str(port)},
            stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        wait_for_health(f"http://127.0.0.1:{port}", child, log, "/readyz", seconds=600)
    except BenchError:
        child.kill()
        raise
    return child


def size_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--heap", default="2g", help="Neo4j's (and the importer's) heap")
    parser.add_argument("--pagecache", default="2g", help="Neo4j's page cache")
    args = parser.parse_args()
    exports = province(args.people, args.seed)
    work = VAR / f"first-{args.people}-{args.seed}"
    home = work / "neo4j"
    env = load_env(home, args)
    subprocess.run([sys.executable, "-m", "civgraph", "neo4j", "stop"], env=env, check=False,
                   capture_output=True)  # fmt: skip
    shutil.rmtree(home, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    log = work / "load.log"
    command = [sys.executable, "-m", "civgraph", "load", str(exports), "--initial",
               "--rejects", str(work / "rejects.csv")]  # fmt: skip
    started = time.perf_counter()
    with log.open("wb") as out:
        child = subprocess.Popen(  # noqa: S603
            command, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    _, status, usage = os.wait4(child.pid, 0)
    loaded = time.perf_counter() - started
    text = log.read_text(encoding="utf-8", errors="replace")
    rows, phases, imported = RATE.search(text), dict(PHASE.findall(text)), IMPORTED.search(text)
    if status != 0 or rows is None or imported is None:
        raise SystemExit(f"the load failed ({status}):\n{text[-3000:]}")
    neo4j = process.running(process.ServerConfig(home=home))
    neo4j_peak = peak_rss_mib(neo4j.pid) if neo4j else 0.0
    api = serve_until_ready(env, work / "api.log")
    serving = time.perf_counter() - started
    api.terminate()
    api.wait()
    subprocess.run([sys.executable, "-m", "civgraph", "neo4j", "stop"], env=env, check=False,
                   capture_output=True)  # fmt: skip
    report(int(rows[1]), phases, imported, loaded, serving, usage.ru_maxrss / 1024, neo4j_peak)
    print(f"store: {size_mib(home / 'data'):,.0f} MiB in {home / 'data'}")


def report(
    rows: int,
    phases: dict[str, str],
    imported: re.Match[str],
    loaded: float,
    serving: float,
    load_peak: float,
    neo4j_peak: float,
) -> None:
    entities = int(imported[1]) + int(imported[2])
    print(f"first load of {rows:,} rows: {entities:,} nodes and relationships imported")
    for phase, seconds in phases.items():
        per = {"stage": rows, "import": entities}.get(phase)
        unit = "rows" if phase == "stage" else "entities"
        rate = f"{per / float(seconds):>12,.0f} {unit}/s" if per else ""
        print(f"  {phase:<10} {float(seconds):>8.1f} s {rate}")
    print(f"  load command   {loaded:>8.1f} s ({rows / loaded:,.0f} rows/s)")
    print(f"  files to a serving API {serving:>8.1f} s ({rows / serving:,.0f} rows/s)")
    print(f"peak RSS: load process {load_peak:,.0f} MiB, importer {imported[3]} MiB, "
          f"Neo4j {neo4j_peak:,.0f} MiB")  # fmt: skip


if __name__ == "__main__":
    main()
