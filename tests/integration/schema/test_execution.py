"""The schema executed in-process against the real Neo4j: batching and error masking."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any, LiteralString

import pytest
import structlog

from civgraph.auth.principal import Principal, Role
from civgraph.graph.catalog import Label, Rel
from civgraph.graph.driver import Graph, Row, counting
from civgraph.graph.models import MemberRelation, OrganizationKind, Post
from civgraph.resolvers.context import build_context
from civgraph.schema.schema import build_schema
from civgraph.settings import Settings
from tests import builders
from tests.integration.graph.test_statistics import enrolled_province

THREE_LEVELS = """
query {
  households(first: 100) {
    nodes { number members { relation person { name posts { title organization { name } } } } }
  }
}
"""
WITH_TOTAL = "query { households(first: 100) { totalCount nodes { number } } }"
WITHOUT_TOTAL = "query { households(first: 100) { nodes { number } } }"

ADMIN = Principal("tests (synthetic)", Role.ADMIN)


class CountingGraph(Graph):
    """The real graph, keeping the text of the reads it sends (`counting()` counts them all)."""

    def __init__(self, graph: Graph) -> None:
        super().__init__(graph.driver, graph.database)
        self.statements: list[str] = []

    async def read(self, query: LiteralString, **params: Any) -> list[Row]:
        self.statements.append(query)
        return await super().read(query, **params)

    async def read_raw(self, query: LiteralString, **params: Any) -> list[Row]:
        self.statements.append(query)
        return await super().read_raw(query, **params)


async def households_of(graph: Graph, count: int) -> None:
    await builders.regions(graph)
    agency = await builders.organization(graph, "测试局", OrganizationKind.GOVERNMENT_AGENCY, 1)
    for h in range(count):
        members = [
            ("户主", date(1960, 1, 1) + timedelta(days=h), MemberRelation.HEAD),
            ("配偶", date(1962, 2, 1) + timedelta(days=h), MemberRelation.SPOUSE),
        ]
        head, _ = await builders.household(graph, f"H-{h:03d}", members, start=10 * (h % 50) + 1)
        await builders.link(
            graph,
            Rel.HOLDS_POST,
            (Label.PERSON, head),
            (Label.ORGANIZATION, agency),
            Post(title="科员"),
        )


@pytest.mark.parametrize("households", [1, 100])
@pytest.mark.parametrize(("planner", "statements"), [(True, 1), (False, 3)])
async def test_round_trips_depend_on_query_depth_not_on_rows(
    graph: Graph, households: int, planner: bool, statements: int
) -> None:
    await households_of(graph, households)
    settings = Settings(planner=planner)
    tally = counting()  # every statement the request sends, at the driver

    result = await build_schema().execute(
        THREE_LEVELS, context_value=build_context(graph, settings, principal=ADMIN)
    )

    assert result.errors is None
    assert result.data is not None
    assert len(result.data["households"]["nodes"]) == households
    # planned: one statement; through the DataLoaders: the page of households, their
    # members, the members' posts; no count unless asked
    assert tally.statements == statements


WITH_SOURCES = """
query {
  households(first: 100) {
    nodes { number sources { registry recordKey matchKey score } members { person { sources {
      registry recordKey matchKey } } } }
  }
}
"""


@pytest.mark.parametrize("households", [1, 30])
@pytest.mark.parametrize(("planner", "statements"), [(True, 1), (False, 4)])
async def test_the_sources_of_every_entity_are_read_in_one_batch(
    graph: Graph, households: int, planner: bool, statements: int
) -> None:
    await households_of(graph, households)
    context = build_context(graph, Settings(planner=planner), principal=ADMIN)
    tally = counting()

    result = await build_schema().execute(WITH_SOURCES, context_value=context)

    assert result.errors is None
    assert result.data is not None
    for household in result.data["households"]["nodes"]:
        assert household["sources"] == [
            {
                "registry": builders.SOURCE,
                "recordKey": household["number"],
                "matchKey": "number",
                "score": 1.0,
            }
        ]
        for member in household["members"]:
            # the person's record, the membership's and (the head's) the post's
            records = member["person"]["sources"]
            assert len(records) >= 2
            assert {record["matchKey"] for record in records} == {"idNumber"}
    # planned: one; through the DataLoaders: households, their sources, members, the
    # people's sources
    assert tally.statements == statements


@pytest.mark.parametrize(("planner", "statements"), [(True, 1), (False, 2)])
async def test_the_total_is_counted_only_when_asked(
    graph: Graph, planner: bool, statements: int
) -> None:
    await households_of(graph, 3)
    counting = CountingGraph(graph)
    context = build_context(counting, Settings(planner=planner), principal=ADMIN)

    result = await build_schema().execute(WITH_TOTAL, context_value=context)
    without = await build_schema().execute(WITHOUT_TOTAL, context_value=context)

    assert result.data == {
        "households": {"totalCount": 3, "nodes": [{"number": f"H-00{i}"} for i in range(3)]}
    }
    assert without.data == {"households": {"nodes": [{"number": f"H-00{i}"} for i in range(3)]}}
    counted, uncounted = counting.statements[:statements], counting.statements[statements:]
    assert len(counted) == statements
    assert len(uncounted) == 1
    assert re.search(r"\bcount\b", " ".join(counted), re.IGNORECASE)
    assert not re.search(r"\bcount\b", uncounted[0], re.IGNORECASE)


async def test_an_unexpected_failure_reaches_the_client_masked_with_the_request_id(
    graph: Graph,
) -> None:
    broken = Graph(graph.driver, "no-such-database")
    structlog.contextvars.bind_contextvars(request_id="test-request-1")
    try:
        result = await build_schema().execute(
            '{ region(code: "340000") { name } }',
            context_value=build_context(broken, Settings(), principal=ADMIN),
        )
    finally:
        structlog.contextvars.unbind_contextvars("request_id")

    assert result.errors is not None
    [error] = result.errors
    assert error.message == "Internal error; quote request id test-request-1 when reporting it."
    assert error.extensions == {"code": "INTERNAL", "requestId": "test-request-1"}
    assert "no-such-database" not in str(error.formatted)


async def test_a_malformed_id_number_is_the_clients_error_shown_as_is(graph: Graph) -> None:
    result = await build_schema().execute(
        '{ person(idNumber: "12345") { name } }',
        context_value=build_context(graph, Settings(), principal=ADMIN),
    )

    assert result.errors is not None
    assert "invalid resident ID '12345'" in result.errors[0].message


OVERLAP = """
query Overlap($withCount: Boolean!) {
  programOverlap(programs: [DIBAO_RURAL, MEDICAL_ASSISTANCE, OLD_AGE_ALLOWANCE],
                 asOf: "2024-06-01", minPrograms: 1, first: 2) {
    ...Counted @include(if: $withCount)
    entries { person { name } programs }
    pageInfo { hasNextPage }
  }
}
fragment Counted on ProgramOverlap { count }"""


@pytest.mark.parametrize("with_count", [True, False])
async def test_program_overlap_is_one_statement_with_its_count_or_without(
    graph: Graph, with_count: bool
) -> None:
    await enrolled_province(graph)
    tally = counting()

    result = await build_schema().execute(
        OVERLAP, variable_values={"withCount": with_count},
        context_value=build_context(graph, Settings(), principal=ADMIN),
    )  # fmt: skip

    assert result.errors is None
    assert result.data is not None
    overlap = result.data["programOverlap"]
    assert len(overlap["entries"]) == 2
    assert overlap["pageInfo"] == {"hasNextPage": True}
    assert overlap.get("count") == (3 if with_count else None)
    assert tally.statements == 1


@pytest.mark.parametrize("planner", [True, False], ids=["planned", "resolvers"])
async def test_what_a_post_s_source_does_not_say_reads_as_null(graph: Graph, planner: bool) -> None:
    """A cadre roster that says nothing of approval or pay: unknown, not an error."""
    await builders.regions(graph)
    agency = await builders.organization(graph, "测试局", OrganizationKind.GOVERNMENT_AGENCY, 1)
    [head] = await builders.household(
        graph, "H-1", [("户主", date(1960, 1, 1), MemberRelation.HEAD)]
    )
    await builders.link(graph, Rel.HOLDS_POST, (Label.PERSON, head),
                        (Label.ORGANIZATION, agency), Post(title="科员"))  # fmt: skip

    result = await build_schema().execute(
        "{ people(first: 5) { nodes { posts { title approvalFiled paid } } } }",
        context_value=build_context(graph, Settings(planner=planner), principal=ADMIN),
    )

    assert result.errors is None, result.errors
    posts = [{"title": "科员", "approvalFiled": None, "paid": None}]
    assert result.data == {"people": {"nodes": [{"posts": posts}]}}
