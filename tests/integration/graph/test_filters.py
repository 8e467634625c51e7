from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from civgraph.graph import pages
from civgraph.graph.catalog import Label, Rel, relationship
from civgraph.graph.driver import Graph
from civgraph.graph.filters import AnyOf, Compare, Condition, Op, Related
from civgraph.graph.models import MemberRelation, OrganizationKind, ProgramCode
from tests import builders

ORDER = pages.Order("name")
PERSON_ENROLLED = relationship(Rel.ENROLLED_IN, Label.PERSON, Label.PROGRAM)
HOUSEHOLD_ENROLLED = relationship(Rel.ENROLLED_IN, Label.HOUSEHOLD, Label.PROGRAM)
MEMBER_OF = relationship(Rel.MEMBER_OF, Label.PERSON, Label.HOUSEHOLD)


async def names(graph: Graph, label: Label, conditions: Sequence[Condition]) -> list[str]:
    page = await pages.list_page(builders.seen_by(graph), label, conditions, ORDER, 100)
    return [node.name for node in page.nodes]  # type: ignore[attr-defined]


async def two_counties(graph: Graph) -> None:
    await builders.regions(graph)
    await builders.programs(graph)
    members = [
        ("长丰甲", date(1940, 1, 1), MemberRelation.HEAD),
        ("长丰乙", date(1990, 1, 1), MemberRelation.CHILD),
    ]
    await builders.household(graph, "H-1", members)
    await builders.household(
        graph, "H-2", [("蜀山丙", date(1950, 1, 1), MemberRelation.HEAD)], start=10,
        community=builders.OTHER_COMMUNITY,
    )  # fmt: skip


async def test_a_region_includes_everything_below_it(graph: Graph) -> None:
    await two_counties(graph)

    def in_region(prefix: str) -> list[Condition]:
        return [Compare("divisionCode", Op.STARTS_WITH, prefix)]

    assert await names(graph, Label.PERSON, in_region("3401")) == ["蜀山丙", "长丰乙", "长丰甲"]
    assert await names(graph, Label.PERSON, in_region(builders.COUNTY)) == ["长丰乙", "长丰甲"]
    assert await names(graph, Label.PERSON, in_region(builders.OTHER_TOWNSHIP)) == ["蜀山丙"]


async def test_enrollment_during_a_period_overlapping_it(graph: Graph) -> None:
    await two_counties(graph)
    [head, _] = [
        builders.resident_id(date(1940, 1, 1), 1),
        builders.resident_id(date(1990, 1, 1), 2),
    ]
    await builders.enroll(
        graph,
        Label.PERSON,
        head,
        ProgramCode.OLD_AGE_ALLOWANCE,
        date(2020, 1, 1),
        date(2020, 12, 31),
    )

    def during(start: date, end: date) -> list[Condition]:
        return [
            Related(
                PERSON_ENROLLED,
                other=[Compare("code", Op.IN, ["OLD_AGE_ALLOWANCE"])],
                during=(start, end),
            )
        ]

    assert await names(graph, Label.PERSON, during(date(2020, 12, 1), date(2021, 3, 1))) == [
        "长丰甲"
    ]
    assert await names(graph, Label.PERSON, during(date(2021, 1, 1), date(2021, 3, 1))) == []
    assert await names(graph, Label.PERSON, during(date(2019, 1, 1), date(2019, 12, 31))) == []


async def test_a_household_benefit_reaches_its_members_through_the_household(graph: Graph) -> None:
    await two_counties(graph)
    await builders.enroll(graph, Label.HOUSEHOLD, "H-1", ProgramCode.DIBAO_RURAL, date(2022, 1, 1))
    dibao = [Compare("code", Op.EQ, "DIBAO_RURAL")]
    own = Related(PERSON_ENROLLED, other=dibao)
    shared = Related(HOUSEHOLD_ENROLLED, through=MEMBER_OF, other=dibao)

    assert await names(graph, Label.PERSON, [own]) == []
    assert await names(graph, Label.PERSON, [AnyOf([own, shared])]) == ["长丰乙", "长丰甲"]


async def test_households_with_a_member_born_before_a_date(graph: Graph) -> None:
    await two_counties(graph)
    old_member = Related(
        MEMBER_OF,
        outgoing=False,
        other=[Compare("birthDate", Op.LTE, date(1945, 1, 1))],
        current=True,
    )

    page = await pages.list_page(
        builders.seen_by(graph), Label.HOUSEHOLD, [old_member], pages.Order("number"), 10
    )

    assert [h.number for h in page.nodes] == ["H-1"]  # type: ignore[attr-defined]


async def test_organizations_supervised_by_an_agency(graph: Graph) -> None:
    await builders.regions(graph)
    agency = await builders.organization(graph, "测试局", OrganizationKind.GOVERNMENT_AGENCY, 1)
    association = await builders.organization(
        graph, "测试行业协会", OrganizationKind.SOCIAL_GROUP, 2, industry_association=True
    )
    await builders.organization(graph, "独立协会", OrganizationKind.SOCIAL_GROUP, 3)
    await builders.link(
        graph, Rel.SUPERVISED_BY, (Label.ORGANIZATION, association), (Label.ORGANIZATION, agency)
    )
    spec = relationship(Rel.SUPERVISED_BY, Label.ORGANIZATION, Label.ORGANIZATION)

    supervised = [Related(spec, other=[Compare("uscc", Op.EQ, agency)], current=True)]

    assert await names(graph, Label.ORGANIZATION, supervised) == ["测试行业协会"]
