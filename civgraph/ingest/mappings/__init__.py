"""Declarative mappings from registry exports to the graph: a new registry is a new
`Source`, not new code. Column names are those of the department's exports (Chinese);
`docs/ingest.md` lists them per source."""

from __future__ import annotations

from civgraph.ingest.mappings import assistance, organizations, registries
from civgraph.ingest.mappings.base import LinkMap, NodeMap, Source
from civgraph.ingest.mappings.divisions import COMMUNITIES, REGIONS
from civgraph.ingest.mappings.households import DIBAO, HOUSEHOLD_REGISTRATION

__all__ = ["SOURCES", "LinkMap", "NodeMap", "Source"]

ALL = (
    REGIONS,
    COMMUNITIES,
    HOUSEHOLD_REGISTRATION,
    DIBAO,
    assistance.TEKUN,
    assistance.OLD_AGE_ALLOWANCE,
    assistance.CARE_SUBSIDY,
    assistance.ASSISTANCE,
    organizations.SOCIAL_ORGANIZATIONS,
    organizations.ENTERPRISES,
    organizations.CADRES,
    organizations.ORGANIZATION_OFFICERS,
    organizations.ENTERPRISE_OFFICERS,
    organizations.ENTERPRISE_INVESTORS,
    organizations.PAYROLL,
    registries.MARRIAGES,
    registries.FACILITIES,
    registries.FACILITY_RESIDENTS,
    registries.CREMATIONS,
    registries.VEHICLES,
    registries.PROPERTIES,
    registries.SERVICE_PROJECTS,
    registries.COMMUNITY_WORKERS,
    registries.VOLUNTEERS,
    registries.COMMUNITY_SERVICES,
    assistance.DIBAO_STANDARDS,
)
SOURCES: dict[str, Source] = {source.name: source for source in ALL}
