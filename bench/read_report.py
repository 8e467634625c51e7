"""The read bench's output: one table per concurrency with the three systems side by side,
then a legend."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bench.read_rounds import Figures, Plan
from bench.read_scenarios import CHECKED

SYSTEMS = ("GraphQL (ours)", "Cypher", "peer")
BLOCK = 29  # characters of one system's figures


@dataclass(frozen=True, slots=True)
class Row:
    scenario: str
    same: tuple[bool, bool | None]  # Cypher's and the peer's data as ours (None: no peer query)
    missing: str  # why the peer has no query
    figures: list[list[Figures]]  # per plan: ours, Cypher, the peer's when it has a query


def block(figures: Figures | None) -> str:
    if figures is None:
        return f"{'n/a':>{BLOCK}}"
    f = figures
    return f"{f.p50:>7.1f}{f.p99:>8.1f}{f.rate:>8.1f}{f.statements:>6.1f}"


def ratio(a: float, b: float | None) -> str:
    return f"{'n/a':>6}" if not b else f"{a / b:>6.2f}"


def verdict(same: bool | None) -> str:
    return "n/a" if same is None else "yes" if same else "NO"


def line(row: Row, figures: list[Figures]) -> str:
    ours, cypher = figures[0], figures[1]
    peer = figures[2] if len(figures) > 2 else None
    return (f"{row.scenario:<27}|{block(ours)} |{block(cypher)} |{block(peer)} |"
            f"{ratio(ours.p50, cypher.p50)}{ratio(ours.rate, cypher.rate)}"
            f"{ratio(ours.rate, peer.rate if peer else None)} | "
            f"{verdict(row.same[0])}/{verdict(row.same[1])}")  # fmt: skip


def table(rows: Sequence[Row], index: int, plan: Plan) -> str:
    title = (f"c={plan.concurrency}: {plan.requests} requests per system in "
             f"{plan.actual_rounds} rounds of {plan.size}; in each round GraphQL, Cypher and "
             "the peer take turns")  # fmt: skip
    names = "".join(f"{name:^{BLOCK}} |" for name in SYSTEMS)
    top = f"{'':<27}|{names} G/C    G/C   G/P  | same data"
    cells = f"{'p50':>7}{'p99':>8}{'req/s':>8}{'stmts':>6}"
    head = f"{'scenario':<27}|" + f"{cells} |" * 3 + f"{'p50':>6}{'req/s':>6}{'req/s':>6} | C/peer"
    rule = "-" * len(head)
    body = [line(row, row.figures[index]) for row in rows]
    return "\n".join([title, top, head, rule, *body])


PROCESSES = ("Neo4j", "API", "peer", "client")


def cpu_cells(figures: Figures | None) -> str:
    if figures is None:
        return f"{'n/a':>{7 * len(PROCESSES) + 7}}"
    used = [figures.cpu.get(name, 0.0) for name in PROCESSES]
    return "".join(f"{ms:>7.2f}" for ms in used) + f"{sum(used):>7.2f}"


def cpu_table(rows: Sequence[Row], index: int, plan: Plan) -> str:
    """CPU ms per request of each process while each system ran: on a full machine,
    throughput is the cores over their sum, and one API process's share caps ours."""
    title = f"c={plan.concurrency}: CPU ms per request, by process, while each system ran"
    cells = "".join(f"{name:>7}" for name in PROCESSES) + f"{'sum':>7}"
    width = len(cells)
    names = "".join(f"{name:^{width}} |" for name in SYSTEMS)
    head = f"{'scenario':<27}|" + f"{cells} |" * 3
    body = []
    for row in rows:
        figures = row.figures[index]
        peer = figures[2] if len(figures) > 2 else None
        body.append(f"{row.scenario:<27}|{cpu_cells(figures[0])} |{cpu_cells(figures[1])} |"
                    f"{cpu_cells(peer)} |")  # fmt: skip
    return "\n".join([title, f"{'':<27}|{names}", head, "-" * len(head), *body])


def legend(rows: Sequence[Row], load: float) -> str:
    lines = [
        "latency p50/p99 in ms, as this client saw each request; req/s: requests / wall time "
        "of that system's own slices;",
        "stmts: Neo4j statements per request, averaged: ours from the civgraph-statements "
        "response header, the peer's from its",
        "peer-statements header (each run on a transaction the library opened, counted in "
        "bench/peer/server.mjs), Cypher: one.",
        "G/C: GraphQL / hand-written Cypher; G/P: GraphQL / peer (the Neo4j GraphQL Library).",
        "CPU: user+system time of each process (with its children) from /proc over the "
        "system's own slices, per request;",
        "a process idle during another system's slices still shows its background work "
        "(the API's audit flush, Neo4j's own threads).",
        f"same data: Cypher's and the peer's answers reduced to our form equal ours on the first "
        f"{CHECKED} inputs (yes/NO);",
        "n/a: the peer has no equivalent query:",
    ]
    lines += [f"  {row.scenario}: {row.missing}" for row in rows if row.same[1] is None]
    lines.append(f"load average now {load:.2f}: a shared machine; read the ratios, not the "
                 "absolute figures.")  # fmt: skip
    return "\n".join(lines)


def report(rows: Sequence[Row], plans: Sequence[Plan], load: float) -> str:
    tables = [table(rows, index, plan) for index, plan in enumerate(plans)]
    tables += [cpu_table(rows, index, plan) for index, plan in enumerate(plans)]
    return "\n\n".join(["", *tables, legend(rows, load)])
