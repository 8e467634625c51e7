"""Investigation rules on hand-built graphs: the boundary of each rule."""

from __future__ import annotations

from datetime import date

from civgraph.graph.catalog import Label, Rel
from civgraph.graph.driver import Graph
from civgraph.graph.models import (
    AssetKind,
    Cremation,
    FacilityFields,
    FacilityKind,
    MemberRelation,
    Membership,
    ProgramCode,
    Service,
    ServiceRole,
)
from civgraph.graph.nodes import upsert_nodes
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

    at_80 = await findings(builders.seen_by(graph), Rule.UNDER_AGE_ALLOWANCE, "34", AS_OF, 10)
    at_70 = await findings(builders.seen_by(graph), Rule.UNDER_AGE_ALLOWANCE, "34", AS_OF, 10,
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

    found = await findings(builders.seen_by(graph), Rule.TWO_HOUSEHOLDS, "34", AS_OF, 10)

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

    found = await findings(builders.seen_by(graph), Rule.OFFICERS_RELATIVES, "34", AS_OF, 10)

    assert [dict(f.entities)[Label.HOUSEHOLD].number for f in found] == ["H-FOUND"]  # type: ignore[attr-defined]
    assert dict(found[0].entities)[Label.PERSON].id_number == officers["H-FOUND"]  # type: ignore[attr-defined]
    assert found[0].detail == {"role": "COMMITTEE_MEMBER", "relatives": 1, "program": "DIBAO_URBAN"}
    assert [link.type for link in found[0].links] == ["ENROLLED_IN", "MEMBER_OF", "SERVES"]
    before = await findings(
        builders.seen_by(graph), Rule.OFFICERS_RELATIVES, "34", date(2024, 6, 30), 10
    )
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

    found = await findings(builders.seen_by(graph), Rule.ASSISTED_MEANS, "34", AS_OF, 10)

    assert [(f.detail["signal"], f.detail["program"]) for f in found] == [("VEHICLE", "TEKUN")]
    assert [label for label, _ in found[0].entities] == [
        Label.PERSON,
        Label.HOUSEHOLD,
        Label.PROGRAM,
    ]
    assert [link.type for link in found[0].links] == ["ENROLLED_IN", "MEMBER_OF", "OWNS"]


async def funeral_home(graph: Graph) -> str:
    home = FacilityFields(code="F-FUNERAL", name="殡仪馆", kind=FacilityKind.FUNERAL_HOME,
                          division_code=builders.COMMUNITY)  # fmt: skip
    await upsert_nodes(graph, [home], builders.SOURCE)
    return home.code


async def cremated(graph: Graph, person: str, on: date) -> None:
    await builders.link(graph, Rel.CREMATED_AT, (Label.PERSON, person),
                        (Label.FACILITY, "F-FUNERAL"), Cremation(cremated_on=on))  # fmt: skip


END_MEMBERSHIP = """
MATCH (:Person {idNumber: $id})-[m:MEMBER_OF]->() SET m.until = $until
"""


async def test_a_households_dibao_counts_for_a_dead_member_still_counted_or_alone(
    graph: Graph,
) -> None:
    """Household 低保 after a member's cremation: found when the dead member is still
    registered, or when the household has no living member left; not when the membership
    ended at death and others live on."""
    await builders.regions(graph)
    await builders.programs(graph)
    await funeral_home(graph)
    head, spouse = MemberRelation.HEAD, MemberRelation.SPOUSE
    (alone,) = await builders.household(graph, "H-ALONE", [("独甲", date(1940, 1, 1), head)])
    counted, _ = await builders.household(
        graph, "H-COUNTED", [("故乙", date(1941, 1, 1), head), ("生丙", date(1945, 1, 1), spouse)],
        start=3,
    )  # fmt: skip
    removed, _ = await builders.household(
        graph, "H-REMOVED", [("故丁", date(1942, 1, 1), head), ("生戊", date(1946, 1, 1), spouse)],
        start=5,
    )  # fmt: skip
    died = date(2026, 1, 10)
    for number, person in (("H-ALONE", alone), ("H-COUNTED", counted), ("H-REMOVED", removed)):
        await builders.enroll(graph, Label.HOUSEHOLD, number, ProgramCode.DIBAO_RURAL,
                              since=date(2024, 1, 1), amount=500)  # fmt: skip
        await cremated(graph, person, died)
    for person in (alone, removed):  # the registry ended their membership at death
        await graph.write(END_MEMBERSHIP, id=person, until=died)

    found = await findings(builders.seen_by(graph), Rule.BENEFITS_AFTER_DEATH, "34", AS_OF, 10)

    flagged = {dict(f.entities)[Label.HOUSEHOLD].number: f for f in found}  # type: ignore[attr-defined]
    assert set(flagged) == {"H-ALONE", "H-COUNTED"}
    for finding in flagged.values():
        assert (finding.detail["via"], finding.detail["family"]) == ("HOUSEHOLD", "DIBAO")
        assert {link.type for link in finding.links} == {"ENROLLED_IN", "MEMBER_OF", "CREMATED_AT"}
        assert finding.confidence == 1.0


POSSIBLY = """
MATCH (p:Person {idNumber: $id})
CREATE (x:Person {id: 'record-entity', name: p.name, sex: p.sex, birthDate: p.birthDate,
                  divisionCode: p.divisionCode, source: 'cremations', recordKey: 'HH-9',
                  firstSeen: datetime(), lastSeen: datetime()})
CREATE (x)-[:POSSIBLY_SAME {key: '-', score: 0.8, matchKey: 'name~homophone+birthDate'}]->(p)
"""


async def test_a_death_known_only_as_possibly_the_persons_is_a_lower_confidence_finding(
    graph: Graph,
) -> None:
    await builders.regions(graph)
    await builders.programs(graph)
    await funeral_home(graph)
    (person,) = await builders.household(
        graph, "H-P", [("某甲", date(1938, 1, 1), MemberRelation.HEAD)]
    )
    await builders.enroll(graph, Label.PERSON, person, ProgramCode.OLD_AGE_ALLOWANCE,
                          since=date(2020, 1, 1), amount=300)  # fmt: skip
    await graph.write(POSSIBLY, id=person)
    await graph.write(
        "MATCH (x:Person {id: 'record-entity'}), (f:Facility {code: 'F-FUNERAL'}) "
        "CREATE (x)-[:CREMATED_AT {key: '-', crematedOn: date('2026-02-01')}]->(f)"
    )

    [finding] = await findings(builders.seen_by(graph), Rule.BENEFITS_AFTER_DEATH, "34", AS_OF, 10)

    assert finding.confidence == 0.8
    assert {link.type for link in finding.links} == {"ENROLLED_IN", "CREMATED_AT", "POSSIBLY_SAME"}
    assert dict(finding.entities)[Label.PERSON].id_number == person  # type: ignore[attr-defined]


async def test_a_person_counted_in_two_assisted_households_is_paid_twice(graph: Graph) -> None:
    """Two households on 低保 (urban in one county, rural in the other) with one person a
    member of both: the person's finding, through the two households; a household enrolled
    twice is the household's finding, not its members'."""
    await builders.regions(graph)
    await builders.programs(graph)
    head, child = MemberRelation.HEAD, MemberRelation.CHILD
    (both,) = await builders.household(graph, "H-1", [("两户甲", date(1980, 1, 1), head)])
    await builders.household(graph, "H-2", [("户主乙", date(1955, 1, 1), head)], start=3,
                             community=builders.OTHER_COMMUNITY)  # fmt: skip
    await builders.link(graph, Rel.MEMBER_OF, (Label.PERSON, both), (Label.HOUSEHOLD, "H-2"),
                        Membership(relation=child), since=date(2025, 1, 1))  # fmt: skip
    await builders.household(  # H-3, enrolled twice: its members have no finding of their own
        graph, "H-3", [("重复丙", date(1960, 1, 1), head), ("重复丁", date(1990, 1, 1), child)],
        start=5,
    )  # fmt: skip
    await builders.enroll(graph, Label.HOUSEHOLD, "H-1", ProgramCode.DIBAO_URBAN,
                          since=date(2024, 1, 1))  # fmt: skip
    await builders.enroll(graph, Label.HOUSEHOLD, "H-2", ProgramCode.DIBAO_RURAL,
                          since=date(2024, 6, 1), county=builders.OTHER_COUNTY)  # fmt: skip
    await builders.enroll(graph, Label.HOUSEHOLD, "H-3", ProgramCode.DIBAO_URBAN,
                          since=date(2024, 1, 1))  # fmt: skip
    await builders.enroll(graph, Label.HOUSEHOLD, "H-3", ProgramCode.DIBAO_RURAL,
                          since=date(2025, 3, 1))  # fmt: skip

    found = await findings(builders.seen_by(graph), Rule.DUPLICATE_ENROLLMENT, "34", AS_OF, 10)

    subjects = sorted(
        str(getattr(record, "id_number", None) or getattr(record, "number", ""))
        for _, record in (f.entities[0] for f in found)
    )
    assert subjects == sorted([both, "H-3"])
    person = next(f for f in found if f.entities[0][0] is Label.PERSON)
    assert person.detail["via"] == ["HOUSEHOLD", "HOUSEHOLD"]
    assert sorted(person.detail["programs"]) == ["DIBAO_RURAL", "DIBAO_URBAN"]
    assert "MEMBER_OF" in {link.type for link in person.links}
    household = next(f for f in found if f.entities[0][0] is Label.HOUSEHOLD)
    assert household.detail["regions"] == [builders.COUNTY, builders.COUNTY]  # one county
