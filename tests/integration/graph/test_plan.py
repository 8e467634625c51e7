"""Three-society linkage and plan indicators on hand-built graphs with known answers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from civgraph.graph import indicators, linkage
from civgraph.graph.catalog import Label, Rel
from civgraph.graph.driver import Graph
from civgraph.graph.indicators import BadTargets, IndicatorStatus, Target
from civgraph.graph.linkage import Element, Status
from civgraph.graph.models import (
    CommunityFields,
    CommunityKind,
    Enrollment,
    EnrollmentStatus,
    FacilityFields,
    FacilityKind,
    MemberRelation,
    OrganizationKind,
    Ownership,
    PersonFields,
    ProgramCode,
    Service,
    ServiceProjectFields,
    ServiceRole,
    SocialWorkerLevel,
    Standard,
)
from civgraph.graph.nodes import upsert_nodes
from tests import builders

TODAY = date(2026, 11, 1)
T = builders.TOWNSHIP
# community: (organization serves, social worker, project this year with provider, without)
COMBINATIONS = {
    f"{T}001": (True, True, True, False),
    f"{T}002": (True, True, False, False),
    f"{T}003": (False, True, False, True),
    f"{T}004": (True, False, False, False),
    f"{T}005": (False, False, True, False),
    f"{T}006": (False, False, False, False),
}


async def communities(graph: Graph) -> dict[str, str]:
    """The regions, five more communities in the township, and the elements of each as
    COMBINATIONS says; returns their platform ids by code."""
    await builders.regions(graph)
    more = [
        CommunityFields(code=code, name=f"社区{code[-1]}", kind=CommunityKind.URBAN,
                        township_code=T)
        for code in COMBINATIONS if code != builders.COMMUNITY
    ]  # fmt: skip
    await upsert_nodes(graph, more, builders.SOURCE)
    civil = await builders.organization(graph, "民政局", OrganizationKind.GOVERNMENT_AGENCY, 1)
    group = await builders.organization(graph, "老年协会", OrganizationKind.SOCIAL_GROUP, 2)
    agency = await builders.organization(graph, "社工中心", OrganizationKind.SOCIAL_WORK_AGENCY, 3)
    worker = Service(role=ServiceRole.SOCIAL_WORKER)
    for index, (code, (serves, social, project, bare)) in enumerate(COMBINATIONS.items()):
        place = (Label.COMMUNITY, code)
        if serves:
            provider = Service(role=ServiceRole.SERVICE_PROVIDER)
            await builders.link(graph, Rel.SERVES, (Label.ORGANIZATION, group), place, provider,
                                since=date(2024, 1, 1))  # fmt: skip
        if social:
            person = builders.resident_id(date(1990, 1, 1), index + 1)
            level = SocialWorkerLevel.INTERMEDIATE if index == 0 else None
            record = PersonFields(id_number=person, name=f"社工{index}", social_worker_level=level)
            await upsert_nodes(graph, [record], builders.SOURCE)
            await builders.link(graph, Rel.SERVES, (Label.PERSON, person), place, worker,
                                since=date(2025, 6, 1))  # fmt: skip
            await builders.link(graph, Rel.EMPLOYED_BY, (Label.PERSON, person),
                                (Label.ORGANIZATION, agency), since=date(2025, 6, 1))  # fmt: skip
        if project or bare:
            code_ = f"SP-{code}"
            await upsert_nodes(graph, [ServiceProjectFields(code=code_, name="项目", year=2026,
                                                            amount=100_000,
                                                            division_code=builders.COUNTY)],
                               builders.SOURCE)  # fmt: skip
            await builders.link(graph, Rel.DELIVERED_IN, (Label.SERVICE_PROJECT, code_), place)
            await builders.link(graph, Rel.FUNDS, (Label.ORGANIZATION, civil),
                                (Label.SERVICE_PROJECT, code_))  # fmt: skip
            if project:
                await builders.link(graph, Rel.DELIVERS, (Label.ORGANIZATION, agency),
                                    (Label.SERVICE_PROJECT, code_))  # fmt: skip
    rows = await graph.read("MATCH (c:Community) RETURN c.code AS code, c.id AS id")
    return {row["code"]: row["id"] for row in rows}


async def test_a_communitys_linkage_names_what_it_has_and_lacks(graph: Graph) -> None:
    ids = await communities(graph)

    found = {code: await linkage.community_linkage(builders.seen_by(graph), ids[code], TODAY)
             for code in COMBINATIONS}  # fmt: skip
    earlier = await linkage.community_linkage(
        builders.seen_by(graph), ids[f"{T}001"], date(2025, 1, 1)
    )
    outside = await linkage.community_linkage(
        builders.seen_by(graph, "340104"), ids[f"{T}001"], TODAY
    )

    statuses = {code[-1]: (f.status, f.missing) for code, f in found.items() if f}
    assert statuses == {
        "1": (Status.LINKED, []),
        "2": (Status.PARTIAL, [Element.SERVICE_PROJECT]),
        "3": (Status.PARTIAL, [Element.ORGANIZATION]),
        "4": (Status.PARTIAL, [Element.SOCIAL_WORKER, Element.SERVICE_PROJECT]),
        "5": (Status.PARTIAL, [Element.SOCIAL_WORKER]),  # the project's provider serves it
        "6": (Status.NONE, [Element.ORGANIZATION, Element.SOCIAL_WORKER,
                            Element.SERVICE_PROJECT]),
    }  # fmt: skip
    first = found[f"{T}001"]
    assert first is not None
    [worker] = first.workers
    assert worker.licensed
    assert worker.employer is not None
    assert worker.employer.name == "社工中心"  # type: ignore[attr-defined]
    [project] = first.projects
    assert (project.funder.name, project.provider.name) == ("民政局", "社工中心")  # type: ignore[union-attr]
    assert sorted(o.name for o in first.organizations) == ["社工中心", "老年协会"]  # type: ignore[attr-defined]
    assert not found[f"{T}002"].workers[0].licensed  # type: ignore[union-attr]
    # before the worker was assigned and outside the project's year, the 2024 service stays
    assert earlier is not None
    assert (earlier.status, earlier.missing) == (
        Status.PARTIAL, [Element.SOCIAL_WORKER, Element.SERVICE_PROJECT]
    )  # fmt: skip
    assert outside is None


async def test_coverage_counts_each_region_and_year_and_names_the_weakest(graph: Graph) -> None:
    await communities(graph)

    province = await linkage.coverage(
        builders.seen_by(graph), "34", 2026, TODAY, years=3, weakest=2
    )
    county = await linkage.coverage(
        builders.seen_by(graph), "340121", 2026, TODAY, years=1, weakest=0
    )

    tally = province.region.tally
    # the six above and the other county's village (nothing)
    assert (tally.communities, tally.linked, tally.partial, tally.none) == (7, 1, 4, 2)
    assert tally.without == {Element.ORGANIZATION: 3, Element.SOCIAL_WORKER: 4,
                             Element.SERVICE_PROJECT: 4}  # fmt: skip
    assert [(a.code, a.name, a.tally.communities) for a in province.children] == [
        ("340100", "合肥市", 7)
    ]
    assert [(a.code, a.tally.linked) for a in county.children] == [(T, 1)]
    assert county.region.name == "长丰县"
    # 2024: two communities served (from 2024-01-01), no workers, no projects; 2025: workers
    assert [(year, t.linked, t.partial, t.none) for year, t in province.trend] == [
        (2024, 0, 3, 4), (2025, 0, 4, 3), (2026, 1, 4, 2)
    ]  # fmt: skip
    assert [w.community.code for w in province.weakest] == [  # type: ignore[attr-defined]
        builders.OTHER_COMMUNITY, f"{T}006"
    ]  # fmt: skip
    assert province.region.tally.linked_share == 14.3


async def test_the_linkage_graph_of_a_community(graph: Graph) -> None:
    await communities(graph)

    found = await linkage.linkage_graph(builders.seen_by(graph), f"{T}001", TODAY, 100)
    cut = await linkage.linkage_graph(builders.seen_by(graph), T, TODAY, 3)

    assert sorted(link.type for link in found.links) == [
        "DELIVERED_IN", "DELIVERS", "EMPLOYED_BY", "FUNDS", "SERVES", "SERVES"
    ]  # fmt: skip
    assert not found.truncated
    assert (len(cut.links), cut.truncated) == (3, True)


async def test_a_reader_sees_of_a_communitys_linkage_only_what_lies_in_its_region(
    graph: Graph,
) -> None:
    """The social workers of COMBINATIONS belong to no household, so have no division code:
    a county's reader does not see them (nor their employment), but sees the county's
    organizations and projects; the community's status is still the community's."""
    ids = await communities(graph)
    county = builders.seen_by(graph, builders.COUNTY)

    found = await linkage.community_linkage(county, ids[f"{T}001"], TODAY)
    drawn = await linkage.linkage_graph(county, f"{T}001", TODAY, 100)

    assert found is not None
    assert (found.status, found.missing) == (Status.LINKED, [])
    assert (found.workers, len(found.organizations), len(found.projects)) == ([], 2, 1)
    assert sorted(link.type for link in drawn.links) == [
        "DELIVERED_IN", "DELIVERS", "FUNDS", "SERVES"
    ]  # fmt: skip


async def indicator_graph(graph: Graph) -> None:
    """Two counties: facilities, platforms, cases, standards and elders with known
    answers (see each assertion)."""
    await builders.regions(graph)
    await builders.programs(graph)
    await upsert_nodes(graph, [CommunityFields(
        code=f"{T}002", name="二社区", kind=CommunityKind.URBAN, township_code=T,
    )], builders.SOURCE)  # fmt: skip
    await graph.write(
        "MATCH (c:Community {code: $code}) SET c.hasServicePlatform = true, "
        "c.platformSince = date('2026-05-01')", code=builders.COMMUNITY,
    )  # fmt: skip
    facilities = [
        ("F1", FacilityKind.COMMUNITY_SERVICE_CENTER, builders.COMMUNITY, 0, "2026-02-01", True),
        ("F2", FacilityKind.COMMUNITY_SERVICE_CENTER, f"{T}002", 0, "2020-01-01", True),
        ("F3", FacilityKind.VERIFICATION_CENTER, builders.COUNTY, 0, "2025-09-01", True),
        ("F4", FacilityKind.ELDERLY_CARE_HOME, builders.COMMUNITY, 60, "2024-01-01", False),
        ("F5", FacilityKind.ELDERLY_CARE_HOME, builders.COMMUNITY, 40, "2026-01-10", False),
        ("F6", FacilityKind.ELDERLY_CARE_HOME, builders.OTHER_COMMUNITY, 100, "2010-01-01", True),
        ("F7", FacilityKind.RURAL_NURSING_HOME, builders.OTHER_COMMUNITY, 30, "2010-01-01", True),
        ("F8", FacilityKind.RURAL_NURSING_HOME, builders.OTHER_COMMUNITY, 20, "2012-01-01", False),
    ]
    await upsert_nodes(graph, [
        FacilityFields(code=code, name=code, kind=kind, division_code=where, beds=beds,
                       opened_on=date.fromisoformat(opened), legal_person_registered=legal,
                       ownership=Ownership.SOCIAL if kind is FacilityKind.ELDERLY_CARE_HOME
                       and not legal else Ownership.PUBLIC)
        for code, kind, where, beds, opened, legal in facilities
    ], builders.SOURCE)  # fmt: skip
    await builders.organization(graph, "社工", OrganizationKind.SOCIAL_WORK_AGENCY, 4,
                                registered_on=date(2020, 1, 1))  # fmt: skip
    for county, amounts in ((builders.COUNTY, (800, 880)), (builders.OTHER_COUNTY, (700, 784))):
        for year, amount in zip((2025, 2026), amounts, strict=True):
            await builders.link(graph, Rel.SETS_STANDARD, (Label.REGION, county),
                                (Label.PROGRAM, "DIBAO_URBAN"), Standard(amount=amount),
                                since=date(year, 1, 1),
                                until=date(year, 12, 31) if year == 2025 else None)  # fmt: skip
    old, young = date(1940, 1, 1), date(1950, 1, 1)
    couple = [("甲", old, MemberRelation.HEAD), ("乙", young, MemberRelation.SPOUSE)]
    head, spouse = await builders.household(graph, "H-DB", couple)
    single = [("丙", date(1944, 1, 1), MemberRelation.HEAD)]
    (alone,) = await builders.household(graph, "H-TK", single, start=5)
    await builders.enroll(graph, Label.HOUSEHOLD, "H-DB", ProgramCode.DIBAO_URBAN,
                          since=date(2020, 1, 1))  # fmt: skip
    await builders.enroll(graph, Label.PERSON, alone, ProgramCode.TEKUN, since=date(2020, 1, 1))
    await builders.enroll(graph, Label.PERSON, head, ProgramCode.OLD_AGE_ALLOWANCE,
                          since=date(2020, 1, 1), amount=100)  # fmt: skip
    for number, (amount, cost, on) in enumerate(
        ((600, 1000, "2026-03-01"), (300, 500, "2026-07-01"), (100, 400, "2025-07-01"))
    ):
        case = Enrollment(status=EnrollmentStatus.ENDED, amount=amount, eligible_cost=cost,
                          region_code=builders.COUNTY, case_no=f"YL{number}")  # fmt: skip
        day = date.fromisoformat(on)
        program = (Label.PROGRAM, "MEDICAL_ASSISTANCE")
        await builders.link(graph, Rel.ENROLLED_IN, (Label.PERSON, spouse), program, case,
                            since=day, until=day)  # fmt: skip


async def test_indicators_have_their_known_values_baselines_and_targets(graph: Graph) -> None:
    await indicator_graph(graph)
    await indicators.load_targets(graph)
    targets = await indicators.stored_targets(graph, [2026])

    province = {m.indicator.code: m for m in await indicators.measure(
        builders.seen_by(graph), "34", 2026, TODAY, 80, targets)}  # fmt: skip
    county = {m.indicator.code: m for m in await indicators.measure(
        builders.seen_by(graph), builders.COUNTY, 2026, TODAY, 80, targets)}  # fmt: skip

    def seen(code: str) -> tuple[float | None, float | None, float | None, IndicatorStatus]:
        m = province[code]
        return m.value, m.baseline, m.target.value if m.target else None, m.status

    met, short = IndicatorStatus.MET, IndicatorStatus.NOT_MET
    assert seen("URBAN_COMMUNITY_FACILITY_COVERAGE") == (100.0, 50.0, None,
                                                          IndicatorStatus.NO_TARGET)  # fmt: skip
    assert seen("URBAN_COMMUNITY_FACILITY_GROWTH") == (100.0, 0.0, 10.0, met)
    assert seen("SERVICE_PLATFORM_COVERAGE") == (33.3, 0.0, 10.0, met)
    assert seen("VERIFICATION_MECHANISM_COUNTIES") == (50.0, 50.0, 80.0, short)
    assert seen("MEDICAL_ASSISTANCE_RATIO") == (60.0, 25.0, 60.0, met)
    assert seen("PRIVATE_SOCIAL_WORK_AGENCIES") == (1.0, 1.0, 20.0, short)
    assert seen("SOCIAL_ELDERLY_CARE_BEDS") == (100.0, 60.0, 50000.0, short)
    assert seen("RURAL_NURSING_HOME_REGISTRATION") == (50.0, 50.0, 70.0, short)
    assert seen("DIBAO_STANDARD_URBAN") == (832.0, 750.0, None, IndicatorStatus.NO_TARGET)
    assert seen("DIBAO_STANDARD_URBAN_GROWTH") == (10.9, None, 10.0, met)
    assert seen("DIBAO_STANDARD_RURAL_GROWTH") == (None, None, 10.0, IndicatorStatus.NO_DATA)
    assert seen("LOW_INCOME_ELDERLY_ALLOWANCE") == (50.0, 50.0, 100.0, short)
    assert (province["LOW_INCOME_ELDERLY_ALLOWANCE"].numerator,
            province["LOW_INCOME_ELDERLY_ALLOWANCE"].denominator) == (1, 2)  # fmt: skip
    # a county: shares take the province's target for each region; totals do not
    assert county["VERIFICATION_MECHANISM_COUNTIES"].value == 100.0
    assert county["VERIFICATION_MECHANISM_COUNTIES"].target is not None
    assert county["PRIVATE_SOCIAL_WORK_AGENCIES"].status is IndicatorStatus.NO_TARGET
    assert county["DIBAO_STANDARD_URBAN"].value == 880.0


def test_a_county_target_beats_the_provinces_and_a_total_stays_where_it_was_set() -> None:
    targets = [
        Target("SERVICE_PLATFORM_COVERAGE", 2026, "340000", 10, each=True),
        Target("SERVICE_PLATFORM_COVERAGE", 2026, "340121", 25, each=True),
        Target("SOCIAL_ELDERLY_CARE_BEDS", 2026, "340000", 50_000, each=False),
    ]
    find = indicators.target_for

    assert find(targets, "SERVICE_PLATFORM_COVERAGE", 2026, "340121001").value == 25  # type: ignore[union-attr]
    assert find(targets, "SERVICE_PLATFORM_COVERAGE", 2026, "3410").value == 10  # type: ignore[union-attr]
    assert find(targets, "SERVICE_PLATFORM_COVERAGE", 2025, "34") is None
    assert find(targets, "SOCIAL_ELDERLY_CARE_BEDS", 2026, "34").value == 50_000  # type: ignore[union-attr]
    assert find(targets, "SOCIAL_ELDERLY_CARE_BEDS", 2026, "3401") is None


def test_a_bad_targets_file_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "targets.csv"
    path.write_text("指标代码,年度,区划代码,目标值,适用\nSERVICE_PLATFORM_COVERAGE,2026,340000,10,各地\n"
                    "NO_SUCH_THING,2026,340000,5,各地\n", encoding="utf-8")  # fmt: skip
    short = tmp_path / "short.csv"
    short.write_text("指标代码,年度\n", encoding="utf-8")

    with pytest.raises(BadTargets, match="line 3: unknown indicator 'NO_SUCH_THING'"):
        indicators.read_targets(path)
    with pytest.raises(BadTargets, match="missing columns"):
        indicators.read_targets(short)
    assert len(indicators.read_targets(indicators.TARGETS_FILE)) == 10
