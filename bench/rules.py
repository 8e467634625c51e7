"""Investigation rules over a synthetic province: seconds to the first page and to the full
result, for the whole province and for one county, and the Cypher PROFILE's database hits
for the county.

`python -m bench.rules --people N` reuses the Neo4j store `make bench-ingest` leaves in
var/bench/ingest-N-1/neo4j (or synthesizes and ingests the province first), or the store
`--store` names (a first load's, say), starts Neo4j on it, applies the migrations and runs
every rule.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any

from bench.ingest import VAR, ingest, province
from bench.servers import running_graph
from civgraph.graph.driver import Graph
from civgraph.graph.rules import QUERIES, Rule, count_findings, every_finding, findings
from civgraph.graph.scope import EVERYTHING, Scoped  # a bench reads as the system
from civgraph.graph.server import process
from civgraph.ingest.synth.province import AS_OF

PAGE = 20
FULL_PAGE = 1000


def db_hits(plan: dict[str, Any]) -> int:
    return int(plan.get("dbHits", 0)) + sum(db_hits(child) for child in plan.get("children", []))


async def profile(graph: Graph, rule: Rule, prefix: str, as_of: date) -> int:
    async with graph.driver.session(database=graph.database) as session:
        result = await session.run(
            "PROFILE " + QUERIES[rule].page(),
            prefix=prefix, asOf=as_of, after=None, limit=PAGE, minimumAge=80,
            retiredAge=70, coolingYears=3,
        )  # fmt: skip
        summary = await result.consume()
    return db_hits(summary.profile or {})


async def exported(graph: Graph, rule: Rule, prefix: str, as_of: date) -> tuple[float, float]:
    """Seconds to count the findings (`totalCount`), seconds to stream them all (the export)."""
    started = time.perf_counter()
    await count_findings(Scoped(graph, EVERYTHING), rule, prefix, as_of)
    counted = time.perf_counter() - started
    started = time.perf_counter()
    async for _ in every_finding(Scoped(graph, EVERYTHING), rule, prefix, as_of):
        pass
    return counted, time.perf_counter() - started


async def timed(
    graph: Graph, rule: Rule, prefix: str, as_of: date, pages: bool = True
) -> tuple[float, float, int]:
    """Seconds to the first page, seconds to all findings by pages, how many (without
    `pages`: the first page only, and NaN for all)."""
    started = time.perf_counter()
    first = await findings(Scoped(graph, EVERYTHING), rule, prefix, as_of, PAGE)
    to_first = time.perf_counter() - started
    if not pages:
        return to_first, math.nan, len(first)
    found = list(first) if len(first) < PAGE else []
    after: str | None = None
    while len(first) == PAGE:
        page = await findings(Scoped(graph, EVERYTHING), rule, prefix, as_of, FULL_PAGE, after)
        found += page
        if len(page) < FULL_PAGE:
            break
        after = page[-1].key
    return to_first, time.perf_counter() - started, len(found)


async def busiest_county(graph: Graph) -> str:
    rows = await graph.read(
        "MATCH (r:Region {level: 'COUNTY'}) "
        "RETURN r.code AS code, COUNT { (p:Person) WHERE p.divisionCode STARTS WITH r.code } "
        "AS people ORDER BY people DESC LIMIT 1"
    )
    return str(rows[0]["code"])


async def people_in(graph: Graph, prefix: str) -> int:
    rows = await graph.read(
        "MATCH (p:Person) WHERE p.divisionCode STARTS WITH $prefix RETURN count(p) AS n",
        prefix=prefix,
    )
    return int(rows[0]["n"])


@asynccontextmanager
async def province_graph(
    people: int, store: Path | None = None, pagecache: str = "1g", tx_memory: str = "256m"
) -> AsyncIterator[tuple[Graph, process.RunningServer]]:
    """The synthetic province of `people` in `store`, or in the store `make bench-ingest`
    leaves (ingested first when missing), on its own Neo4j, migrated; and that Neo4j."""
    home = store or VAR / f"ingest-{people}-1" / "neo4j"
    loaded = (home / "data").exists()
    if store is not None and not loaded:
        raise SystemExit(f"{store} is not a Neo4j store folder (it has no data/)")
    async with running_graph(home, "2g", pagecache, tx_memory) as (server, graph):
        if not loaded:
            run = ingest(province(people, 1), server, 2000, home.parent)
            print(f"ingested {run.rows:,} rows in {run.seconds:.0f} s")
        yield graph, server


async def bench(args: argparse.Namespace) -> None:
    async with province_graph(args.people, args.store, args.pagecache, args.tx_memory) as (
        graph,
        _,
    ):
        county = args.region or await busiest_county(graph)
        people = await people_in(graph, county)
        print(f"{args.people:,} people; as of {AS_OF}; region {county} ({people:,} people); "
              f"first page {PAGE}")  # fmt: skip
        print(f"{'rule':<22} | {'province: first s':>17} {'all s':>7} {'found':>7} "
              f"{'count s':>7} {'export s':>8} | "
              f"{'county: first s':>15} {'all s':>7} {'found':>6} {'db hits':>10}")  # fmt: skip
        for rule in [Rule(name) for name in args.rules.split(",")] if args.rules else Rule:
            if args.region_only:  # the query planned first, as the province's run would
                await timed(graph, rule, county, AS_OF)
                whole, counted, streamed = (math.nan, math.nan, 0), math.nan, math.nan
            else:
                whole = await timed(graph, rule, "34", AS_OF, pages=args.province_pages)
                counted, streamed = await exported(graph, rule, "34", AS_OF)
            local = await timed(graph, rule, county, AS_OF)
            hits = await profile(graph, rule, county, AS_OF)
            line = (f"{rule.value:<22} | {whole[0]:>17.2f} {whole[1]:>7.2f} {whole[2]:>7,} "
                    f"{counted:>7.2f} {streamed:>8.2f} | "
                    f"{local[0]:>15.2f} {local[1]:>7.2f} {local[2]:>6,} {hits:>10,}")  # fmt: skip
            print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument(
        "--store",
        type=Path,
        default=None,
        help="an existing Neo4j store folder (with data/) of that province",
    )
    parser.add_argument("--pagecache", default="1g", help="Neo4j's page cache")
    parser.add_argument(
        "--tx-memory",
        default="256m",
        help="Neo4j's memory for all transactions (CIVGRAPH_NEO4J_TX_MEMORY; the default's)",
    )
    parser.add_argument("--rules", default="", help="these rules only (comma-separated)")
    parser.add_argument(
        "--region",
        default=None,
        help="the region (a division code) of the local columns instead of the most populous "
        "county: one as populous as a county of a smaller province, say",
    )
    parser.add_argument(
        "--region-only", action="store_true", help="the region's columns only, not the province's"
    )
    parser.add_argument(
        "--no-province-pages",
        dest="province_pages",
        action="store_false",
        help="the province's first page only, not all its pages (each page runs the rule "
        "again: at ten million people that is hours; the export streams them in one run)",
    )
    asyncio.run(bench(parser.parse_args()))


if __name__ == "__main__":
    main()
