"""The `Info` type every field resolver is annotated with."""

from __future__ import annotations

from typing import TypeAlias

from strawberry.types import Info as StrawberryInfo

from civgraph.resolvers.context import Context

Info: TypeAlias = StrawberryInfo[Context, None]
