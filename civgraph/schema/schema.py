"""Assembles the Schema and prints its SDL."""

from __future__ import annotations

import strawberry
from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter

from civgraph.schema.extensions import MaskUnexpectedErrors
from civgraph.schema.query import Query
from civgraph.schema.subscription import Subscription
from civgraph.schema.types import Community, Household, Person, Region

MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 4000


def build_schema() -> strawberry.Schema:
    return strawberry.Schema(
        query=Query,
        subscription=Subscription,
        types=[Region, Community, Household, Person],
        extensions=[
            QueryDepthLimiter(max_depth=MAX_DEPTH),
            MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
            MaxTokensLimiter(max_token_count=MAX_TOKENS),
            MaskUnexpectedErrors(),
        ],
    )


def sdl() -> str:
    return build_schema().as_str() + "\n"
