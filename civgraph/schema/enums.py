"""Enums shared by the API and the graph layer, with the department's terms as descriptions."""

from __future__ import annotations

import strawberry

from civgraph.graph import identifiers, models

Sex = strawberry.enum(identifiers.Sex, description="Sex as the resident ID number encodes it.")
RegionLevel = strawberry.enum(
    models.RegionLevel, description="Level in the administrative division tree (行政区划)."
)
CommunityKind = strawberry.enum(
    models.CommunityKind,
    description="URBAN: residents' committee (居委会); VILLAGE: villagers' committee (村委会).",
)
MemberRelation = strawberry.enum(
    models.MemberRelation, description="Relation to the head of household (与户主关系)."
)
