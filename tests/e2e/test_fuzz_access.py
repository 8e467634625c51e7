"""Queries generated from the schema (hypothesis-graphql) for a viewer bound to one county,
against a running server holding the demo dataset: no 5xx and no internal error, no
personal data unmasked, no entity from outside the county — whatever the query asks.

`CIVGRAPH_FUZZ_EXAMPLES` sets how many queries (150 in `make test`; `make fuzz` runs
more) and the test prints how many it sent and how they ended.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes, queries
from strawberry.relay import to_base64

from civgraph.auth import policy
from civgraph.graph.connection import Target
from civgraph.graph.driver import Graph
from civgraph.schema.schema import sdl
from tests.servers import Api
from tests.servers import create_key as cli_key

COUNTY = "340104"  # 蜀山区 of the demo dataset; 包河区 340111 is outside
EXAMPLES = int(os.environ.get("CIVGRAPH_FUZZ_EXAMPLES", "150"))
RESIDENT_ID = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")
MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
OUTSIDE = """
MATCH (n) WHERE (n:Person OR n:Household OR n:Community OR n:Organization OR n:Facility
  OR n:ServiceProject) AND NOT coalesce(n.divisionCode, '') STARTS WITH $county
RETURN labels(n)[0] AS label, n.id AS id, n.name AS name
"""
SCALARS = {
    "Date": st.dates().map(lambda day: nodes.String(day.isoformat())),
    "DateTime": st.datetimes().map(lambda moment: nodes.String(moment.isoformat() + "Z")),
    "JSON": st.just(nodes.String("{}")),
    # The county, a region holding it, one beside it, a township, a malformed code.
    "DivisionCode": st.sampled_from(["340104", "34", "3401", "340111", "340104001", "34x"]).map(
        nodes.String
    ),
}
seen: Counter[str] = Counter()


@pytest.fixture(scope="module")
def viewer(neo4j: Target) -> str:
    return cli_key(neo4j, "viewer", "--region", COUNTY)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def outside(demo_graph: Graph) -> AsyncIterator[frozenset[str]]:
    """Global ids of every entity outside the county."""
    rows = await demo_graph.read(OUTSIDE, county=COUNTY)
    assert rows  # the demo has entities outside the county to leak
    yield frozenset(to_base64(row["label"], row["id"]) for row in rows)
    # refusing everything would pass every example: some must have been answered
    assert seen["answered"] + seen["partly answered"] > 0, seen
    print(f"\nfuzz: {sum(seen.values())} generated queries for a viewer of {COUNTY}: "
          + ", ".join(f"{count} {outcome}" for outcome, count in seen.most_common()))  # fmt: skip


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)
    elif isinstance(value, str):
        yield value


def outcome(body: dict[str, Any]) -> str:
    codes = {(e.get("extensions") or {}).get("code", "error") for e in body.get("errors", [])}
    if not codes:
        return "answered"
    return "partly answered" if body.get("data") else "refused: " + ",".join(sorted(codes))


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    query=st.one_of(  # anything, and the root fields a viewer may read (answered more often)
        queries(sdl(), custom_scalars=SCALARS),
        queries(sdl(), fields=policy.READS, custom_scalars=SCALARS),
    )
)
def test_a_viewer_sees_nothing_it_may_not(
    api: Api, viewer: str, outside: frozenset[str], query: str
) -> None:
    response = httpx.post(
        api.graphql,
        json={"query": query},
        headers={"Authorization": f"Bearer {viewer}"},
        timeout=60,
    )
    body = response.json()
    seen[outcome(body) if response.status_code < 400 else f"HTTP {response.status_code}"] += 1

    assert response.status_code < 500, (query, body)
    assert response.status_code not in (401, 403), body  # the viewer's key works
    assert all((e.get("extensions") or {}).get("code") != "INTERNAL"
               for e in body.get("errors", [])), (query, body)  # fmt: skip
    values = list(strings(body.get("data") or {}))
    assert not [v for v in values if RESIDENT_ID.search(v) or MOBILE.search(v)], (query, body)
    assert not [v for v in values if v in outside], (query, body)
