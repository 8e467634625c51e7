"""The DivisionCode scalar: every region and community code a client gives is checked once,
on input, and a bad one is refused before anything runs, naming the argument and what is
wrong."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from graphql import GraphQLError

from civgraph.auth.principal import Principal, Role
from civgraph.resolvers.context import build_context
from civgraph.schema.scalars import parse_division_code
from civgraph.schema.schema import build_schema
from civgraph.settings import Settings


@pytest.mark.parametrize(
    ("given", "prefix"),
    [("34", "34"), ("340000", "34"), ("3401", "3401"), ("340104", "340104"),
     ("340104001", "340104001"), ("340104001002", "340104001002")],
)  # fmt: skip
def test_a_good_code_is_parsed_into_the_prefix_the_graph_reads(given: str, prefix: str) -> None:
    assert parse_division_code(given).prefix == prefix


@pytest.mark.parametrize("given", [34, None, ["34"], "34x", "3400", "340104001000"])
def test_a_bad_code_is_a_graphql_error_the_client_reads(given: object) -> None:
    with pytest.raises(GraphQLError):
        parse_division_code(given)


def errors_of(document: str, variables: dict[str, Any] | None = None) -> list[str]:
    admin = Principal("admin (synthetic)", Role.ADMIN)
    context = build_context(None, Settings(), principal=admin)  # type: ignore[arg-type]  # no read runs
    # the schema runs async extensions (the read planner's): execute, not execute_sync
    result = asyncio.run(build_schema().execute(document, variables, context_value=context))
    assert result.data is None  # nothing ran
    return [error.message for error in result.errors or []]


def test_a_bad_literal_is_refused_naming_its_argument_and_what_is_wrong() -> None:
    assert errors_of('{ enrollmentStatistics(regionCode: "34x") { people } }') == [
        "regionCode: invalid division code '34x': must be 2, 4, 6, 9 or 12 digits "
        "(2: a province; 4: a city; 6: a province, city or county; 9: a township; "
        "12: a community)"
    ]


def test_a_bad_code_inside_a_filter_names_the_input_field() -> None:
    assert errors_of('{ people(filter: {inRegion: "3400"}) { nodes { name } } }') == [
        "filter.inRegion: invalid division code '3400': no city code ends in 00 "
        "(the province is 34)"
    ]


def test_a_code_written_as_a_number_is_refused() -> None:
    [message] = errors_of("{ region(code: 340000) { name } }")

    assert message == "code: a division code is a string of digits in quotes, not 340000"


def test_a_bad_variable_names_the_variable_and_what_is_wrong() -> None:
    document = "query ($c: DivisionCode!) { community(code: $c) { name } }"

    [message] = errors_of(document, {"c": "340104001000"})

    assert "$c" in message
    assert "a community code does not end in 000 (340104001 is the township)" in message
