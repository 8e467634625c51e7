"""Households (户) registered in a community, and their members."""

from __future__ import annotations

from collections.abc import Sequence
from typing import LiteralString

from civgraph.graph.driver import Graph
from civgraph.graph.models import Household, HouseholdInput, Membership, MembershipInput
from civgraph.graph.repository import by_key, grouped

UPSERT_HOUSEHOLDS: LiteralString = """
UNWIND $rows AS row
MATCH (c:Community {code: row.props.communityCode})
MERGE (h:Household {number: row.props.number})
  ON CREATE SET h.id = randomUUID(), h.firstSeen = datetime()
SET h += row.props, h.source = $source, h.recordKey = row.props.number, h.lastSeen = datetime()
MERGE (h)-[:REGISTERED_IN]->(c)
"""

UPSERT_MEMBERSHIPS: LiteralString = """
UNWIND $rows AS row
MATCH (p:Person {idNumber: row.idNumber})
MATCH (h:Household {number: row.householdNumber})
MERGE (p)-[m:MEMBER_OF]->(h)
  ON CREATE SET m.firstSeen = datetime()
SET m.relation = row.relation, m.since = row.since, m.source = $source,
    m.recordKey = row.householdNumber + '/' + row.idNumber, m.lastSeen = datetime()
"""

GET_HOUSEHOLDS_BY_ID: LiteralString = """
UNWIND $keys AS key
MATCH (h:Household {id: key})
RETURN key, h {.*} AS household
"""

LIST_COMMUNITY_HOUSEHOLDS: LiteralString = """
UNWIND $keys AS key
MATCH (h:Household)-[:REGISTERED_IN]->(:Community {code: key})
WITH key, h ORDER BY h.number
RETURN key, h {.*} AS household
"""

LIST_MEMBERSHIPS_OF_HOUSEHOLDS: LiteralString = """
UNWIND $keys AS key
MATCH (p:Person)-[m:MEMBER_OF]->(:Household {id: key})
WITH key, p, m ORDER BY m.relation = 'HEAD' DESC, p.birthDate, p.idNumber
RETURN key, {person: p {.*}, householdId: key, relation: m.relation,
             since: m.since, until: m.until} AS membership
"""

LIST_MEMBERSHIPS_OF_PEOPLE: LiteralString = """
UNWIND $keys AS key
MATCH (p:Person {id: key})-[m:MEMBER_OF]->(h:Household)
WITH key, p, m, h ORDER BY m.since DESC, h.number
RETURN key, {person: p {.*}, householdId: h.id, relation: m.relation,
             since: m.since, until: m.until} AS membership
"""


async def upsert_households(
    graph: Graph, households: Sequence[HouseholdInput], source: str
) -> None:
    """Creates or updates households; their communities must exist already."""
    rows = [{"props": household.properties()} for household in households]
    await graph.write(UPSERT_HOUSEHOLDS, rows=rows, source=source)


async def upsert_memberships(
    graph: Graph, memberships: Sequence[MembershipInput], source: str
) -> None:
    rows = [membership.properties() for membership in memberships]
    await graph.write(UPSERT_MEMBERSHIPS, rows=rows, source=source)


async def get_households_by_id(graph: Graph, ids: Sequence[str]) -> dict[str, Household]:
    rows = await graph.read(GET_HOUSEHOLDS_BY_ID, keys=list(ids))
    return by_key(rows, Household, "household")


async def list_community_households(
    graph: Graph, codes: Sequence[str]
) -> dict[str, list[Household]]:
    rows = await graph.read(LIST_COMMUNITY_HOUSEHOLDS, keys=list(codes))
    return grouped(rows, codes, Household, "household")


async def list_household_members(graph: Graph, ids: Sequence[str]) -> dict[str, list[Membership]]:
    rows = await graph.read(LIST_MEMBERSHIPS_OF_HOUSEHOLDS, keys=list(ids))
    return grouped(rows, ids, Membership, "membership")


async def list_person_memberships(graph: Graph, ids: Sequence[str]) -> dict[str, list[Membership]]:
    rows = await graph.read(LIST_MEMBERSHIPS_OF_PEOPLE, keys=list(ids))
    return grouped(rows, ids, Membership, "membership")
