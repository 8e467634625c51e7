"""Read latency and throughput of the GraphQL API against hand-written Cypher on one graph.

Run with `make bench-read` (PEOPLE=100000 by default) or
`python -m bench.read_api --people 2000`. It starts a throwaway Neo4j on a free port over a
data folder kept in var/bench/neo4j-<people> (so the synthetic graph is generated once),
migrates, generates the graph when it is missing, starts `civgraph serve` against it and
runs four read scenarios at concurrency 1 and 16, each through GraphQL over HTTP and as
the equivalent Cypher through the neo4j async driver, with the same inputs. It prints
figures and never asserts on them. Neo4j and the API are stopped whatever happens.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import itertools
import os
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, LiteralString

import httpx
import neo4j

from bench.generate import generate
from civgraph.graph.driver import Graph, connect
from civgraph.graph.identifiers import parse_division_code
from civgraph.graph.migrations import migrate
from civgraph.graph.server import process

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "var" / "bench"
HEAP, PAGECACHE = "2g", "1g"
PROGRAMS = ["DIBAO_URBAN", "DIBAO_RURAL", "MEDICAL_ASSISTANCE", "OLD_AGE_ALLOWANCE"]
DIBAO = ["DIBAO_URBAN", "DIBAO_RURAL"]
CASES = 400  # distinct inputs drawn per scenario, cycled through by the requests


class BenchError(RuntimeError):
    """The bench could not run: a failed request, a server that did not start."""


# --- the scenarios: GraphQL and the Cypher that returns the same data ------------------------

PERSON_GRAPHQL = """
query Person($id: ID!) {
  node(id: $id) {
    ... on Person {
      name
      households {
        household {
          number
          members { person { name programs { program { code } amount since } } }
        }
      }
    }
  }
}"""
PERSON_CYPHER: LiteralString = """
MATCH (p:Person {id: $id})
RETURN p.name AS name, COLLECT {
  MATCH (p)-[:MEMBER_OF]->(h:Household)
  WITH h ORDER BY h.number
  RETURN h {.number, members: COLLECT {
    MATCH (h)<-[:MEMBER_OF]-(m:Person)
    WITH m ORDER BY m.idNumber
    RETURN m {.name, programs: COLLECT {
      MATCH (m)-[e:ENROLLED_IN]->(g:Program)
      RETURN {code: g.code, amount: e.amount, since: e.since} AS program
      UNION ALL
      MATCH (m)-[:MEMBER_OF]->(:Household)-[e:ENROLLED_IN]->(g:Program)
      RETURN {code: g.code, amount: e.amount, since: e.since} AS program
    }}
  }}
} AS households"""

PAGE_GRAPHQL = """
query Page($region: DivisionCode!) {
  people(
    filter: {inRegion: $region, enrolledIn: {programs: [DIBAO_URBAN, DIBAO_RURAL]}}
    first: 50
  ) {
    nodes { name idNumber households { household { number address } } }
  }
}"""
PAGE_CYPHER: LiteralString = """
MATCH (p:Person)
WHERE p.divisionCode STARTS WITH $prefix
  AND (EXISTS { MATCH (p)-[:ENROLLED_IN]->(g:Program) WHERE g.code IN $programs }
       OR EXISTS { MATCH (p)-[m:MEMBER_OF]->(:Household)-[:ENROLLED_IN]->(g:Program)
                   WHERE m.until IS NULL AND g.code IN $programs })
WITH p ORDER BY p.name, p.id LIMIT 50
RETURN p.name AS name, p.idNumber AS idNumber, COLLECT {
  MATCH (p)-[:MEMBER_OF]->(h:Household)
  WITH h ORDER BY h.number
  RETURN h {.number, .address}
} AS households"""

OVERLAP_GRAPHQL = """
query Overlap($region: DivisionCode!) {
  programOverlap(
    programs: [DIBAO_URBAN, DIBAO_RURAL, MEDICAL_ASSISTANCE, OLD_AGE_ALLOWANCE]
    regionCode: $region
  ) {
    count
    entries { person { name } programs }
  }
}"""
OVERLAP_CYPHER: LiteralString = """
MATCH (g:Program) WHERE g.code IN $programs
CALL (g) {
  MATCH (g)<-[e:ENROLLED_IN]-(x:Person)
  WHERE (e.since IS NULL OR e.since <= $asOf) AND (e.until IS NULL OR e.until >= $asOf)
  RETURN x
  UNION
  MATCH (g)<-[e:ENROLLED_IN]-(:Household)<-[m:MEMBER_OF]-(x:Person)
  WHERE (e.since IS NULL OR e.since <= $asOf) AND (e.until IS NULL OR e.until >= $asOf)
    AND (m.since IS NULL OR m.since <= $asOf) AND (m.until IS NULL OR m.until >= $asOf)
  RETURN x
}
WITH g, x WHERE x.divisionCode STARTS WITH $prefix
WITH x, collect(DISTINCT g.code) AS codes WHERE size(codes) >= 2
WITH x, codes ORDER BY x.id
WITH collect({name: x.name, programs: codes}) AS found
RETURN size(found) AS count, found[0..20] AS entries"""

SEARCH_GRAPHQL = """
query Search($text: String!) {
  search(text: $text, first: 20) { score entity { __typename ... on Person { name } } }
}"""
SEARCH_CYPHER: LiteralString = """
CALL db.index.fulltext.queryNodes('entity_text', $text) YIELD node, score
RETURN labels(node)[0] AS label, node.name AS name, score
ORDER BY score DESC, node.id LIMIT 20"""


@dataclass(frozen=True, slots=True)
class Case:
    variables: dict[str, Any]  # GraphQL
    params: dict[str, Any]  # Cypher


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    graphql: str
    cypher: LiteralString
    cases: list[Case]
    # Both answers reduced to one comparable form, to check that they are the same data.
    from_graphql: Callable[[dict[str, Any]], Any]
    from_cypher: Callable[[list[dict[str, Any]]], Any]


def iso(value: Any) -> str | None:
    return None if value is None else str(value)


def programs_of(entries: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return sorted(((p["code"], p["amount"], iso(p["since"])) for p in entries), key=str)


def person_from_graphql(data: dict[str, Any]) -> Any:
    node = data["node"]
    households = [
        (
            h["household"]["number"],
            [
                (
                    m["person"]["name"],
                    programs_of(
                        [p | {"code": p["program"]["code"]} for p in m["person"]["programs"]]
                    ),
                )
                for m in h["household"]["members"]
            ],
        )
        for h in node["households"]
    ]
    return node["name"], households


def person_from_cypher(rows: list[dict[str, Any]]) -> Any:
    row = rows[0]
    households = [
        (h["number"], [(m["name"], programs_of(m["programs"])) for m in h["members"]])
        for h in row["households"]
    ]
    return row["name"], households


def page_from_graphql(data: dict[str, Any]) -> Any:
    return [
        (n["name"], n["idNumber"], [h["household"] for h in n["households"]])
        for n in data["people"]["nodes"]
    ]


def page_from_cypher(rows: list[dict[str, Any]]) -> Any:
    return [(r["name"], r["idNumber"], r["households"]) for r in rows]


def overlap_from_graphql(data: dict[str, Any]) -> Any:
    found = data["programOverlap"]
    entries = [(e["person"]["name"], sorted(e["programs"])) for e in found["entries"]]
    return found["count"], entries


def overlap_from_cypher(rows: list[dict[str, Any]]) -> Any:
    entries = [(e["name"], sorted(e["programs"])) for e in rows[0]["entries"]]
    return rows[0]["count"], entries


def search_from_graphql(data: dict[str, Any]) -> Any:
    return [
        (h["entity"]["__typename"], h["entity"].get("name"), round(h["score"], 5))
        for h in data["search"]
    ]


def search_from_cypher(rows: list[dict[str, Any]]) -> Any:
    return [
        (r["label"], r["name"] if r["label"] == "Person" else None, round(r["score"], 5))
        for r in rows
    ]


# --- inputs, drawn from the generated data through the API ---------------------------------

COMMUNITIES_GRAPHQL = """
{ communities(filter: {inRegion: "340000"}, first: 100) { nodes { code } } }"""
PEOPLE_GRAPHQL = """
query People($region: DivisionCode!, $order: PersonOrderField!, $direction: Direction!) {
  people(filter: {inRegion: $region}, orderBy: $order, direction: $direction, first: 100) {
    nodes { id name }
  }
}"""


@dataclass(frozen=True, slots=True)
class Inputs:
    person_ids: list[str]  # GraphQL global ids
    counties: list[str]
    cities: list[str]
    words: list[str]  # two characters of a generated name


async def post(client: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> Any:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    body = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise BenchError(f"GraphQL answered {response.status_code}: {body.get('errors')}")
    return body["data"]


async def draw_inputs(client: httpx.AsyncClient, rng: random.Random) -> Inputs:
    """Communities, then pages of 100 people in ten of them, in varied orders."""
    data = await post(client, COMMUNITIES_GRAPHQL, {})
    communities = [c["code"] for c in data["communities"]["nodes"]]
    people: list[dict[str, str]] = []
    for community in rng.sample(communities, min(10, len(communities))):
        variables = {
            "region": community,
            "order": rng.choice(["NAME", "BIRTH_DATE", "ID_NUMBER"]),
            "direction": rng.choice(["ASC", "DESC"]),
        }
        people += (await post(client, PEOPLE_GRAPHQL, variables))["people"]["nodes"]
    words = sorted({p["name"][i : i + 2] for p in people for i in range(len(p["name"]) - 1)})
    return Inputs(
        person_ids=[p["id"] for p in people],
        counties=sorted({code[:6] for code in communities}),
        cities=sorted({code[:4] + "00" for code in communities}),
        words=words,
    )


def platform_id(global_id: str) -> str:
    """The node's own id inside strawberry's global id, base64("Person:<id>")."""
    return base64.b64decode(global_id).decode().split(":", 1)[1]


def scenarios(inputs: Inputs, rng: random.Random) -> list[Scenario]:
    today = date.today()
    ids = [rng.choice(inputs.person_ids) for _ in range(CASES)]
    counties = [rng.choice(inputs.counties) for _ in range(CASES)]
    cities = [rng.choice(inputs.cities) for _ in range(CASES)]
    words = [rng.choice(inputs.words) for _ in range(CASES)]
    return [
        Scenario("a. person + households", PERSON_GRAPHQL, PERSON_CYPHER,
                 [Case({"id": i}, {"id": platform_id(i)}) for i in ids],
                 person_from_graphql, person_from_cypher),
        Scenario("b. filtered page of 50", PAGE_GRAPHQL, PAGE_CYPHER,
                 [Case({"region": c}, {"prefix": parse_division_code(c).prefix, "programs": DIBAO})
                  for c in counties],
                 page_from_graphql, page_from_cypher),
        Scenario("c. programOverlap (city)", OVERLAP_GRAPHQL, OVERLAP_CYPHER,
                 [Case({"region": c}, {"prefix": parse_division_code(c).prefix,
                                       "programs": PROGRAMS, "asOf": today}) for c in cities],
                 overlap_from_graphql, overlap_from_cypher),
        Scenario("d. search (2 characters)", SEARCH_GRAPHQL, SEARCH_CYPHER,
                 [Case({"text": w}, {"text": w}) for w in words],
                 search_from_graphql, search_from_cypher),
    ]  # fmt: skip


# --- load ----------------------------------------------------------------------------------

Call = Callable[[Case], Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class Figures:
    p50: float  # ms
    p95: float
    p99: float
    rate: float  # requests per second


async def load(call: Call, cases: Sequence[Case], requests: int, concurrency: int) -> Figures:
    """`requests` calls from `concurrency` tasks, inputs cycled; latency of each, overall rate."""
    latencies: list[float] = []
    counter = itertools.count()

    async def worker() -> None:
        while (index := next(counter)) < requests:
            started = time.perf_counter()
            await call(cases[index % len(cases)])
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return Figures(cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000, requests / elapsed)


def graphql_call(client: httpx.AsyncClient, query: str) -> Call:
    async def call(case: Case) -> Any:
        return await post(client, query, case.variables)

    return call


def cypher_call(driver: neo4j.AsyncDriver, query: LiteralString) -> Call:
    async def fetch(tx: neo4j.AsyncManagedTransaction, params: dict[str, Any]) -> Any:
        return await (await tx.run(query, params)).data()

    async def call(case: Case) -> Any:
        async with driver.session(database="neo4j") as session:
            return await session.execute_read(fetch, case.params)

    return call


@dataclass(frozen=True, slots=True)
class Loads:
    serial: int  # requests at concurrency 1
    concurrent: int  # requests at the higher concurrency
    concurrency: int
    warmup: int


@dataclass(frozen=True, slots=True)
class Row:
    scenario: str
    concurrency: int
    graphql: Figures
    cypher: Figures


async def same_data(scenario: Scenario, graphql: Call, cypher: Call) -> bool:
    """Whether both answer the first few inputs with the same data."""
    for case in scenario.cases[:5]:
        ours = scenario.from_graphql(await graphql(case))
        theirs = scenario.from_cypher(await cypher(case))
        if ours != theirs:
            print(f"  {scenario.name}: DIFFERENT for {case.variables}:\n"
                  f"    GraphQL {ours!r:.300}\n    Cypher  {theirs!r:.300}")  # fmt: skip
            return False
    return True


async def measure(scenario: Scenario, calls: tuple[Call, Call], loads: Loads) -> list[Row]:
    graphql, cypher = calls
    same = await same_data(scenario, graphql, cypher)
    print(f"  {scenario.name}: same data from GraphQL and Cypher: {'yes' if same else 'NO'}")
    for call in calls:
        await load(call, scenario.cases, loads.warmup, 4)
    rows = []
    for concurrency, requests in ((1, loads.serial),
                                  (loads.concurrency, loads.concurrent)):  # fmt: skip
        figures = [await load(call, scenario.cases, requests, concurrency) for call in calls]
        rows.append(Row(scenario.name, concurrency, *figures))
        print(f"  {scenario.name} c={concurrency}: done", flush=True)
    return rows


async def bench(api: RunningApi, server: process.RunningServer, loads: Loads) -> list[Row]:
    rng = random.Random(7)  # noqa: S311  (choice of inputs, not secrets)
    limits = httpx.Limits(max_connections=loads.concurrency * 2)
    driver = neo4j.AsyncGraphDatabase.driver(server.uri, auth=("neo4j", server.password))
    async with httpx.AsyncClient(
        base_url=api.url, timeout=300, limits=limits, headers=api.headers
    ) as client:
        try:
            inputs = await draw_inputs(client, rng)
            print(f"inputs: {len(inputs.person_ids)} people, counties {inputs.counties}, "
                  f"cities {inputs.cities}, {len(inputs.words)} search words")  # fmt: skip
            rows = []
            for scenario in scenarios(inputs, rng):
                calls = (graphql_call(client, scenario.graphql),
                         cypher_call(driver, scenario.cypher))  # fmt: skip
                rows += await measure(scenario, calls, loads)
            return rows
        finally:
            await driver.close()


# --- the database and the API --------------------------------------------------------------

COUNT_NODES: LiteralString = "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n"
COUNT_RELS: LiteralString = "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n"


async def prepare(server: process.RunningServer, people: int, seed: int) -> None:
    """Migrates, generates the graph unless it is there, prints the time and the counts."""
    graph = await connect(server.uri, "neo4j", server.password, "neo4j")
    try:
        await migrate(graph)
        started = time.perf_counter()
        written = await generate(graph, people, seed)
        if written:
            rows = sum(written.values())
            elapsed = time.perf_counter() - started
            print(f"generated in {elapsed:.0f} s: {rows:,} rows upserted, "
                  f"{rows / elapsed:,.0f} rows/s")  # fmt: skip
        nodes = await graph.read(COUNT_NODES)
        rels = await graph.read(COUNT_RELS)
    finally:
        await graph.close()
    print("nodes: " + ", ".join(f"{r['label']} {r['n']:,}" for r in nodes))
    print("relationships: " + ", ".join(f"{r['type']} {r['n']:,}" for r in rels))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def api_env(server: process.RunningServer, port: int, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CIVGRAPH_", "NEO4J_"))}
    return env | {
        "CIVGRAPH_NEO4J_URI": server.uri,
        "CIVGRAPH_NEO4J_PASSWORD": server.password,
        "CIVGRAPH_NEO4J_HOME": str(home),  # only where `serve` keeps its pid file
        "CIVGRAPH_PORT": str(port),
        "CIVGRAPH_LOAD_DEMO_DATA": "false",
        "CIVGRAPH_LOG_LEVEL": "warning",
        "CIVGRAPH_WORKERS": os.environ.get("CIVGRAPH_WORKERS", "1"),  # passed through
    }


def wait_for_health(url: str, child: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise BenchError(f"the API exited with {child.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise BenchError(f"the API did not answer /healthz in 120 s:\n{log.read_text()}")


def emptied(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)


@asynccontextmanager
async def fresh_graph(folder: Path) -> AsyncIterator[tuple[process.RunningServer, Graph]]:
    """An empty Neo4j of its own in `folder` (emptied first), migrated, until the block ends."""
    emptied(folder)
    async with running_graph(folder / "neo4j", "1g", "512m") as pair:
        yield pair


@asynccontextmanager
async def running_graph(
    home: Path, heap: str, pagecache: str
) -> AsyncIterator[tuple[process.RunningServer, Graph]]:
    """A Neo4j of its own on the store in `home`, migrated, until the block ends."""
    config = process.ServerConfig(home=home, port=0, heap=heap, pagecache=pagecache,
                                  password=secrets.token_urlsafe(16))  # fmt: skip
    server, child = process.start(config, attached=True)
    graph = await connect(server.uri, "neo4j", server.password, "neo4j")
    try:
        await migrate(graph)
        yield server, graph
    finally:
        await graph.close()
        process.stop_attached(child)


@dataclass(frozen=True, slots=True)
class RunningApi:
    url: str
    key: str  # an admin API key

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


def admin_key(server: process.RunningServer, folder: Path) -> str:
    """`civgraph keys create --role admin`, which prints the key last."""
    command = [sys.executable, "-m", "civgraph", "keys", "create", "--name", "bench",
               "--role", "admin"]  # fmt: skip
    env = api_env(server, 0, folder / "api" / "neo4j")
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False, cwd=ROOT)  # noqa: S603
    if done.returncode != 0:
        raise BenchError(f"could not create an API key:\n{done.stderr}")
    return done.stdout.strip().splitlines()[-1]


@contextmanager
def running_api(server: process.RunningServer, folder: Path) -> Iterator[RunningApi]:
    """`python -m civgraph serve` against `server` on a free port, with an admin key."""
    key = admin_key(server, folder)
    port, log = free_port(), folder / "api.log"
    with log.open("wb") as out:
        child = subprocess.Popen(
            [sys.executable, "-m", "civgraph", "serve"],
            env=api_env(server, port, folder / "api" / "neo4j"),
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for_health(url, child, log)
        yield RunningApi(url, key)
    finally:
        child.terminate()
        try:
            child.wait(30)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


# --- output --------------------------------------------------------------------------------


def table(rows: list[Row]) -> str:
    head = (f"{'scenario':<26}{'c':>3} | {'GraphQL p50':>11}{'p95':>8}{'p99':>8}{'req/s':>8} | "
            f"{'Cypher p50':>10}{'p95':>8}{'p99':>8}{'req/s':>8} | "
            f"{'p50 G/C':>8}{'req/s G/C':>10}")  # fmt: skip
    lines = [head, "-" * len(head)]
    for row in rows:
        g, c = row.graphql, row.cypher
        lines.append(
            f"{row.scenario:<26}{row.concurrency:>3} | {g.p50:>11.1f}{g.p95:>8.1f}{g.p99:>8.1f}"
            f"{g.rate:>8.1f} | {c.p50:>10.1f}{c.p95:>8.1f}{c.p99:>8.1f}{c.rate:>8.1f} | "
            f"{g.p50 / c.p50:>8.2f}{g.rate / c.rate:>10.2f}"
        )
    return "\n".join(lines)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--serial-requests", type=int, default=200, help="requests at c=1")
    parser.add_argument("--concurrent-requests", type=int, default=800)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--warmup", type=int, default=50, help="requests before measuring")
    return parser.parse_args()


def main() -> None:
    args = arguments()
    loads = Loads(args.serial_requests, args.concurrent_requests, args.concurrency, args.warmup)
    folder = CACHE / f"neo4j-{args.people}"
    config = process.ServerConfig(home=folder, port=0, heap=HEAP, pagecache=PAGECACHE)
    print(f"Neo4j: heap {HEAP}, page cache {PAGECACHE}, data in {folder}; "
          f"{os.cpu_count()} CPUs shared by Neo4j, the API and this client; "
          f"load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    server, child = process.start(config, attached=True)
    try:
        asyncio.run(prepare(server, args.people, args.seed))
        with running_api(server, CACHE) as api:
            rows = asyncio.run(bench(api, server, loads))
    finally:
        process.stop_attached(child)
    print(f"\n{loads.serial} requests at c=1, {loads.concurrent} at "
          f"c={loads.concurrency}, after {loads.warmup} warm-up requests; latency in ms; "
          f"G/C = GraphQL / Cypher; load average now {os.getloadavg()[0]:.2f}")  # fmt: skip
    print(table(rows))


if __name__ == "__main__":
    main()
