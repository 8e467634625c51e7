"""Enums shared by the API and the graph layer, with the department's terms as descriptions.

`strawberry.enum` registers the graph layer's own classes (and returns them), so the names
below are plain aliases and values pass between the layers unchanged.
"""

from __future__ import annotations

import strawberry

from civgraph.graph import identifiers, models

strawberry.enum(identifiers.Sex, description="Sex as the resident ID number encodes it.")
strawberry.enum(
    models.RegionLevel, description="Level in the administrative division tree (行政区划)."
)
strawberry.enum(
    models.CommunityKind,
    description="URBAN: residents' committee (居委会); VILLAGE: villagers' committee (村委会).",
)
strawberry.enum(
    models.MemberRelation, description="Relation to the head of household (与户主关系)."
)

Sex = identifiers.Sex
RegionLevel = models.RegionLevel
CommunityKind = models.CommunityKind
MemberRelation = models.MemberRelation
