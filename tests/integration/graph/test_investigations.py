"""Investigation rules on hand-built graphs: the boundary of each rule."""

from __future__ import annotations

from datetime import date

from civgraph.graph.catalog import Label, Rel
from civgraph.graph.driver import Graph
from civgraph.graph.models import (
    AssetKind,
    MemberRelation,
    Membership,
    ProgramCode,
    Service,
    ServiceRole,
)
from civgraph.graph.rules import Rule, Thresholds, findings
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


async def test_an_officers_household_on_dibao_is_found_unless_filed_or_alone(graph: Graph) -> None:
    """Households on 低保 with a committee member or case officer among their members: found
    with a relative and without 近亲属备案; not when filed, when the officer lives alone, when
    the member is a social worker, or when the post ended."""
    await builders.regions(graph)
    await builders.programs(graph)
    head, child = MemberRelation.HEAD, MemberRelation.CHILD
    cases = {  # household: (role, filed, with a relative, post ended)
        "H-FOUND": (ServiceRole.COMMITTEE_MEMBER, False, True, False),
        "H-FILED": (ServiceRole.CASE_OFFICER, True, True, False),
        "H-ALONE": (ServiceRole.CASE_OFFICER, False, False, False),
        "H-SOCIAL": (ServiceRole.SOCIAL_WORKER, False, True, False),
        "H-ENDED": (ServiceRole.COMMITTEE_MEMBER, None, True, True),
    }
    officers = {}
    for index, (number, (role, filed, relative, ended)) in enumerate(cases.items()):
        members = [("委员", date(1975, 1, 1), head)] + ([("子女", date(2005, 1, 1), child)]
                                                      if relative else [])  # fmt: skip
        ids = await builders.household(graph, number, members, start=10 * index + 1)
        officers[number] = ids[0]
        await builders.enroll(graph, Label.HOUSEHOLD, number, ProgramCode.DIBAO_URBAN,
                              since=date(2024, 1, 1), amount=800, relative_filed=filed)  # fmt: skip
        until = date(2025, 1, 1) if ended else None
        await builders.link(graph, Rel.SERVES, (Label.PERSON, ids[0]),
                            (Label.COMMUNITY, builders.COMMUNITY), Service(role=role),
                            since=date(2020, 1, 1), until=until)  # fmt: skip

    found = await findings(graph, Rule.OFFICERS_RELATIVES, "34", AS_OF, 10)

    assert [dict(f.entities)[Label.HOUSEHOLD].number for f in found] == ["H-FOUND"]  # type: ignore[attr-defined]
    assert dict(found[0].entities)[Label.PERSON].id_number == officers["H-FOUND"]  # type: ignore[attr-defined]
    assert found[0].detail == {"role": "COMMITTEE_MEMBER", "relatives": 1, "program": "DIBAO_URBAN"}
    assert [link.type for link in found[0].links] == ["ENROLLED_IN", "MEMBER_OF", "SERVES"]
    before = await findings(graph, Rule.OFFICERS_RELATIVES, "34", date(2024, 6, 30), 10)
    assert sorted(dict(f.entities)[Label.HOUSEHOLD].number for f in before) == [  # type: ignore[attr-defined]
        "H-ENDED", "H-FOUND"
    ]  # fmt: skip


async def test_a_tekun_person_with_a_vehicle_is_found_without_a_household_program(
    graph: Graph,
) -> None:
    await builders.regions(graph)
    await builders.programs(graph)
    (alone,) = await builders.household(
        graph, "H-T", [("独居", date(1950, 1, 1), MemberRelation.HEAD)]
    )
    await builders.enroll(graph, Label.PERSON, alone, ProgramCode.TEKUN, since=date(2024, 1, 1),
                          amount=900)  # fmt: skip
    await builders.asset(graph, alone, "皖A12345", AssetKind.VEHICLE)

    found = await findings(graph, Rule.ASSISTED_MEANS, "34", AS_OF, 10)

    assert [(f.detail["signal"], f.detail["program"]) for f in found] == [("VEHICLE", "TEKUN")]
    assert [label for label, _ in found[0].entities] == [
        Label.PERSON,
        Label.HOUSEHOLD,
        Label.PROGRAM,
    ]
    assert [link.type for link in found[0].links] == ["ENROLLED_IN", "MEMBER_OF", "OWNS"]
