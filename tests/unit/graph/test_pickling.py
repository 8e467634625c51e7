"""Frozen, slotted dataclasses sent between processes come back equal, field for field."""

from __future__ import annotations

import pickle
from datetime import date

import pytest

from civgraph.graph.links import LinkInput
from civgraph.graph.models import OrganizationKind
from civgraph.graph.pickling import ByFields
from civgraph.graph.provenance import Origin
from civgraph.ingest.matching import Identity
from civgraph.ingest.matching_organizations import OrganizationIdentity
from civgraph.ingest.readers import Row

ORIGIN = Origin("C-1", "cremations.csv", 2, match_key="name+birthDate", score=0.9)
SENT: list[ByFields] = [
    Row("cremations.csv", 2, {"姓名": "陈秀英"}),
    ORIGIN,
    LinkInput("", "F-1", None, date(2025, 1, 5), None, ORIGIN, source_id="p-1",
              distinct_by="C-1", target_match=("name", 0.7)),
    Identity("陈秀英", "FEMALE", date(1948, 6, 15), "340121001001", placed=True),
    OrganizationIdentity("测试协会", "340121", OrganizationKind.SOCIAL_GROUP),
]  # fmt: skip


@pytest.mark.parametrize("sent", SENT, ids=lambda sent: type(sent).__name__)
def test_a_value_comes_back_equal(sent: ByFields) -> None:
    received = pickle.loads(pickle.dumps(sent))  # noqa: S301 (made just now, here)

    assert received == sent
    assert type(received) is type(sent)
