"""Investigation rules on hand-built graphs: the boundary of each rule."""

from __future__ import annotations

from datetime import date

from civgraph.graph.catalog import Label, Rel
from civgraph.graph.driver import Graph
from civgraph.graph.investigations import Rule, Thresholds, findings
from civgraph.graph.models import MemberRelation, Membership, ProgramCode
from tests import builders

AS_OF = date(2026, 6, 30)


async def test_the_allowance_age_is_the_id_numbers_and_a_setting(graph: Graph) -> None:
    await builders.regions(graph)
    await builders.programs(graph)
    (young,) = await builders.household(
        graph, "H-Y", [("少甲", date(1950, 1, 1), MemberRelation.HEAD)]
    )
    elder = [("老乙", date(1940, 1, 1), MemberRelation.HEAD)]
    (old,) = await builders.household(graph, "H-O", elder, start=2)
    for person in (young, old):
        await builders.enroll(graph, Label.PERSON, person, ProgramCode.OLD_AGE_ALLOWANCE,
                              since=date(2025, 1, 1), amount=100)  # fmt: skip

    at_80 = await findings(graph, Rule.UNDER_AGE_ALLOWANCE, "34", AS_OF, 10)
    at_70 = await findings(graph, Rule.UNDER_AGE_ALLOWANCE, "34", AS_OF, 10,
                           thresholds=Thresholds(old_age_allowance_age=70))  # fmt: skip

    assert [f.detail["age"] for f in at_80] == [76]
    assert [dict(f.entities)[Label.PERSON].id_number for f in at_80] == [young]  # type: ignore[attr-defined]
    assert at_70 == []


async def test_two_households_at_once_but_not_one_after_the_other(graph: Graph) -> None:
    await builders.regions(graph)
    members = [("户主", date(1960, 1, 1), MemberRelation.HEAD)]
    (moved,) = await builders.household(graph, "H-1", members)
    (doubled,) = await builders.household(graph, "H-3", members, start=2)
    for number in ("H-2", "H-4"):
        await builders.household(graph, number, [("别人", date(1961, 1, 1), MemberRelation.HEAD)],
                                 start=3 + int(number[-1]))  # fmt: skip
    child = Membership(relation=MemberRelation.CHILD)
    # moved: H-1 until 2020, then H-2; doubled: H-3 (open) and H-4 from 2021
    ended = "MATCH (:Person {idNumber: $id})-[m:MEMBER_OF]->() SET m.until = date('2020-01-01')"
    await graph.write(ended, id=moved)
    await builders.link(graph, Rel.MEMBER_OF, (Label.PERSON, moved), (Label.HOUSEHOLD, "H-2"),
                        child, since=date(2020, 1, 2))  # fmt: skip
    await builders.link(graph, Rel.MEMBER_OF, (Label.PERSON, doubled), (Label.HOUSEHOLD, "H-4"),
                        child, since=date(2021, 1, 1))  # fmt: skip

    found = await findings(graph, Rule.TWO_HOUSEHOLDS, "34", AS_OF, 10)

    assert [dict(f.entities)[Label.PERSON].id_number for f in found] == [doubled]  # type: ignore[attr-defined]
    assert sorted(found[0].detail["households"]) == ["H-3", "H-4"]
    assert {link.type for link in found[0].links} == {"MEMBER_OF"}
