"""One operation's personal data: whether its principal may see it, and how many values it
was shown unmasked (its audit entry's count).

Made before an operation executes (`civgraph.schema.authorization.Authorize`) and put on its
request context as `context.privacy`; whatever builds the response asks it for each
personal-data value: the masked fields of the schema do, and so may a planner that builds
the JSON itself. Plain Python: nothing here knows GraphQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from civgraph.auth import policy
from civgraph.auth.principal import Principal


@dataclass(slots=True)
class Privacy:
    sees_pii: bool = False  # masked unless the principal may see personal data
    unmasked: int = 0  # personal-data values shown unmasked so far

    @classmethod
    def of(cls, principal: Principal | None) -> Privacy:
        return cls(sees_pii=principal is not None and policy.sees_pii(principal))

    def shown(self, type_name: str, field_name: str, value: Any) -> Any:
        """Field `field_name` of `type_name` as this operation may show it: masked as
        `policy.PII` says, or counted as shown unmasked. Fields that hold no personal data
        (and nulls) pass as they are."""
        mask = policy.PII.get((type_name, field_name))
        if mask is None or value is None:
            return value
        if self.sees_pii:
            self.unmasked += 1
            return value
        return policy.masked(value, mask)

    def change(self, name: str, value: Any) -> Any:
        """A change event's before or after value of the entity's field `name`."""
        return value if self.sees_pii else policy.mask_event_field(name, value)
