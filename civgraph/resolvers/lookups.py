"""Root lookups by natural key."""

from __future__ import annotations

from civgraph.graph.errors import InvalidIdentifier
from civgraph.graph.identifiers import parse_resident_id, validate_region_code
from civgraph.graph.models import Person, Region
from civgraph.resolvers.context import Context
from civgraph.resolvers.errors import UserError


async def region_by_code(context: Context, code: str) -> Region | None:
    try:
        valid = validate_region_code(code)
    except InvalidIdentifier as error:
        raise UserError(str(error)) from error
    return await context.loaders.region_by_code.load(valid)


async def person_by_id_number(context: Context, id_number: str) -> Person | None:
    try:
        valid = parse_resident_id(id_number).number
    except InvalidIdentifier as error:
        raise UserError(str(error)) from error
    return await context.loaders.person_by_id_number.load(valid)
