"""The response media types of the GraphQL-over-HTTP spec.

`application/json` (the default, also for `*/*` and no Accept) answers every well-formed
request with 200, errors or not. `application/graphql-response+json`, when the client
accepts it at least as much, says by the status what happened: 400 for a request error (a
document that does not parse or validate: nothing ran, and the body has no `data`), 500
when the server failed before running anything, 200 for a result with a `data` entry.
"""

from __future__ import annotations

from collections.abc import Mapping

from strawberry.http import GraphQLHTTPResponse

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"


def preferred(accept: str | None) -> str:
    """The media type to answer an Accept header with."""
    weights: dict[str, float] = {}
    for item in (accept or "").split(","):
        kind, *parameters = (part.strip() for part in item.split(";"))
        weight = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                weight = quality(value)
        weights[kind.lower()] = max(weight, weights.get(kind.lower(), 0.0))
    wanted = weights.get(GRAPHQL_RESPONSE, 0.0)
    return GRAPHQL_RESPONSE if wanted > 0 and wanted >= weights.get(JSON, 0.0) else JSON


def wanted(accept: str | None) -> bool:
    return preferred(accept) == GRAPHQL_RESPONSE


def quality(value: str) -> float:
    try:
        return min(max(float(value), 0.0), 1.0)
    except ValueError:
        return 0.0


def status_of(body: GraphQLHTTPResponse | list[GraphQLHTTPResponse]) -> int:
    """The status of a `application/graphql-response+json` answer."""
    if isinstance(body, list) or "data" in body:
        return 200
    return 500 if any(code_of(error) == "INTERNAL" for error in body.get("errors") or ()) else 400


def code_of(error: object) -> object:
    extensions = error.get("extensions") if isinstance(error, Mapping) else None
    return extensions.get("code") if isinstance(extensions, Mapping) else None
