"""Small object types shared by every part of the schema."""

from __future__ import annotations

from datetime import datetime

import strawberry

from civgraph.graph import models
from civgraph.graph.provenance import SourceRef
from civgraph.schema.masking import personal


@strawberry.type(
    description="Where a record came from: source registry, record key, first and last seen."
)
class Provenance:
    source: str = strawberry.field(description="The source registry (or `demo (synthetic)`).")
    record_key: str = personal(description="The record's key in that registry.")
    first_seen: datetime
    last_seen: datetime

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
