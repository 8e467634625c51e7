"""Communities: residents' and villagers' committees under a township."""

from __future__ import annotations

from collections.abc import Sequence
from typing import LiteralString

from civgraph.graph.driver import Graph
from civgraph.graph.models import Community, CommunityInput
from civgraph.graph.repository import by_key, grouped

UPSERT_COMMUNITIES: LiteralString = """
UNWIND $rows AS row
MATCH (township:Region {code: row.props.townshipCode})
MERGE (c:Community {code: row.props.code})
  ON CREATE SET c.id = randomUUID(), c.firstSeen = datetime()
SET c += row.props, c.source = $source, c.recordKey = row.props.code, c.lastSeen = datetime()
MERGE (c)-[:PART_OF]->(township)
"""

GET_COMMUNITIES_BY_ID: LiteralString = """
UNWIND $keys AS key
MATCH (c:Community {id: key})
RETURN key, c {.*} AS community
"""

LIST_REGION_COMMUNITIES: LiteralString = """
UNWIND $keys AS key
MATCH (c:Community)-[:PART_OF]->(:Region {code: key})
WITH key, c ORDER BY c.code
RETURN key, c {.*} AS community
"""

GET_COMMUNITIES_BY_CODE: LiteralString = """
UNWIND $keys AS key
MATCH (c:Community {code: key})
RETURN key, c {.*} AS community
"""


async def upsert_communities(
    graph: Graph, communities: Sequence[CommunityInput], source: str
) -> None:
    """Creates or updates communities; their townships must exist already."""
    rows = [{"props": community.properties()} for community in communities]
    await graph.write(UPSERT_COMMUNITIES, rows=rows, source=source)


async def get_communities_by_id(graph: Graph, ids: Sequence[str]) -> dict[str, Community]:
    rows = await graph.read(GET_COMMUNITIES_BY_ID, keys=list(ids))
    return by_key(rows, Community, "community")


async def get_communities_by_code(graph: Graph, codes: Sequence[str]) -> dict[str, Community]:
    rows = await graph.read(GET_COMMUNITIES_BY_CODE, keys=list(codes))
    return by_key(rows, Community, "community")


async def list_region_communities(graph: Graph, codes: Sequence[str]) -> dict[str, list[Community]]:
    rows = await graph.read(LIST_REGION_COMMUNITIES, keys=list(codes))
    return grouped(rows, codes, Community, "community")
