"""The change feed in the schema: the `changes` subscription's event type and filter."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from civgraph.auth.privacy import Privacy
from civgraph.graph.catalog import Label
from civgraph.graph.changes import ChangeEvent, ChangeFilter
from civgraph.schema.enums import ChangeOperation
from civgraph.schema.scalars import DivisionCode

NODE_LABELS = frozenset(label.value for label in Label)


@strawberry.type(description="One changed field: its value before and after.")
class FieldChange:
    name: str = strawberry.field(description="The field's name in the graph (camelCase).")
    before: JSON | None = strawberry.field(description="Null when the field was not set.")
    after: JSON | None = strawberry.field(description="Null when the field was removed.")


@strawberry.type(description="One committed change of the graph (the change feed).")
class Change:
    cursor: str = strawberry.field(
        description="Where this event stands; resume with `after: cursor` to get every later "
        "event exactly once. Cursors increase strictly in commit order."
    )
    operation: ChangeOperation = strawberry.field(description="What the change did.")
    entity_type: str = strawberry.field(
        description="A node label (`Person`, …) or relationship type (`ENROLLED_IN`, …)."
    )
    entity_id: str = strawberry.field(
        description="A node's global id (what `node(id)` takes); a relationship's id as "
        "mutations return it, `<source id>><TYPE>><target id>@<key>` (platform ids)."
    )
    fields: list[FieldChange] = strawberry.field(
        description="The fields that changed (all of them for a creation), by name."
    )
    region_code: str | None = strawberry.field(
        description="The division code of the entity (a relationship: of its source)."
    )
    programs: list[str] = strawberry.field(description="Programs the change concerns.")
    source: str = strawberry.field(
        description="What wrote it: `ingest:<source>`, a mutation's name, or a loader."
    )
    actor: str = strawberry.field(description="Who wrote it.")
    at: datetime = strawberry.field(description="When its transaction ran.")

    @classmethod
    def of(cls, event: ChangeEvent, privacy: Privacy) -> Change:
        """`event` with its personal data as `privacy` allows."""
        return cls(
            cursor=event.cursor.encode(),
            operation=event.operation,
            entity_type=event.entity,
            entity_id=feed_id(event),
            fields=[
                FieldChange(
                    name=name, before=privacy.change(name, old), after=privacy.change(name, new)
                )
                for name, old, new in field_changes(event)
            ],
            region_code=event.region_code,
            programs=list(event.programs),
            source=event.source,
            actor=event.actor,
            at=event.at,
        )


def feed_id(event: ChangeEvent) -> str:
    """The id an event shows (both feed forms): a node's global id, a relationship's own."""
    if event.entity in NODE_LABELS:
        return str(relay.GlobalID(event.entity, event.entity_id))
    return event.entity_id


def field_changes(event: ChangeEvent) -> list[tuple[str, Any, Any]]:
    """An event's changed fields as (name, before, after), by name (both feed forms)."""
    return [(name, values["before"], values["after"])
            for name, values in sorted(event.fields.items())]  # fmt: skip


@strawberry.input(description="Which changes to receive; every field left out matches all.")
class ChangeFilterInput:
    types: list[str] | None = strawberry.field(
        default=None, description="Entity types: node labels and relationship types."
    )
    programs: list[str] | None = strawberry.field(
        default=None, description="Program codes (enrollments in them)."
    )
    region_code: DivisionCode | None = strawberry.field(
        default=None, description="A region or community: changes in it and below it."
    )
    operations: list[ChangeOperation] | None = strawberry.field(
        default=None, description="Kinds of change."
    )

    def to_filter(self) -> ChangeFilter:
        return ChangeFilter(
            types=frozenset(self.types) if self.types is not None else None,
            programs=frozenset(self.programs) if self.programs is not None else None,
            region=self.region_code,
            operations=frozenset(self.operations) if self.operations is not None else None,
        )
