"""Builders for test data: small synthetic graphs with valid natural keys."""

from __future__ import annotations

from datetime import date

from civgraph.graph import communities, households, people, regions
from civgraph.graph.driver import Graph
from civgraph.graph.identifiers import resident_id_check_digit
from civgraph.graph.models import (
    CommunityInput,
    CommunityKind,
    HouseholdInput,
    MemberRelation,
    MembershipInput,
    PersonInput,
    RegionInput,
    RegionLevel,
)

SOURCE = "test (synthetic)"
COUNTY = "340121"  # 长丰县: valid in stdnum for every birth year
TOWNSHIP = "340121001"
COMMUNITY = "340121001001"


def resident_id(born: date, sequence: int, county: str = COUNTY) -> str:
    first17 = f"{county}{born:%Y%m%d}{sequence:03d}"
    return first17 + resident_id_check_digit(first17)


async def county_with_community(graph: Graph) -> None:
    """Province → city → county 340121 → township 340121001 → community 340121001001."""
    await regions.upsert_regions(
        graph,
        [
            RegionInput(code="340000", name="安徽省", level=RegionLevel.PROVINCE),
            RegionInput(code="340100", name="合肥市", level=RegionLevel.CITY, parent_code="340000"),
            RegionInput(code=COUNTY, name="长丰县", level=RegionLevel.COUNTY, parent_code="340100"),
            RegionInput(
                code=TOWNSHIP, name="测试镇", level=RegionLevel.TOWNSHIP, parent_code=COUNTY
            ),
        ],
        SOURCE,
    )
    await communities.upsert_communities(
        graph,
        [
            CommunityInput(
                code=COMMUNITY, name="测试社区", kind=CommunityKind.URBAN, township_code=TOWNSHIP
            )
        ],
        SOURCE,
    )


async def household(
    graph: Graph, number: str, members: list[tuple[str, date, MemberRelation]], start: int = 1
) -> list[str]:
    """A household in the test community with the given (name, birth date, relation) members;
    returns their resident ID numbers."""
    await households.upsert_households(
        graph,
        [HouseholdInput(number=number, address=f"{number}号", community_code=COMMUNITY)],
        SOURCE,
    )
    ids = [resident_id(born, start + i) for i, (_, born, _) in enumerate(members)]
    await people.upsert_people(
        graph,
        [PersonInput(id_number=i, name=m[0]) for i, m in zip(ids, members, strict=True)],
        SOURCE,
    )
    await households.upsert_memberships(
        graph,
        [
            MembershipInput(id_number=i, household_number=number, relation=m[2])
            for i, m in zip(ids, members, strict=True)
        ],
        SOURCE,
    )
    return ids
