"""Loads a synthetic province with Neo4j's offline bulk importer and prints its figures.

`python -m bench.bulk_import --synth DIR` reads the registry exports that `civgraph synth
--people N --seed S --out DIR` wrote (regions.csv, communities.xlsx and the GBK
household_registration.csv), converts regions, communities, households and people and
their PART_OF, REGISTERED_IN and MEMBER_OF relationships into the importer's CSV format
(the neo4j-admin header format), and runs `neo4j-admin database import full` into a fresh
Neo4j home (`DIR-neo4j` by default): `data/databases/neo4j` and `data/transactions/neo4j`,
the layout the embedded launcher opens. Nodes carry the properties the product's upserts
write (platform id, provenance, first/last seen), so the store looks like an ingested one.

The importer is Neo4j's own, from Maven Central: bench/importer/pom.xml copies
`org.neo4j:neo4j-import-tool` 5.26.30 and its runtime jars to bench/importer/target/lib,
and the entry point is neo4j-admin's `org.neo4j.cli.AdminTool`. Rows the product would
reject are skipped (an ID number stdnum calls invalid, an impossible date, an unknown
relation code); repeated rows load once.

Prints: rows converted and skipped, seconds to convert, then for each import (`--repeat
N`, the median of N) the importer's nodes and relationships, wall seconds (JVM start to
exit) and the importer's own, rows (nodes + relationships) a second and the peak resident
memory of the importer JVM (-Xmx1g and --max-off-heap-memory=1g unless told). `--verify`
then starts the embedded launcher on the new store, counts what it holds and times the
product's migrations (its constraints and indexes, which the importer cannot build here:
`--schema` fails with "Record format batch import does not support schema changes", the
block format that supports it being Enterprise-only).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from openpyxl import load_workbook
from stdnum.cn import ric

from civgraph.graph.driver import connect
from civgraph.graph.identifiers import parent_region_code
from civgraph.graph.migrations import migrate
from civgraph.graph.server import process
from civgraph.ingest.mappings.divisions import COMMUNITY_KINDS, division_level
from civgraph.ingest.mappings.households import HOUSEHOLD_KINDS, RELATIONS
from civgraph.ingest.synth.exports import EXPORTS

IMPORTER_DIR = Path(__file__).resolve().parent / "importer"
IMPORTER_POM = IMPORTER_DIR / "pom.xml"
IMPORTER_LIB = IMPORTER_DIR / "target" / "lib"
ENTRY_POINT = "org.neo4j.cli.AdminTool"  # neo4j-admin's main class, in neo4j-command-line
DATABASE = "neo4j"
SOURCE = "bench (bulk import)"
NO_PERIOD = "-"  # the relationship key of one without a period, as civgraph.graph.links
REGISTRATION_HEADER = list(EXPORTS["household_registration"].header)  # as synth writes it
# What the importer prints when it is done, e.g. "  96095 nodes".
IMPORTED = re.compile(r"^\s*(\d+) (nodes|relationships|properties)\s*$", re.MULTILINE)
IMPORT_DONE = re.compile(r"IMPORT DONE in ([^.]+)\.")
DURATION_PART = re.compile(r"(\d+)(ms|h|m|s)")
COMPACT_ID = re.compile(r"^\d{17}[\dX]$")

# The provenance every node and relationship gets, as the product's upserts write it.
PROVENANCE_HEADER = ["source", "recordKey", "firstSeen:datetime", "lastSeen:datetime"]
NODE_HEADERS: dict[str, list[str]] = {
    "Region": ["code:ID(Region)", "name", "level", "parentCode"],
    "Community": [
        "code:ID(Community)",
        "name",
        "kind",
        "townshipCode",
        "hasServicePlatform:boolean",
        "divisionCode",
    ],
    "Household": ["number:ID(Household)", "address", "communityCode", "kind", "divisionCode"],
    "Person": [
        "idNumber:ID(Person)",
        "name",
        "phone",
        "address",
        "sex",
        "birthDate:date",
        "divisionCode",
    ],
}


class BenchError(Exception):
    """The importer could not be built or run; the message says why."""


@dataclass
class Counts:
    """What the conversion wrote and skipped."""

    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    registration_rows: int = 0
    invalid_id: int = 0
    invalid_other: int = 0  # a valid ID number, but an impossible date or unknown relation
    duplicates: int = 0
    unknown_community: int = 0  # households whose community is not in communities.xlsx

    @property
    def node_total(self) -> int:
        return sum(self.nodes.values())

    @property
    def relationship_total(self) -> int:
        return sum(self.relationships.values())


@dataclass(frozen=True, slots=True)
class ImportRun:
    nodes: int
    relationships: int
    properties: int
    seconds: float  # wall, JVM start to exit
    own_seconds: float  # what the importer says it took ("IMPORT DONE in 9s 120ms")
    peak_rss_kib: int
    log: Path


class Table:
    """One importer CSV file: a header line, then rows; provenance columns are added."""

    def __init__(self, path: Path, header: list[str], now: str) -> None:
        self.path = path
        self.now = now
        self.rows = 0
        self.file: IO[str] = path.open("w", encoding="utf-8", newline="")
        self.writer = csv.writer(self.file)
        self.writer.writerow([*header, *PROVENANCE_HEADER])

    def write(self, record_key: str, *values: str) -> None:
        self.writer.writerow([*values, SOURCE, record_key, self.now, self.now])
        self.rows += 1

    def close(self) -> None:
        self.file.close()


class NodeTable(Table):
    """Node rows also get the platform id the product gives every node (`id`)."""

    def __init__(self, path: Path, label: str, now: str) -> None:
        super().__init__(path, ["id", *NODE_HEADERS[label]], now)
        self.label = label

    def node(self, key: str, *values: str) -> None:
        self.write(key, str(uuid.uuid4()), key, *values)


class RelTable(Table):
    def __init__(self, path: Path, start: str, end: str, extra: list[str], now: str) -> None:
        header = [f":START_ID({start})", f":END_ID({end})", "key", *extra]
        super().__init__(path, header, now)

    def link(self, start: str, end: str, key: str, *values: str) -> None:
        self.write(f"{start}>{end}@{key}", start, end, key, *values)


@dataclass
class Converted:
    """The importer's input: `--nodes` and `--relationships` arguments, and the counts."""

    node_files: list[tuple[str, Path]]
    relationship_files: list[tuple[str, Path]]
    counts: Counts


def is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def registration_rows(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="gbk", newline="") as file:
        reader = csv.reader(file)
        header = next(reader)
        if header != REGISTRATION_HEADER:
            raise BenchError(f"{path}: unexpected header {header}")
        yield from reader


def convert_regions(synth: Path, regions: NodeTable, parts: RelTable) -> set[str]:
    """Regions down to townships, each PART_OF the one above; returns their codes."""
    codes: set[str] = set()
    with (synth / "regions.csv").open(encoding="utf-8", newline="") as file:
        reader = csv.reader(file)
        next(reader)
        for code, name in reader:
            parent = parent_region_code(code) or ""
            regions.node(code, name, division_level(code).value, parent)
            codes.add(code)
            if parent:
                parts.link(code, parent, NO_PERIOD)
    return codes


def convert_communities(
    synth: Path, regions: set[str], communities: NodeTable, parts: RelTable
) -> set[str]:
    """Communities, each PART_OF its township; returns their codes."""
    codes: set[str] = set()
    workbook = load_workbook(synth / "communities.xlsx", read_only=True)
    try:
        for cells in workbook.worksheets[0].iter_rows(min_row=2, values_only=True):
            code, name, kind, platform = (str(value) for value in cells[:4])
            township = code[:9]
            flag = "true" if platform == "是" else "false"
            communities.node(code, name, COMMUNITY_KINDS[kind].value, township, flag, code)
            codes.add(code)
            if township in regions:
                parts.link(code, township, NO_PERIOD)
    finally:
        workbook.close()
    return codes


@lru_cache(maxsize=1 << 20)
def valid_birth(first14: str) -> bool:
    """Whether stdnum accepts the birth date and the county issuing in its year (digits 1-14):
    asks `ric.is_valid` about a stand-in number with these digits and a right check digit."""
    stand_in = first14 + "000"
    return is_valid_id(stand_in + ric.calc_check_digit(stand_in + "0"))


def is_valid_id(value: str) -> bool:
    """`ric.is_valid`, except that a code stdnum knows without counties (a city's, 340100)
    makes it raise KeyError rather than answer False (python-stdnum 2.x)."""
    try:
        return ric.is_valid(value)
    except KeyError:
        return False


def resident_id(value: str) -> str | None:
    """The number in its compact form when stdnum's `ric.is_valid` accepts it, else None.

    `ric.is_valid` costs ~40 µs (most of it the GB/T 2260 county look-up), which is most of the
    conversion's time, so a number already in compact form is checked as `is_valid` checks
    it (length, digits, check digit) with the date-and-county part asked once per prefix.
    """
    if COMPACT_ID.match(value):
        valid = value[-1] == ric.calc_check_digit(value) and valid_birth(value[:14])
        return value if valid else None
    return ric.compact(value) if is_valid_id(value) else None


def valid_row(row: list[str], counts: Counts) -> bool:
    """Whether the product would load the row (puts the compact ID number in it); counts the
    ones it would reject."""
    kind, relation, since = row[3], row[6], row[7]
    id_number = resident_id(row[4])
    if id_number is None:
        counts.invalid_id += 1
        return False
    row[4] = id_number
    if relation not in RELATIONS or not is_date(since) or kind not in HOUSEHOLD_KINDS:
        counts.invalid_other += 1
        return False
    return True


def convert_registration(
    synth: Path,
    communities: set[str],
    tables: tuple[NodeTable, RelTable, NodeTable, RelTable],
    counts: Counts,
) -> None:
    """Households REGISTERED_IN their community, people MEMBER_OF their household."""
    households, registered, people, members = tables
    household_numbers: set[str] = set()
    person_ids: set[str] = set()
    memberships: set[tuple[str, str, str]] = set()
    for row in registration_rows(synth / "household_registration.csv"):
        counts.registration_rows += 1
        if not valid_row(row, counts):
            continue
        number, address, community, kind, id_number, name, relation, since, phone = row
        membership = (id_number, number, since)
        if membership in memberships:
            counts.duplicates += 1
            continue
        memberships.add(membership)
        if number not in household_numbers:
            household_numbers.add(number)
            households.node(number, address, community, HOUSEHOLD_KINDS[kind].value, community)
            if community in communities:
                registered.link(number, community, NO_PERIOD)
            else:
                counts.unknown_community += 1
        if id_number not in person_ids:
            person_ids.add(id_number)
            born = f"{id_number[6:10]}-{id_number[10:12]}-{id_number[12:14]}"
            sex = "MALE" if int(id_number[16]) % 2 else "FEMALE"
            people.node(id_number, name, phone, address, sex, born, community)
        members.link(id_number, number, since, RELATIONS[relation].value, since)


def convert(synth: Path, out: Path) -> Converted:
    """Writes the importer's CSV files into `out` from the exports in `synth`."""
    out.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    counts = Counts()
    nodes = {label: NodeTable(out / f"{label.lower()}.csv", label, now) for label in NODE_HEADERS}
    region_parts = RelTable(out / "region_part_of.csv", "Region", "Region", [], now)
    community_parts = RelTable(out / "community_part_of.csv", "Community", "Region", [], now)
    registered = RelTable(out / "registered_in.csv", "Household", "Community", [], now)
    members = RelTable(
        out / "member_of.csv", "Person", "Household", ["relation", "since:date"], now
    )
    rels = {
        "PART_OF": [region_parts, community_parts],
        "REGISTERED_IN": [registered],
        "MEMBER_OF": [members],
    }
    try:
        regions = convert_regions(synth, nodes["Region"], region_parts)
        communities = convert_communities(synth, regions, nodes["Community"], community_parts)
        tables = (nodes["Household"], registered, nodes["Person"], members)
        convert_registration(synth, communities, tables, counts)
    finally:
        for table in [*nodes.values(), *(t for group in rels.values() for t in group)]:
            table.close()
    counts.nodes = {label: table.rows for label, table in nodes.items()}
    counts.relationships = {rel: sum(t.rows for t in group) for rel, group in rels.items()}
    return Converted(
        node_files=[(label, table.path) for label, table in nodes.items()],
        relationship_files=[(rel, t.path) for rel, group in rels.items() for t in group],
        counts=counts,
    )


def build_importer(maven: str) -> None:
    """Runs Maven when the importer's jars are missing or older than its pom."""
    if IMPORTER_LIB.exists() and IMPORTER_LIB.stat().st_mtime >= IMPORTER_POM.stat().st_mtime:
        return
    found = shutil.which(maven)
    if found is None:
        raise BenchError(f"Maven ({maven}) is not on PATH: install Maven to build the importer")
    shutil.rmtree(IMPORTER_LIB, ignore_errors=True)
    command = [found, "-B", "-q", "package", "-f", str(IMPORTER_POM)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BenchError(
            "building the importer failed:\n" + process.tail(done.stdout + done.stderr)
        )


def import_command(args: argparse.Namespace, converted: Converted, home: Path) -> list[str]:
    java = shutil.which(args.java)
    if java is None:
        raise BenchError(f"Java ({args.java}) is not on PATH: install a JDK 17 or newer")
    return [
        java,
        f"-Xmx{args.heap}",
        *process.JVM_FLAGS,
        "-cp",
        str(IMPORTER_LIB / "*"),
        ENTRY_POINT,
        "database",
        "import",
        "full",
        *(f"--nodes={label}={path}" for label, path in converted.node_files),
        *(f"--relationships={rel}={path}" for rel, path in converted.relationship_files),
        f"--max-off-heap-memory={args.max_off_heap}",
        f"--threads={args.threads}",
        f"--report-file={home / 'import.report'}",
        "--overwrite-destination=true",
        DATABASE,
    ]


def run_importer(command: list[str], home: Path) -> ImportRun:
    """Runs the importer JVM in a fresh home; measures its wall time and peak RSS."""
    shutil.rmtree(home / "data", ignore_errors=True)
    (home / "conf").mkdir(parents=True, exist_ok=True)
    log_path = home / "import.log"
    # neo4j-admin reads its home and configuration directory from the environment.
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    with log_path.open("wb") as log:
        started = time.perf_counter()
        child = subprocess.Popen(  # noqa: S603
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env
        )
        # wait4 gives this child's own resource usage (not Maven's, nor any other child's).
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    output = log_path.read_text(encoding="utf-8", errors="replace")
    done = IMPORT_DONE.search(output)
    if child.returncode != 0 or done is None:
        raise BenchError(
            f"the importer exited with status {child.returncode}; the end of {log_path}:\n"
            + process.tail(output)
        )
    imported = {kind: int(number) for number, kind in IMPORTED.findall(output)}
    return ImportRun(
        nodes=imported.get("nodes", 0),
        relationships=imported.get("relationships", 0),
        properties=imported.get("properties", 0),
        seconds=seconds,
        own_seconds=duration(done[1]),
        peak_rss_kib=usage.ru_maxrss,  # KiB on Linux
        log=log_path,
    )


def duration(text: str) -> float:
    """Seconds in Neo4j's duration format: "1m 5s 120ms", "16s 80ms", "913ms"."""
    units = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
    return sum(float(n) * units[unit] for n, unit in DURATION_PART.findall(text))


async def verify(home: Path, heap: str, pagecache: str) -> dict[str, Any]:
    """Opens the store with the embedded launcher; counts it and times the migrations."""
    password = secrets.token_urlsafe(16)
    config = process.ServerConfig(
        home=home, port=0, heap=heap, pagecache=pagecache, password=password
    )
    started = time.perf_counter()
    server, child = await asyncio.to_thread(process.start, config, attached=True)
    ready = time.perf_counter() - started
    try:
        graph = await connect(server.uri, "neo4j", password, DATABASE)
        try:
            nodes = await graph.read("MATCH (n) RETURN count(n) AS count")
            rels = await graph.read("MATCH ()-[r]->() RETURN count(r) AS count")
            started = time.perf_counter()
            applied = await migrate(graph)
            migrated = time.perf_counter() - started
            sample = await graph.read(
                "MATCH (p:Person)-[m:MEMBER_OF]->(h:Household)-[:REGISTERED_IN]->(c:Community) "
                "-[:PART_OF]->(:Region) RETURN count(*) AS count"
            )
        finally:
            await graph.close()
    finally:
        status = await asyncio.to_thread(process.stop_attached, child)
        config.pid_file.unlink(missing_ok=True)
    return {
        "ready_seconds": ready,
        "nodes": nodes[0]["count"],
        "relationships": rels[0]["count"],
        "migrations": applied,
        "migrate_seconds": migrated,
        "people_linked_to_regions": sample[0]["count"],
        "exit_status": status,
    }


def report_conversion(synth: Path, counts: Counts, seconds: float) -> None:
    print(f"export: {synth}")
    print(
        f"  registration rows {counts.registration_rows:,}: skipped {counts.invalid_id:,} "
        f"invalid ID numbers, {counts.invalid_other:,} other invalid rows, "
        f"{counts.duplicates:,} repeats; {counts.unknown_community:,} households of an "
        "unknown community"
    )
    print(f"  nodes written: {', '.join(f'{k} {v:,}' for k, v in counts.nodes.items())}")
    print(
        "  relationships written: "
        + ", ".join(f"{k} {v:,}" for k, v in counts.relationships.items())
    )
    print(f"  conversion: {seconds:.1f} s")


def report_run(number: int, run: ImportRun) -> None:
    rows = run.nodes + run.relationships
    print(
        f"  run {number}: nodes {run.nodes:,}, relationships {run.relationships:,}, "
        f"properties {run.properties:,}; wall {run.seconds:.1f} s "
        f"(importer's own {run.own_seconds:.1f} s), {rows / run.seconds:,.0f} rows/s; "
        f"peak RSS {run.peak_rss_kib / 1024:,.0f} MiB; load average {os.getloadavg()[0]:.1f}"
    )


def report_median(runs: list[ImportRun], converting: float) -> None:
    rows = runs[0].nodes + runs[0].relationships
    seconds = statistics.median(run.seconds for run in runs)
    own = statistics.median(run.own_seconds for run in runs)
    peak = max(run.peak_rss_kib for run in runs) / 1024
    print(
        f"median of {len(runs)}: {rows:,} rows (nodes + relationships) in {seconds:.1f} s "
        f"(importer's own {own:.1f} s, {rows / own:,.0f} rows/s)"
    )
    print(f"  {rows / seconds:,.0f} rows/s; peak RSS of the importer JVM (max) {peak:,.0f} MiB")
    print(
        f"  end to end (conversion + import): {converting + seconds:.1f} s, "
        f"{rows / (converting + seconds):,.0f} rows/s"
    )


def report_verify(found: dict[str, Any]) -> None:
    print("embedded launcher on the imported store:")
    print(
        f"  ready in {found['ready_seconds']:.1f} s; nodes {found['nodes']:,}, "
        f"relationships {found['relationships']:,}; "
        f"(:Person)-[:MEMBER_OF]->()-[:REGISTERED_IN]->()-[:PART_OF]->(:Region) "
        f"paths {found['people_linked_to_regions']:,}"
    )
    print(
        f"  migrations {', '.join(found['migrations']) or 'none'} "
        f"(constraints, indexes, fulltext) in {found['migrate_seconds']:.1f} s; "
        f"launcher exit status {found['exit_status']}"
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.bulk_import",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--synth", type=Path, required=True, help="a `civgraph synth` output")
    parser.add_argument("--home", type=Path, help="the Neo4j home to create (DIR-neo4j)")
    parser.add_argument("--heap", default="1g", help="the importer JVM's -Xmx (1g)")
    parser.add_argument(
        "--max-off-heap", default="1g", help="the importer's --max-off-heap-memory (1g)"
    )
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--repeat", type=int, default=1, help="imports to run (the median)")
    parser.add_argument("--java", default="java")
    parser.add_argument("--maven", default="mvn")
    parser.add_argument(
        "--verify",
        action="store_true",
        help="then open the store with the embedded launcher, count it, run the migrations",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    synth: Path = args.synth.resolve()
    home: Path = (args.home or synth.with_name(synth.name + "-neo4j")).resolve()
    try:
        build_importer(args.maven)
        started = time.perf_counter()
        converted = convert(synth, home / "import")
        converting = time.perf_counter() - started
        report_conversion(synth, converted.counts, converting)
        command = import_command(args, converted, home)
        print(f"import into {home / 'data'} ({ENTRY_POINT} database import full):")
        runs = []
        for number in range(1, args.repeat + 1):
            runs.append(run_importer(command, home))
            report_run(number, runs[-1])
    except BenchError as error:
        print(error, file=sys.stderr)
        return 1
    report_median(runs, converting)
    counts = converted.counts
    if (runs[0].nodes, runs[0].relationships) != (counts.node_total, counts.relationship_total):
        print(
            f"MISMATCH: wrote {counts.node_total:,} nodes and {counts.relationship_total:,} "
            f"relationships; see {runs[0].log}",
            file=sys.stderr,
        )
        return 1
    if args.verify:
        report_verify(asyncio.run(verify(home, heap="1g", pagecache="512m")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
