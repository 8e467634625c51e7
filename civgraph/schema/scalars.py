"""Small object types shared by every part of the schema."""

from __future__ import annotations

from datetime import datetime

import strawberry

from civgraph.graph import models


@strawberry.type(
    description="Where a record came from: source registry, record key, first and last seen."
)
class Provenance:
    source: str = strawberry.field(description="The source registry (or `demo (synthetic)`).")
    record_key: str = strawberry.field(description="The record's key in that registry.")
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
