"""A small demo dataset, loaded by `make run` into an empty database.

Everything here is synthetic: the townships, communities, households and people do not
exist; the names are the customary placeholder names (张三, 李四, …). Only the province,
city and district names and codes are real (GB/T 2260).
"""

from __future__ import annotations

from datetime import date

from civgraph.graph.catalog import Label, Rel, relationship
from civgraph.graph.driver import Graph
from civgraph.graph.identifiers import resident_id_check_digit
from civgraph.graph.links import LinkInput, upsert_links
from civgraph.graph.models import (
    CommunityFields as CommunityInput,
)
from civgraph.graph.models import (
    CommunityKind,
    MemberRelation,
    Membership,
    RegionLevel,
)
from civgraph.graph.models import (
    HouseholdFields as HouseholdInput,
)
from civgraph.graph.models import (
    PersonFields as PersonInput,
)
from civgraph.graph.models import (
    RegionFields as RegionInput,
)
from civgraph.graph.nodes import upsert_nodes

SOURCE = "demo (synthetic)"

REGIONS = (
    RegionInput(code="340000", name="安徽省", level=RegionLevel.PROVINCE),
    RegionInput(code="340100", name="合肥市", level=RegionLevel.CITY, parent_code="340000"),
    RegionInput(code="340111", name="包河区", level=RegionLevel.COUNTY, parent_code="340100"),
    RegionInput(code="340104", name="蜀山区", level=RegionLevel.COUNTY, parent_code="340100"),
    RegionInput(
        code="340111001", name="演示街道", level=RegionLevel.TOWNSHIP, parent_code="340111"
    ),
    RegionInput(code="340111100", name="演示镇", level=RegionLevel.TOWNSHIP, parent_code="340111"),
)
COMMUNITIES = (
    CommunityInput(code="340111001001", name="演示社区居委会", kind=CommunityKind.URBAN,
                   township_code="340111001"),
    CommunityInput(code="340111100201", name="演示村村委会", kind=CommunityKind.VILLAGE,
                   township_code="340111100"),
)  # fmt: skip
HOUSEHOLDS = (
    HouseholdInput(
        number="340111001001-0001", address="演示社区1栋101室", community_code="340111001001"
    ),
    HouseholdInput(
        number="340111001001-0002", address="演示社区2栋202室", community_code="340111001001"
    ),
    HouseholdInput(
        number="340111100201-0001", address="演示村一组8号", community_code="340111100201"
    ),
)


# 长丰县: a county code valid for every birth year since 1949. stdnum rejects an ID number whose
# county code did not exist in the birth year (包河区's 340111 only dates from 2002).
ISSUED_IN = "340121"


def resident_id(region: str, born: date, sequence: int) -> str:
    """A valid resident ID: odd `sequence` for a man, even for a woman."""
    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    return first17 + resident_id_check_digit(first17)


# (name, birth date, sequence, household, relation, member since)
MEMBERS = (
    ("张三", date(1968, 3, 14), 11, "340111001001-0001", MemberRelation.HEAD, date(1995, 6, 1)),
    ("李四", date(1970, 9, 2), 22, "340111001001-0001", MemberRelation.SPOUSE, date(1995, 6, 1)),
    ("张小五", date(1998, 1, 20), 31, "340111001001-0001", MemberRelation.CHILD, date(1998, 1, 20)),
    ("王五", date(1941, 12, 5), 42, "340111001001-0002", MemberRelation.HEAD, date(1980, 4, 1)),
    ("赵六", date(1955, 7, 30), 51, "340111100201-0001", MemberRelation.HEAD, date(1976, 1, 1)),
    ("孙七", date(1957, 2, 11), 62, "340111100201-0001", MemberRelation.SPOUSE, date(1978, 10, 1)),
    ("赵八", date(1936, 5, 9), 71, "340111100201-0001", MemberRelation.PARENT, date(1976, 1, 1)),
)


async def load_demo(graph: Graph) -> int:
    """Loads the demo dataset (idempotently); returns the number of people."""
    for level in RegionLevel:  # parents before children
        await upsert_nodes(graph, [r for r in REGIONS if r.level is level], SOURCE)
    await upsert_nodes(graph, COMMUNITIES, SOURCE)
    await upsert_nodes(graph, HOUSEHOLDS, SOURCE)
    ids = [resident_id(ISSUED_IN, born, seq) for _, born, seq, *_ in MEMBERS]
    persons = [PersonInput(id_number=i, name=m[0]) for i, m in zip(ids, MEMBERS, strict=True)]
    await upsert_nodes(graph, persons, SOURCE)
    memberships = [
        LinkInput(i, m[3], Membership(relation=m[4]), since=m[5])
        for i, m in zip(ids, MEMBERS, strict=True)
    ]
    await upsert_links(graph, relationship(Rel.MEMBER_OF, Label.PERSON, Label.HOUSEHOLD), memberships, SOURCE)
    return len(persons)
