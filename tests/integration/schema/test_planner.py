"""The read planner on the demo dataset: each planned query answers exactly what the
DataLoader path answers (planner off), in one statement per root field; what it does not
plan falls back, visibly."""

from __future__ import annotations

from typing import Any

import pytest

from civgraph.auth.principal import Principal, Role
from civgraph.graph.driver import Graph, counting
from civgraph.resolvers import planner
from civgraph.resolvers.context import build_context
from civgraph.schema.schema import build_schema
from civgraph.settings import Settings
from tests.integration.schema.test_relationship_fields import FIELDS

ADMIN = Principal("tests (synthetic)", Role.ADMIN)
VIEWER = Principal("tests (synthetic)", Role.VIEWER)
SCOPED = Principal("tests (synthetic)", Role.CASEWORKER, region="340104")

ENTITY = "id __typename version provenance { source recordKey firstSeen lastSeen }"
DEEP = """
query {
  regions(first: 3, filter: {level: TOWNSHIP}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { code name communities { code households(first: 3) {
      pageInfo { hasNextPage endCursor }
      items { number address members { relation since person { name idNumber phone age
        programs { via amount since status caseNo program { code name } beneficiary {
          __typename ... on Household { number } ... on Person { name } } } } } } } } } }
  }
}"""
PERSON = """
query Person($id: ID!, $day: Date) {
  node(id: $id) {
    __typename
    ... on Person {
      name
      sex
      birthDate
      households(asOf: $day) {
        household { number members(asOf: $day) { person { name programs(asOf: $day) {
          program { code } amount since via } } } }
      }
    }
  }
}"""
FRAGMENTS = """
query ($skip: Boolean!) {
  people(first: 20, orderBy: BIRTH_DATE, direction: DESC) {
    nodes { ...who households @skip(if: $skip) { relation } alias: name }
    edges { cursor node { id } }
  }
}
fragment who on Person { name birthDate provenance { recordKey } }"""
PAGES = """
query ($after: String) {
  communities(first: 2) {
    nodes { code households(first: 2, after: $after) {
      pageInfo { hasNextPage endCursor } items { number } } }
  }
}"""
LOOKUPS = """
query ($code: DivisionCode!) {
  region(code: "340000") { name children { code name level parent { code } } }
  program(code: DIBAO_URBAN) { code name beneficiary }
  township: region(code: $code) { communities { code township { code } } }
}"""

BY_ID_NUMBER = """
query ($after: String, $direction: Direction!) {
  people(first: 40, orderBy: ID_NUMBER, direction: $direction, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { idNumber name }
  }
}"""
POSSIBLY = """
{ people(first: 100) { nodes { possiblySame { score matchKey provenance { recordKey }
  person { name } } } } }"""
UNPLANNED = "{ communities(first: 5) { nodes { linkage { status } } } }"
SOURCES = """
{
  people(first: 30) { nodes { sources(first: 3) { __typename registry recordKey file line
    firstSeen lastSeen matchKey score } households { household { sources { registry } } } } }
}"""
OVERLAP = "{ programOverlap(programs: [DIBAO_URBAN, MEDICAL_ASSISTANCE]) { count } }"
MIXED = """
{
  region(code: "340000") { name }
  programOverlap(programs: [DIBAO_URBAN, MEDICAL_ASSISTANCE]) { count }
  people(first: 3) { nodes { name } }
}"""
TOWNSHIPS = "{ regions(first: 1, filter: {level: TOWNSHIP}) { nodes { code } } }"


async def run(
    graph: Graph, query: str, principal: Principal = ADMIN, *, planned: bool = True,
    **variables: Any,
) -> tuple[dict[str, Any], int]:  # fmt: skip
    """The data (errors fail the test) and the statements sent."""
    tally = counting()
    context = build_context(graph, Settings(planner=planned), principal=principal)
    result = await build_schema().execute(query, variable_values=variables, context_value=context)
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data, tally.statements


async def same_answer(
    graph: Graph, query: str, principal: Principal = ADMIN, roots: int = 1, **variables: Any
) -> dict[str, Any]:
    """Asserts the planner answers as the DataLoader path, in one statement per root field."""
    ours, statements = await run(graph, query, principal, **variables)
    theirs, _ = await run(graph, query, principal, planned=False, **variables)
    assert ours == theirs
    assert statements == roots
    return ours


@pytest.mark.parametrize(
    ("root", "field"),
    [(r, f) for r, fields in FIELDS.items() for f in fields
     if (r, f) != ("programs", "enrollments")],
)  # fmt: skip
async def test_each_relationship_field_is_planned_and_answers_as_the_loaders(
    demo_graph: Graph, root: str, field: str
) -> None:
    query = f"{{ {root}(first: 100) {{ nodes {{ {ENTITY} {FIELDS[root][field]} }} }} }}"

    await same_answer(demo_graph, query)


@pytest.mark.parametrize("principal", [ADMIN, VIEWER, SCOPED], ids=["admin", "viewer", "scoped"])
async def test_a_deep_tree_is_one_statement_with_the_same_masking_and_scope(
    demo_graph: Graph, principal: Principal
) -> None:
    data = await same_answer(demo_graph, DEEP, principal)

    assert data["regions"]["edges"]


async def test_a_person_by_global_id_on_a_day(demo_graph: Graph) -> None:
    page, _ = await run(demo_graph, "{ people(first: 30) { nodes { id } } }")
    for node in page["people"]["nodes"]:
        for day in (None, "2020-01-01"):
            await same_answer(demo_graph, PERSON, id=node["id"], day=day)


@pytest.mark.parametrize("skip", [True, False])
async def test_fragments_aliases_and_directives(demo_graph: Graph, skip: bool) -> None:
    data = await same_answer(demo_graph, FRAGMENTS, skip=skip)

    assert ("households" in data["people"]["nodes"][0]) is not skip


@pytest.mark.parametrize("direction", ["ASC", "DESC"])
async def test_pages_of_a_nullable_order_end_with_the_nodes_without_the_value(
    demo_graph: Graph, direction: str
) -> None:
    after, seen, pages = None, [], 0
    while pages < 40:
        data = await same_answer(demo_graph, BY_ID_NUMBER, after=after, direction=direction)
        found = data["people"]
        seen += [node["idNumber"] for node in found["nodes"]]
        after, pages = found["pageInfo"]["endCursor"], pages + 1
        if not found["pageInfo"]["hasNextPage"]:
            break

    numbered = [number for number in seen if number is not None]
    assert seen[len(numbered) :] == [None] * (len(seen) - len(numbered))
    assert numbered == sorted(numbered, reverse=direction == "DESC")
    assert len(seen) == data["people"]["totalCount"]


async def test_nested_pages_follow_their_cursors(demo_graph: Graph) -> None:
    first = await same_answer(demo_graph, PAGES, after=None)
    cursor = first["communities"]["nodes"][0]["households"]["pageInfo"]["endCursor"]

    await same_answer(demo_graph, PAGES, after=cursor)


async def test_several_root_fields_are_one_statement_each(demo_graph: Graph) -> None:
    code, _ = await run(demo_graph, TOWNSHIPS)
    await same_answer(demo_graph, LOOKUPS, roots=3, code=code["regions"]["nodes"][0]["code"])


async def test_what_it_does_not_plan_falls_back_and_is_counted(demo_graph: Graph) -> None:
    before = sum(planner.FALLBACKS.values())

    ours, statements = await run(demo_graph, UNPLANNED)
    theirs, loaders = await run(demo_graph, UNPLANNED, planned=False)

    assert ours == theirs
    assert statements == loaders > 1  # the page, then each community's linkage
    assert sum(planner.FALLBACKS.values()) == before + 1


async def test_people_someone_may_be_best_first(demo_graph: Graph) -> None:
    await same_answer(demo_graph, POSSIBLY)


@pytest.mark.parametrize("principal", [ADMIN, VIEWER], ids=["admin", "viewer"])
async def test_source_records_with_their_match_keys(
    demo_graph: Graph, principal: Principal
) -> None:
    data = await same_answer(demo_graph, SOURCES, principal)

    assert any(node["sources"] for node in data["people"]["nodes"])


async def test_the_root_fields_it_plans_are_planned_beside_those_it_does_not(
    demo_graph: Graph,
) -> None:
    _, overlap = await run(demo_graph, OVERLAP)

    data = await same_answer(demo_graph, MIXED, roots=2 + overlap)  # its own, and one each

    assert list(data) == ["region", "programOverlap", "people"]


SEARCH = """
query ($text: String!, $types: [SearchType!]) {
  search(text: $text, types: $types, first: 15) {
    __typename
    score
    entity {
      __typename
      ... on Person { id name idNumber phone households { relation household { number } } }
      ... on Organization { name uscc region { code } }
      ... on Facility { name code }
      ...place
    }
  }
}
fragment place on Community { code name township { code } }"""
NAMES = """{ people(first: 5) { nodes { name } } organizations(first: 3) { nodes { name } }
  communities(first: 3) { nodes { name } } }"""


@pytest.mark.parametrize("principal", [ADMIN, VIEWER, SCOPED], ids=["admin", "viewer", "scoped"])
async def test_search_hits_of_every_type_are_one_statement(
    demo_graph: Graph, principal: Principal
) -> None:
    page, _ = await run(demo_graph, NAMES)
    names = [node["name"] for root in page.values() for node in root["nodes"]]
    found, fallbacks = 0, sum(planner.FALLBACKS.values())
    for text in [*(name[:2] for name in names), names[0][:1], "社区", "  "]:
        for types in (None, ["PERSON", "COMMUNITY"]):
            data = await same_answer(
                demo_graph, SEARCH, principal, roots=1 if text.strip() else 0,  # blank: none
                text=text, types=types,
            )  # fmt: skip
            found += len(data["search"])

    assert found > 0
    assert sum(planner.FALLBACKS.values()) == fallbacks  # every one planned


NESTED_THROUGH = """
{ people(first: 30) { nodes { name programs { via program { code } beneficiary {
  ... on Household { number members { person { name programs { via amount program { code } } } } }
} } } } }"""


async def test_a_households_programs_inside_a_households_programs(demo_graph: Graph) -> None:
    """Person.programs reads the households' enrollments through the person's memberships;
    nested again under the household's members, each level keeps its own names."""
    fallbacks = sum(planner.FALLBACKS.values())

    data = await same_answer(demo_graph, NESTED_THROUGH)

    assert sum(planner.FALLBACKS.values()) == fallbacks
    assert any(p["via"] == "HOUSEHOLD" for n in data["people"]["nodes"] for p in n["programs"])
