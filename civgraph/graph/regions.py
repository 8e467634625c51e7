"""Regions: the administrative tree (province, city, county, township)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import LiteralString

from civgraph.graph.driver import Graph
from civgraph.graph.models import Region, RegionInput, RegionLevel
from civgraph.graph.repository import by_key, grouped

UPSERT_REGIONS: LiteralString = """
UNWIND $rows AS row
MERGE (r:Region {code: row.props.code})
  ON CREATE SET r.id = randomUUID(), r.firstSeen = datetime()
SET r += row.props, r.source = $source, r.recordKey = row.props.code, r.lastSeen = datetime()
WITH r, row
OPTIONAL MATCH (parent:Region {code: row.props.parentCode})
FOREACH (_ IN CASE WHEN parent IS NULL THEN [] ELSE [1] END | MERGE (r)-[:PART_OF]->(parent))
"""

GET_REGIONS_BY_ID: LiteralString = """
UNWIND $keys AS key
MATCH (r:Region {id: key})
RETURN key, r {.*} AS region
"""

GET_REGIONS_BY_CODE: LiteralString = """
UNWIND $keys AS key
MATCH (r:Region {code: key})
RETURN key, r {.*} AS region
"""

LIST_CHILD_REGIONS: LiteralString = """
UNWIND $keys AS key
MATCH (child:Region)-[:PART_OF]->(:Region {code: key})
WITH key, child ORDER BY child.code
RETURN key, child {.*} AS region
"""


async def upsert_regions(graph: Graph, regions: Sequence[RegionInput], source: str) -> None:
    """Creates or updates regions; parents must be given before (or with) their children."""
    for level in RegionLevel:  # one statement per level keeps parents ahead of children
        rows = [{"props": region.properties()} for region in regions if region.level is level]
        if rows:
            await graph.write(UPSERT_REGIONS, rows=rows, source=source)


async def get_regions_by_id(graph: Graph, ids: Sequence[str]) -> dict[str, Region]:
    return by_key(await graph.read(GET_REGIONS_BY_ID, keys=list(ids)), Region, "region")


async def get_regions_by_code(graph: Graph, codes: Sequence[str]) -> dict[str, Region]:
    return by_key(await graph.read(GET_REGIONS_BY_CODE, keys=list(codes)), Region, "region")


async def list_child_regions(graph: Graph, codes: Sequence[str]) -> dict[str, list[Region]]:
    return grouped(await graph.read(LIST_CHILD_REGIONS, keys=list(codes)), codes, Region, "region")
