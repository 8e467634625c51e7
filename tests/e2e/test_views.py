"""Root connections, filters and cross-program views over real HTTP."""

from __future__ import annotations

from datetime import date
from typing import Any

from civgraph.graph.catalog import Label
from civgraph.graph.driver import Graph
from civgraph.graph.models import MemberRelation, ProgramCode
from tests import builders
from tests.servers import Api

DIBAO_PEOPLE = """
query Page($after: String) {
  people(
    filter: {inRegion: "340121", enrolledIn: {programs: [DIBAO_RURAL]}}, first: 2, after: $after
  ) {
    totalCount
    nodes { name programs { program { code } via } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
OVERLAP = """
{ programOverlap(
    programs: [DIBAO_RURAL, MEDICAL_ASSISTANCE], regionCode: "340100", asOf: "2024-06-01"
  ) {
    count entries { person { name } programs } } }
"""
STATISTICS = """
{ enrollmentStatistics(regionCode: "340100", asOf: "2024-06-01", groupBy: [REGION, PROGRAM]) {
    regionCode program people enrollments amount } }
"""
SEARCH = '{ search(text: "测试社区") { score entity { __typename ... on Community { code } } } }'


async def assisted_household(graph: Graph) -> list[str]:
    await builders.regions(graph)
    await builders.programs(graph)
    ids = await builders.household(
        graph,
        "H-1",
        [
            ("甲", date(1940, 3, 1), MemberRelation.HEAD),
            ("乙", date(1942, 3, 1), MemberRelation.SPOUSE),
            ("丙", date(2010, 5, 1), MemberRelation.GRANDCHILD),
        ],
    )
    await builders.enroll(
        graph, Label.HOUSEHOLD, "H-1", ProgramCode.DIBAO_RURAL, date(2023, 1, 1), amount=900
    )
    await builders.enroll(
        graph, Label.PERSON, ids[0], ProgramCode.MEDICAL_ASSISTANCE, date(2024, 1, 1)
    )
    return ids


async def test_a_filtered_connection_pages_with_cursors_and_counts(api: Api, graph: Graph) -> None:
    await assisted_household(graph)

    first = api.post(DIBAO_PEOPLE)["data"]["people"]
    second = api.post(DIBAO_PEOPLE, after=first["pageInfo"]["endCursor"])["data"]["people"]

    assert first["totalCount"] == 3
    assert [p["name"] for p in first["nodes"] + second["nodes"]] == ["丙", "乙", "甲"]
    assert (first["pageInfo"]["hasNextPage"], second["pageInfo"]["hasNextPage"]) == (True, False)
    head = second["nodes"][0]
    assert {(e["program"]["code"], e["via"]) for e in head["programs"]} == {
        ("DIBAO_RURAL", "HOUSEHOLD"),
        ("MEDICAL_ASSISTANCE", "PERSON"),
    }


async def test_program_overlap_and_statistics_are_counted_by_the_server(
    api: Api, graph: Graph
) -> None:
    await assisted_household(graph)

    overlap = api.post(OVERLAP)["data"]["programOverlap"]
    groups = api.post(STATISTICS)["data"]["enrollmentStatistics"]

    assert overlap == {
        "count": 1,
        "entries": [{"person": {"name": "甲"}, "programs": ["DIBAO_RURAL", "MEDICAL_ASSISTANCE"]}],
    }
    assert groups == [
        {
            "regionCode": "340121",
            "program": "DIBAO_RURAL",
            "people": 3,
            "enrollments": 1,
            "amount": 900.0,
        },
        {
            "regionCode": "340121",
            "program": "MEDICAL_ASSISTANCE",
            "people": 1,
            "enrollments": 1,
            "amount": 0.0,
        },
    ]


async def test_search_returns_the_entity_as_its_own_type(api: Api, graph: Graph) -> None:
    await builders.regions(graph)

    hits = api.post(SEARCH)["data"]["search"]

    assert hits[0]["entity"] == {"__typename": "Community", "code": builders.COMMUNITY}


SURNAME = '{ search(text: "王", types: [PERSON]) { score entity { ... on Person { name } } } }'


async def test_one_character_finds_the_people_whose_name_starts_with_it(
    api: Api, graph: Graph
) -> None:
    await builders.regions(graph)
    born = date(1960, 1, 1)
    await builders.household(graph, "H-W", [("王五", born, MemberRelation.HEAD),
                                            ("李王", born, MemberRelation.SPOUSE)])  # fmt: skip

    hits = api.post(SURNAME)["data"]["search"]

    assert hits == [{"score": 1.0, "entity": {"name": "王五"}}]


def errors(body: dict[str, Any]) -> list[str]:
    return [error["message"] for error in body["errors"]]


def test_bad_arguments_are_the_clients_errors_not_masked(api: Api) -> None:
    too_many = api.post("{ people(first: 1000) { nodes { name } } }")
    bad_cursor = api.post('{ people(after: "nope") { nodes { name } } }')
    bad_region = api.post('{ people(filter: {inRegion: "34x"}) { nodes { name } } }')

    assert errors(too_many) == ["first must be between 0 and 100, not 1000"]
    assert "not one this API issued" in errors(bad_cursor)[0]
    assert errors(bad_region)[0].startswith("filter.inRegion: invalid division code '34x': ")


def test_a_foreign_overlap_cursor_is_the_clients_error(api: Api) -> None:
    body = api.post('{ programOverlap(programs: [TEKUN], after: "%%%") { count } }')

    assert "not one this API issued" in errors(body)[0]
