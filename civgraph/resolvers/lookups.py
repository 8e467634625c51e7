"""Natural keys from clients, validated before any lookup: a malformed key is the client's
error (shown as is), not an absent record."""

from __future__ import annotations

from collections.abc import Callable

from civgraph.graph.errors import InvalidIdentifier
from civgraph.graph.identifiers import (
    parse_resident_id,
    validate_community_code,
    validate_division_code,
    validate_region_code,
    validate_uscc,
)
from civgraph.resolvers.errors import UserError


def checked(validate: Callable[[str], str], value: str) -> str:
    try:
        return validate(value)
    except InvalidIdentifier as error:
        raise UserError(str(error)) from error


def region_code(value: str) -> str:
    return checked(validate_region_code, value)


def region_or_community_code(value: str) -> str:
    return checked(validate_division_code, value)


def community_code(value: str) -> str:
    return checked(validate_community_code, value)


def resident_id(value: str) -> str:
    return checked(lambda v: parse_resident_id(v).number, value)


def uscc(value: str) -> str:
    return checked(validate_uscc, value)
