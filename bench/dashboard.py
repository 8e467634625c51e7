"""The provincial dashboard's calls on a synthetic province: `linkageCoverage` and
`planIndicators` for the province, a city and the most populous county — seconds for the
first call (cold) and the median of the next five, and each indicator's share of the time.

`python -m bench.dashboard --people N` reuses the store `make bench-ingest` leaves in
var/bench/ingest-N-1/neo4j (see bench.rules) and loads the plan's targets.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from bench.ingest import VAR
from bench.rules import busiest_county, province_graph
from bench.servers import post, running_api
from civgraph.graph import indicators, linkage
from civgraph.graph.driver import Graph
from civgraph.graph.scope import EVERYTHING, Scoped  # a bench reads as the system
from civgraph.ingest.synth.province import AS_OF

YEAR = AS_OF.year
REPEATS = 5


async def seconds(call: Callable[[], Awaitable[Any]]) -> tuple[float, float]:
    """The first call's seconds and the median of the next REPEATS."""
    times = []
    for _ in range(REPEATS + 1):
        started = time.perf_counter()
        await call()
        times.append(time.perf_counter() - started)
    return times[0], statistics.median(times[1:])


COVERAGE = "{ linkageCoverage(year: YEAR) { region { tally { linked } } } }"
INDICATORS = "{ planIndicators(year: YEAR) { code value status } }"


async def per_indicator(graph: Graph, prefix: str) -> list[tuple[str, float]]:
    found = []
    for indicator in indicators.INDICATORS:
        if indicator.statement is None:
            continue
        started = time.perf_counter()
        await indicators.raw(Scoped(graph, EVERYTHING), indicator, prefix, YEAR, AS_OF, 80)
        found.append((indicator.code, time.perf_counter() - started))
    return found


async def bench(args: argparse.Namespace) -> None:
    async with province_graph(args.people) as (graph, server):
        system = Scoped(graph, EVERYTHING)
        await indicators.load_targets(graph)
        targets = await indicators.stored_targets(graph, [YEAR])
        county = await busiest_county(graph)
        print(f"{args.people:,} people; {YEAR} as of {AS_OF}; city {county[:4]}00, county {county}")
        print(f"{'call':<34} {'first s':>8} {'median s':>9}")
        for name, prefix in (("province", "34"), ("city", county[:4]), ("county", county)):

            async def coverage(prefix: str = prefix) -> Any:
                return await linkage.coverage(system, prefix, YEAR, AS_OF, years=3, weakest=10)

            async def plan(prefix: str = prefix) -> Any:
                return await indicators.measure(system, prefix, YEAR, AS_OF, 80, targets)

            for call, label in ((coverage, "linkageCoverage"), (plan, "planIndicators")):
                first, median = await seconds(call)
                print(f"{label + ' (' + name + ')':<34} {first:>8.2f} {median:>9.2f}", flush=True)
        with running_api(server, VAR / "dashboard") as api:
            client = httpx.AsyncClient(base_url=api.url, headers=api.headers, timeout=120)
            print("through the API (civgraph serve, HTTP), the province; the answer is kept "
                  "while the graph is unchanged:")  # fmt: skip
            for name, text in (("linkageCoverage", COVERAGE), ("planIndicators", INDICATORS)):

                async def through(text: str = text) -> None:
                    await post(client, text.replace("YEAR", str(YEAR)), {})

                first, median = await seconds(through)
                print(f"  {name:<32} {first:>8.3f} {median:>9.3f}", flush=True)
            await client.aclose()
        print("planIndicators for the province, one year, by indicator (warm):")
        for code, took in await per_indicator(graph, "34"):
            print(f"  {code:<36} {took:>6.2f} s")
        found = await linkage.coverage(system, "34", YEAR, AS_OF)
        tally = found.region.tally
        print(f"linkage {YEAR}: {tally.communities} communities, {tally.linked} linked, "
              f"{tally.partial} partial, {tally.none} none")  # fmt: skip
        for measured in await indicators.measure(system, "34", YEAR, AS_OF, 80, targets):
            target = measured.target.value if measured.target else None
            print(f"  {measured.indicator.code:<36} {measured.value!s:>10} (baseline "
                  f"{measured.baseline}, target {target}: {measured.status})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--people", type=int, default=1_000_000)
    asyncio.run(bench(parser.parse_args()))


if __name__ == "__main__":
    main()
