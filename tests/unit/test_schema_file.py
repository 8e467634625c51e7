from __future__ import annotations

from pathlib import Path

from civgraph.schema.schema import sdl

COMMITTED = Path(__file__).resolve().parents[2] / "schema.graphql"


def test_the_committed_schema_graphql_is_current() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == sdl(), (
        "schema.graphql is stale: run `make schema` and commit it"
    )
