from __future__ import annotations

import pytest
from pydantic import ValidationError

from civgraph.settings import Mode, Settings


def test_every_setting_is_read_from_a_civgraph_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIVGRAPH_MODE", "production")
    monkeypatch.setenv("CIVGRAPH_NEO4J_PORT", "0")

    settings = Settings()

    assert settings.mode is Mode.PRODUCTION
    assert settings.neo4j_port == 0


def test_neo4j_uri_is_accepted_under_its_usual_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CIVGRAPH_NEO4J_URI", raising=False)
    monkeypatch.setenv("NEO4J_URI", "neo4j://db.example:7687")

    assert Settings().neo4j_uri == "neo4j://db.example:7687"


def test_memory_sizes_are_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIVGRAPH_NEO4J_HEAP", "lots")

    with pytest.raises(ValidationError, match="neo4j_heap"):
        Settings()


def test_the_province_is_a_province_code(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().province == "340000"  # Anhui, the work plan's
    monkeypatch.setenv("CIVGRAPH_PROVINCE", "32")
    assert Settings().province == "320000"
    monkeypatch.setenv("CIVGRAPH_PROVINCE", "320100")
    with pytest.raises(ValidationError, match="not a province's code"):
        Settings()
