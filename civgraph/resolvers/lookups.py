"""Natural keys from clients, validated before any lookup: a malformed key is the client's
error (shown as is), not an absent record."""

from __future__ import annotations

from collections.abc import Callable

from civgraph.graph.errors import InvalidIdentifier
from civgraph.graph.identifiers import parse_resident_id, validate_uscc
from civgraph.resolvers.errors import UserError


def checked(validate: Callable[[str], str], value: str) -> str:
    try:
        return validate(value)
    except InvalidIdentifier as error:
        raise UserError(str(error)) from error


def resident_id(value: str) -> str:
    return checked(lambda v: parse_resident_id(v).number, value)


def uscc(value: str) -> str:
    return checked(validate_uscc, value)
