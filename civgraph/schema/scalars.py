"""Small object types shared by every part of the schema."""

from __future__ import annotations

import warnings
from datetime import datetime
from typing import TYPE_CHECKING, TypeAlias

import strawberry
from graphql import GraphQLError

from civgraph.graph import identifiers, models
from civgraph.graph.errors import InvalidIdentifier
from civgraph.graph.provenance import SourceRef
from civgraph.schema.masking import personal

DIVISION_CODE = (
    "A division code (GB/T 2260, and the 12-digit statistical code below it): a province (2 "
    "digits, or 6 ending in 0000: `34`, `340000`), a city (4, or 6 ending in 00: `3401`, "
    "`340100`), a county (6: `340104`), a township (9) or a community (12). As a region asked "
    "for, it covers everything in it and below it."
)


def parse_division_code(value: object) -> identifiers.DivisionCode:
    """The one check of every region and community code a client gives (the argument's name
    is added by civgraph.schema.extensions.NamedValues)."""
    if not isinstance(value, str):
        raise GraphQLError(f"a division code is a string of digits in quotes, not {value!r}")
    try:
        return identifiers.parse_division_code(value)
    except InvalidIdentifier as error:
        raise GraphQLError(str(error)) from error


if TYPE_CHECKING:
    DivisionCode: TypeAlias = identifiers.DivisionCode
else:
    # The class form is deprecated for StrawberryConfig(scalar_map=…), the Schema's own
    # configuration (civgraph/schema/schema.py): move it there when that file next changes.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        DivisionCode = strawberry.scalar(
            identifiers.DivisionCode, name="DivisionCode", description=DIVISION_CODE,
            serialize=lambda code: code.value, parse_value=parse_division_code,
        )  # fmt: skip


@strawberry.type(
    description="Where a record came from: source registry, record key, first and last seen."
)
class Provenance:
    source: str = strawberry.field(description="The source registry (or `demo (synthetic)`).")
    record_key: str = personal(description="The record's key in that registry.")
    first_seen: datetime
    last_seen: datetime = strawberry.field(
        description="When a load last changed it (or created it): a record read again with "
        "nothing new does not write it. When each record was last read is in `sources`."
    )

    @classmethod
    def of(cls, record: models.Stored) -> Provenance:
        return cls(
            source=record.source,
            record_key=record.record_key,
            first_seen=record.first_seen,
            last_seen=record.last_seen,
        )


@strawberry.type(description="Where a page ends and whether another follows.")
class PageInfo:
    has_next_page: bool
    end_cursor: str | None = strawberry.field(
        description="Pass as `after` to get the next page; null on an empty page."
    )


@strawberry.type(
    description="A source record describing an entity: the registry, the record's key, file "
    "and line, when it was first and last loaded, and how it was matched to the entity."
)
class SourceRecord:
    registry: str = strawberry.field(description="The source registry (its ingest name).")
    record_key: str = personal(description="The record's key in that registry.")
    file: str | None = strawberry.field(description="The file it was last read from.")
    line: int | None = strawberry.field(description="Its line in that file (1-based).")
    first_seen: datetime
    last_seen: datetime
    match_key: str | None = strawberry.field(
        description="What tied the record to this entity (in evidence: to the relationship's "
        "subject): the natural key it carried (`idNumber`, `uscc`, …) or the evidence entity "
        "resolution found (`name~traditional+birthDate+community`); null when the record "
        "describes no end of the relationship."
    )
    score: float | None = strawberry.field(
        description="1.0 for a natural key; entity resolution's score otherwise."
    )

    @classmethod
    def of(cls, ref: SourceRef) -> SourceRecord:
        return cls(
            registry=ref.source,
            record_key=ref.record_key,
            file=ref.file,
            line=ref.line,
            first_seen=ref.first_seen,
            last_seen=ref.last_seen,
            match_key=ref.match_key,
            score=ref.score,
        )
