"""The schema's personal-data fields: each declared with `personal()`, masked or counted by
the operation's `context.privacy` (civgraph.auth.privacy) as it is resolved. Every other
field stays a plain attribute read, with no hook."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.extensions import FieldExtension
from strawberry.types import Info
from strawberry.types.base import get_object_definition
from strawberry.types.field import StrawberryField
from strawberry.utils.str_converters import to_camel_case

from civgraph.auth import policy


class Masked(FieldExtension):
    """Shows a field of `policy.PII` as the operation's privacy allows."""

    def __init__(self) -> None:
        self.type_name = self.field_name = ""

    def apply(self, field: StrawberryField) -> None:
        self.type_name = get_object_definition(field.origin, strict=True).name
        self.field_name = field.graphql_name or to_camel_case(field.python_name)
        if (self.type_name, self.field_name) not in policy.PII:
            raise ValueError(
                f"{self.type_name}.{self.field_name} is declared personal, but policy.PII "
                "does not say how to mask it"
            )

    def resolve(self, next_: Any, source: Any, info: Info, **kwargs: Any) -> Any:
        value = next_(source, info, **kwargs)
        return info.context.privacy.shown(self.type_name, self.field_name, value)


def personal(**options: Any) -> Any:
    """A field holding personal data: how it is masked is `policy.PII`'s to say."""
    return strawberry.field(extensions=[Masked()], **options)
