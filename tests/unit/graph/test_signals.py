"""The 核对 signal table: its Cypher literals say what its Python names do."""

from __future__ import annotations

from civgraph.graph.rules.signals import ALLOWANCE, ALLOWED, KIND_TEXT, PATTERNS, SignalKind


def test_every_kind_has_its_own_name_in_cypher_and_a_pattern() -> None:
    assert {kind: kind.value for kind in SignalKind} == KIND_TEXT
    assert set(PATTERNS) == set(SignalKind)


def test_the_cypher_allowance_is_the_python_one() -> None:
    for kind, allowed in ALLOWED.items():
        assert f"WHEN '{kind.value}' THEN {allowed} " in ALLOWANCE
    assert ALLOWANCE.endswith("ELSE 0 END")
