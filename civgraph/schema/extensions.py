"""How errors reach clients: unexpected ones masked, logged with the request id; a bad
value in the document named by its argument."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import structlog
from graphql import (
    SKIP,
    ArgumentNode,
    GraphQLError,
    GraphQLInputType,
    ValueNode,
    ValuesOfCorrectTypeRule,
    VisitorAction,
)
from graphql.utilities.validate_input_value import validate_input_literal
from strawberry.extensions import MaskErrors
from strawberry.relay.types import GlobalIDValueError

from civgraph.resolvers.errors import UserError

log = structlog.get_logger(__name__)

SHOWN_AS_IS = (GraphQLError, UserError, GlobalIDValueError)


def is_unexpected(error: GraphQLError) -> bool:
    """Validation errors have no original error; user errors are the client's to read."""
    return error.original_error is not None and not isinstance(error.original_error, SHOWN_AS_IS)


def request_id() -> str:
    return str(structlog.contextvars.get_contextvars().get("request_id", "-"))


def internal_message(rid: str) -> str:
    """What a client is told of an unexpected error (logged with its traceback under `rid`)."""
    return f"Internal error; quote request id {rid} when reporting it."


class NamedValues(ValuesOfCorrectTypeRule):
    """graphql-core's check of the values written in a document, its errors starting with
    the argument (and the input fields inside it) the value was given for:
    `filter.inRegion: invalid division code '34x': …`, not just a line and a column."""

    argument: str | None = None

    def enter_argument(self, node: ArgumentNode, *_args: Any) -> None:
        self.argument = node.name.value

    def leave_argument(self, node: ArgumentNode, *_args: Any) -> None:
        self.argument = None

    def is_valid_value_node(
        self, node: ValueNode, input_type: GraphQLInputType | None
    ) -> VisitorAction:
        if input_type:
            validate_input_literal(
                node, input_type, self.named, None, None, self.context.hide_suggestions
            )
        return SKIP

    def named(self, error: GraphQLError, path: list[str | int]) -> None:
        where = ".".join(str(part) for part in [self.argument or "", *path] if part != "")
        message = f"{where}: {error.message}" if where else error.message
        self.report_error(GraphQLError(message, error.nodes, original_error=error.original_error))


class MaskUnexpectedErrors(MaskErrors):
    """Replaces an unexpected error by a message with the request id, and logs the original;
    names the argument of a bad value (NamedValues, in place of graphql-core's rule)."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=is_unexpected)

    def on_operation(self) -> Iterator[None]:
        rules = self.execution_context.validation_rules
        self.execution_context.validation_rules = tuple(
            NamedValues if rule is ValuesOfCorrectTypeRule else rule for rule in rules
        )
        yield from super().on_operation()

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        rid = request_id()
        log.error("unexpected error", path=error.path, exc_info=error.original_error)
        return GraphQLError(
            message=internal_message(rid),
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": "INTERNAL", "requestId": rid},
        )
