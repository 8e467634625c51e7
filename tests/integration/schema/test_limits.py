"""Limits refuse a query before it reaches Neo4j: too deep, too costly, too many aliases,
introspection in production mode; counted in round trips to the real graph."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import OperationDefinitionNode, parse

from civgraph.auth.principal import Principal, Role
from civgraph.graph.driver import Graph
from civgraph.resolvers.context import build_context
from civgraph.schema.limits import LIST_GUESS, Estimate
from civgraph.schema.schema import build_schema
from civgraph.settings import Mode, Settings
from tests.integration.schema.test_execution import CountingGraph

ADMIN = Principal("limits (synthetic)", Role.ADMIN)
NESTED = "members { person { households { household { members { person { name } } } } } }"
DEEPER = NESTED.replace("name", NESTED.replace("name", "households { household { number } }"))
DEEP = f"{{ households(first: 1) {{ nodes {{ {DEEPER} }} }} }}"
COSTLY = (
    "{ people(first: 100) { nodes { households { household { members { person { households "
    "{ household { members { person { name } } } } } } } } } } }"
)
ALIASED = "{ " + " ".join(f"a{i}: program(code: DIBAO_URBAN) {{ name }}" for i in range(40)) + " }"
MODEST = "{ households(first: 100) { nodes { number members { relation person { name } } } } }"
INTROSPECTION = "{ __schema { queryType { name } } }"


def estimate(query: str) -> int:
    schema = build_schema()._schema
    document = parse(query)
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    return Estimate(schema, {}, {}).selection(operation.selection_set, schema.query_type)


async def run(graph: Graph, query: str, **settings: Any) -> tuple[Any, int]:
    counting = CountingGraph(graph)
    context = build_context(counting, Settings(**settings), principal=ADMIN)
    result = await build_schema().execute(query, context_value=context)
    return result, len(counting.statements)


@pytest.mark.parametrize(
    ("query", "says"),
    [
        (DEEP, "exceeds maximum operation depth"),
        (COSTLY, "estimated cost"),
        (ALIASED, "aliases"),
    ],
)
async def test_a_query_over_a_limit_is_refused_without_a_round_trip(
    graph: Graph, query: str, says: str
) -> None:
    result, round_trips = await run(graph, query)

    assert query != COSTLY or estimate(COSTLY) > Settings().max_query_cost
    assert result.errors, result
    assert says in result.errors[0].message
    assert round_trips == 0


async def test_a_modest_query_passes_and_its_estimate_says_why(graph: Graph) -> None:
    result, round_trips = await run(graph, MODEST)

    assert result.errors is None
    assert round_trips >= 1
    # households 1, nodes 100, number 100, members 100, then relation, person and name
    # for LIST_GUESS members of each of 100 households
    assert estimate(MODEST) == 1 + 100 + 100 + 100 + 3 * 100 * LIST_GUESS


async def test_introspection_is_off_in_production_mode_only(graph: Graph) -> None:
    development, _ = await run(graph, INTROSPECTION)
    production, round_trips = await run(graph, INTROSPECTION, mode=Mode.PRODUCTION)

    assert development.errors is None
    assert production.errors
    assert "introspection is off" in production.errors[0].message
    assert round_trips == 0
