"""Schema extensions: unexpected errors masked to clients, logged with the request id."""

from __future__ import annotations

import structlog
from graphql import GraphQLError
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


class MaskUnexpectedErrors(MaskErrors):
    """Replaces an unexpected error by a message with the request id, and logs the original."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=is_unexpected)

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
