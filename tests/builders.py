"""Builders for test data: exactly the graph a test needs, with valid natural keys.

Everything is synthetic. Names are placeholders; ID numbers are issued in 340121 长丰县
(valid for every birth year in python-stdnum) and live in the test community.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import LiteralString

from civgraph.graph import models as m
from civgraph.graph.catalog import Label, Rel, relationship
from civgraph.graph.driver import Graph
from civgraph.graph.identifiers import make_resident_id, make_uscc
from civgraph.graph.links import LinkInput, upsert_links
from civgraph.graph.migrations import BOOKKEEPING
from civgraph.graph.nodes import upsert_nodes
from civgraph.graph.scope import Scope, Scoped
from civgraph.ingest.reference import PROGRAMS

SOURCE = "test (synthetic)"
# Every data node goes; the schema and its migration records stay. IN TRANSACTIONS needs an
# auto-commit transaction, hence a session of its own.
# The change sequence stays, as it would in production: cursors keep increasing; so do the
# API keys of the session's servers, and the audit log.
WIPE: LiteralString = (
    "MATCH (n) WHERE " + BOOKKEEPING + " CALL (n) { DETACH DELETE n } IN TRANSACTIONS"
)
GRAPH_COUNTS: LiteralString = (
    "MATCH (n) WHERE " + BOOKKEEPING + " WITH count(n) AS nodes "
    "MATCH ()-[r]->() RETURN nodes, count(r) AS relationships"
)


def seen_by(graph: Graph, region: str | None = None) -> Scoped:
    """The graph as a reader bound to `region` reads it (a division code; None: a reader who
    sees everything, as the system does)."""
    return Scoped(graph, Scope.of(region))


async def wipe(graph: Graph) -> None:
    async with graph.driver.session(database=graph.database) as session:
        await (await session.run(WIPE)).consume()


PROVINCE, CITY = "340000", "340100"
COUNTY = "340121"  # 长丰县
TOWNSHIP = "340121001"
COMMUNITY = "340121001001"
OTHER_COUNTY = "340104"  # 蜀山区
OTHER_TOWNSHIP = "340104001"
OTHER_COMMUNITY = "340104001001"


def resident_id(born: date, sequence: int, county: str = COUNTY) -> str:
    return make_resident_id(county, born, sequence)


def uscc(county: str, serial: int, prefix: str = "51") -> str:
    """A valid USCC: registration authority/kind `prefix`, county code, a serial."""
    return make_uscc(prefix, county, f"{serial:09d}")


async def regions(graph: Graph) -> None:
    """Province → city → counties 340121 and 340104 → one township and community each."""
    levels = m.RegionLevel
    await upsert_nodes(
        graph, [m.RegionFields(code=PROVINCE, name="安徽省", level=levels.PROVINCE)], SOURCE
    )
    city = m.RegionFields(code=CITY, name="合肥市", level=levels.CITY, parent_code=PROVINCE)
    await upsert_nodes(graph, [city], SOURCE)
    await upsert_nodes(
        graph,
        [
            m.RegionFields(code=COUNTY, name="长丰县", level=levels.COUNTY, parent_code=CITY),
            m.RegionFields(code=OTHER_COUNTY, name="蜀山区", level=levels.COUNTY, parent_code=CITY),
        ],
        SOURCE,
    )
    await upsert_nodes(
        graph,
        [
            m.RegionFields(code=TOWNSHIP, name="测试镇", level=levels.TOWNSHIP, parent_code=COUNTY),
            m.RegionFields(
                code=OTHER_TOWNSHIP,
                name="测试街道",
                level=levels.TOWNSHIP,
                parent_code=OTHER_COUNTY,
            ),
        ],
        SOURCE,
    )
    await upsert_nodes(
        graph,
        [
            m.CommunityFields(
                code=COMMUNITY, name="测试社区", kind=m.CommunityKind.URBAN, township_code=TOWNSHIP
            ),
            m.CommunityFields(
                code=OTHER_COMMUNITY, name="测试村", kind=m.CommunityKind.VILLAGE,
                township_code=OTHER_TOWNSHIP,
            ),
        ],
        SOURCE,
    )  # fmt: skip


# Backwards-compatible name used by the older tests.
county_with_community = regions


async def household(
    graph: Graph,
    number: str,
    members: Sequence[tuple[str, date, m.MemberRelation]],
    start: int = 1,
    community: str = COMMUNITY,
) -> list[str]:
    """A household with (name, birth date, relation) members; returns their ID numbers."""
    await upsert_nodes(
        graph,
        [m.HouseholdFields(number=number, address=f"{number}号", community_code=community)],
        SOURCE,
    )
    ids = [resident_id(born, start + i) for i, (_, born, _) in enumerate(members)]
    people = [
        m.PersonFields(id_number=i, name=member[0]) for i, member in zip(ids, members, strict=True)
    ]
    await upsert_nodes(graph, people, SOURCE)
    links = [
        LinkInput(i, number, m.Membership(relation=member[2]))
        for i, member in zip(ids, members, strict=True)
    ]
    await upsert_links(
        graph, relationship(Rel.MEMBER_OF, Label.PERSON, Label.HOUSEHOLD), links, SOURCE
    )
    return ids


async def programs(graph: Graph) -> None:
    await upsert_nodes(graph, PROGRAMS, SOURCE)


async def enroll(
    graph: Graph,
    beneficiary: Label,
    key: str,
    program: m.ProgramCode,
    since: date | None = None,
    until: date | None = None,
    amount: float | None = None,
    county: str = COUNTY,
    relative_filed: bool | None = None,
) -> None:
    """Enrolls a household (by number) or person (by ID number) in a program."""
    status = m.EnrollmentStatus.ENDED if until else m.EnrollmentStatus.ACTIVE
    link = LinkInput(
        key,
        program.value,
        m.Enrollment(
            status=status, amount=amount, region_code=county, relative_filed=relative_filed
        ),
        since,
        until,
    )
    await upsert_links(
        graph, relationship(Rel.ENROLLED_IN, beneficiary, Label.PROGRAM), [link], SOURCE
    )


async def organization(
    graph: Graph,
    name: str,
    kind: m.OrganizationKind,
    serial: int,
    county: str = COUNTY,
    **fields: object,
) -> str:
    """An organization in `county`; returns its USCC."""
    code = uscc(county, serial, "11" if kind is m.OrganizationKind.GOVERNMENT_AGENCY else "51")
    record = m.OrganizationFields.model_validate(
        {"uscc": code, "name": name, "kind": kind, "division_code": county, **fields}
    )
    await upsert_nodes(graph, [record], SOURCE)
    return code


async def asset(graph: Graph, owner: str, registration: str, kind: m.AssetKind) -> None:
    """An asset owned (since 2020) by the person with ID number `owner`."""
    await upsert_nodes(graph, [m.AssetFields(registration=registration, kind=kind)], SOURCE)
    await link(graph, Rel.OWNS, (Label.PERSON, owner), (Label.ASSET, registration),
               since=date(2020, 1, 1))  # fmt: skip


async def link(
    graph: Graph,
    rel: Rel,
    source: tuple[Label, str],
    target: tuple[Label, str],
    props: m.LinkFields | None = None,
    since: date | None = None,
    until: date | None = None,
) -> None:
    spec = relationship(rel, source[0], target[0])
    await upsert_links(graph, spec, [LinkInput(source[1], target[1], props, since, until)], SOURCE)
