"""Personal data in-process: masked for a viewer on every personal field, counted for an
admin per operation, also when operations share one context (a WebSocket connection's);
both by the read planner and by the resolvers (the `Masked` field extension)."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import pytest

from civgraph.auth import policy
from civgraph.auth.audit import AuditLog
from civgraph.auth.principal import Principal, Role
from civgraph.graph.driver import Graph
from civgraph.graph.models import MemberRelation
from civgraph.resolvers.context import Context, build_context
from civgraph.schema.schema import build_schema
from civgraph.settings import Settings
from tests import builders

HOUSEHOLDS = """query Households {
  households(first: 5) {
    nodes { address members { person { idNumber provenance { recordKey } } } }
  }
}"""
PERSON = "query Person($id: String!) { person(idNumber: $id) { name idNumber } }"
COUPLE = [("甲", date(1960, 1, 1), MemberRelation.HEAD),
          ("乙", date(1962, 1, 1), MemberRelation.SPOUSE)]  # fmt: skip


PLANNER = pytest.mark.parametrize("planner", [True, False], ids=["planned", "resolvers"])


def context_of(graph: Graph, role: Role, planner: bool, audit: AuditLog | None = None) -> Context:
    principal = Principal("tests (synthetic)", role)
    return build_context(graph, Settings(planner=planner), principal=principal, audit=audit)


async def households(context: Context) -> dict[str, Any]:
    result = await build_schema().execute(HOUSEHOLDS, context_value=context)
    assert result.errors is None, result.errors
    assert result.data is not None
    node: dict[str, Any] = result.data["households"]["nodes"][0]
    return node


@PLANNER
async def test_a_viewer_gets_every_personal_field_masked(graph: Graph, planner: bool) -> None:
    await builders.regions(graph)
    await builders.household(graph, "H-1", COUPLE)

    masked = await households(context_of(graph, Role.VIEWER, planner))
    shown = await households(context_of(graph, Role.ADMIN, planner))

    assert masked["address"] == policy.mask_address(shown["address"]) != shown["address"]
    for hidden, seen in zip(masked["members"], shown["members"], strict=True):
        person, unmasked = hidden["person"], seen["person"]
        assert person["idNumber"] == policy.mask_text(unmasked["idNumber"])
        assert person["idNumber"] != unmasked["idNumber"]
        assert person["provenance"]["recordKey"] == policy.mask_text(
            unmasked["provenance"]["recordKey"]
        )


@PLANNER
async def test_operations_sharing_one_context_count_each_their_own(
    graph: Graph, planner: bool
) -> None:
    await builders.regions(graph)
    head, _ = await builders.household(graph, "H-2", COUPLE)
    audit = AuditLog(graph)  # not started: the entries stay pending, to be read here
    connection = context_of(graph, Role.ADMIN, planner, audit)
    schema = build_schema()

    await asyncio.gather(
        schema.execute(HOUSEHOLDS, context_value=connection),
        schema.execute(PERSON, {"id": head}, context_value=connection),
        schema.execute(HOUSEHOLDS, context_value=connection),
    )

    counted = sorted((e.operation, e.pii_unmasked) for e in audit.pending)
    # a household's address, and each member's ID number and record key
    assert counted == [("Households", 5), ("Households", 5), ("Person", 1)]
