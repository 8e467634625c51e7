"""Divisions: regions down to townships, and communities."""

from __future__ import annotations

from civgraph.graph import models as m
from civgraph.graph.identifiers import parent_region_code
from civgraph.ingest.fields import YES_NO, Column, coded, to_date
from civgraph.ingest.mappings.base import NodeMap, Source

COMMUNITY_KINDS = {"居委会": m.CommunityKind.URBAN, "村委会": m.CommunityKind.VILLAGE}


def division_level(code: str) -> m.RegionLevel:
    if len(code) == 9:
        return m.RegionLevel.TOWNSHIP
    if code.endswith("0000"):
        return m.RegionLevel.PROVINCE
    return m.RegionLevel.CITY if code.endswith("00") else m.RegionLevel.COUNTY


# 行政区划: regions down to townships (one row each, parents first).
REGIONS = Source(
    name="regions",
    title="行政区划",
    record_key=Column("代码"),
    nodes=(
        NodeMap(
            m.RegionFields,
            {
                "code": Column("代码"),
                "name": Column("名称"),
                "level": Column("代码", division_level),
                "parent_code": Column("代码", parent_region_code),
            },
        ),
    ),
)

# 统计用区划 (村/居委会): communities.
COMMUNITIES = Source(
    name="communities",
    title="村(居)委会",
    record_key=Column("代码"),
    nodes=(
        NodeMap(
            m.CommunityFields,
            {
                "code": Column("代码"),
                "name": Column("名称"),
                "kind": Column("类别", coded(COMMUNITY_KINDS)),
                "township_code": Column("代码", lambda code: code[:9]),
                "has_service_platform": Column("信息平台", coded(YES_NO)),
                "platform_since": Column("平台建成日期", to_date),
            },
        ),
    ),
    depends_on=("regions",),
)
