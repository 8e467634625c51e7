"""Assembles the Schema and prints its SDL."""

from __future__ import annotations

from functools import cache

import strawberry
import structlog
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from civgraph.schema.authorization import Authorize
from civgraph.schema.descriptions import describe
from civgraph.schema.extensions import MaskUnexpectedErrors, is_unexpected
from civgraph.schema.limits import Limits
from civgraph.schema.matches import MatchMutations
from civgraph.schema.mutations import Mutation
from civgraph.schema.nodes import ENTITY_TYPES
from civgraph.schema.planned import Planned
from civgraph.schema.query import Query
from civgraph.schema.subscription import Subscription

log = structlog.get_logger(__name__)
MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 4000
# The depth and alias rules, made once: each limiter makes new rule classes, and the
# validation cache knows a document's verdict by the rules it was validated with.
LIMIT_RULES = [
    *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
    *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
]


class Schema(strawberry.Schema):
    """strawberry's Schema logging the client's errors (bad input, refusals, limits) at info
    level: unexpected ones are logged with their traceback by MaskUnexpectedErrors."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # strawberry calls this before the extensions mask anything: tell the unexpected
        # errors by what MaskUnexpectedErrors will mask, not by a code they do not have yet.
        for error in errors:
            if not is_unexpected(error):
                code = (error.extensions or {}).get("code")
                log.info("client error", message=error.message, code=code, path=error.path)


@cache
def build_schema() -> strawberry.Schema:
    """The schema, built once per process: strawberry 0.341 cannot put a type whose fields
    use `relay.node()` into a second Schema (its field extension asserts on re-application)."""
    schema = Schema(
        query=Query,
        mutation=merge_types("Mutation", (Mutation, MatchMutations)),
        subscription=Subscription,
        types=list(ENTITY_TYPES),
        # Factories, not instances: extensions keep per-operation state.
        extensions=[
            lambda: AddValidationRules(LIMIT_RULES),
            lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
            ParserCache,  # documents, and their validation, by their text (128 of each)
            ValidationCache,
            MaskUnexpectedErrors,
            Authorize,
            Limits,
            Planned,
        ],
    )
    describe(schema._schema)
    return schema


def sdl() -> str:
    return build_schema().as_str() + "\n"
