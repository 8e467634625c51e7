"""The audit log, for admins: who did what, when, and how it ended."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from civgraph.auth.audit import read_entries
from civgraph.schema.context import Info
from civgraph.schema.reading import page_size


@strawberry.type(description="One audited operation (personal data in variables redacted).")
class AuditRecord:
    at: datetime = strawberry.field(description="When it ran.")
    actor: str = strawberry.field(description="Who: `api-key:<id>` or `jwt:<subject>`.")
    role: str = strawberry.field(description="The actor's role.")
    region: str | None = strawberry.field(description="The actor's region scope; null: all.")
    kind: str = strawberry.field(description="query, mutation, subscription, or http.")
    operation: str = strawberry.field(description="The operation's name, else its root fields.")
    variables: JSON = strawberry.field(description="Its variables, personal data redacted.")
    results: int = strawberry.field(
        description="Items returned: per root field, the length of a list or of a page "
        "(findings, edges, entries, links), else 1; events sent for http and subscriptions."
    )
    outcome: str = strawberry.field(
        description="ok, denied or error; invalid: the document did not parse or validate; a "
        "subscription has `started`, then `ended`."
    )
    pii_unmasked: int = strawberry.field(description="Personal-data values returned unmasked.")
    request_id: str = strawberry.field(description="The request id (X-Request-ID).")

    @classmethod
    def of(cls, row: dict[str, Any]) -> AuditRecord:
        return cls(
            at=row["at"], actor=row["actor"], role=row["role"], region=row.get("region"),
            kind=row["kind"], operation=row["operation"],
            variables=JSON(json.loads(row.get("variables") or "{}")),
            results=row.get("results", 0), outcome=row["outcome"],
            pii_unmasked=row.get("piiUnmasked", 0), request_id=row.get("requestId", "-"),
        )  # fmt: skip


@strawberry.type
class AuditQuery:
    @strawberry.field(
        description="The audit log, newest first (admins only). Entries are written within "
        "a second of the operation."
    )
    async def audit_log(
        self,
        info: Info,
        actor: str | None = None,
        since: datetime | None = None,
        before: datetime | None = None,
        first: int = 50,
    ) -> list[AuditRecord]:
        rows = await read_entries(info.context.graph, actor=actor, since=since, before=before,
                                  limit=page_size(info, first))  # fmt: skip
        return [AuditRecord.of(row) for row in rows]
