from __future__ import annotations

from pathlib import Path

import pytest

from civgraph.graph.server import process


@pytest.mark.parametrize(
    ("size", "expected"), [("512k", 512 * 1024), ("256m", 256 * 1024**2), ("1g", 1024**3)]
)
def test_sizes_convert_to_bytes(size: str, expected: int) -> None:
    assert process.to_bytes(size) == expected


def test_a_size_without_unit_is_refused() -> None:
    with pytest.raises(process.LauncherError, match="like 256m"):
        process.to_bytes("256")


def test_a_generated_password_is_kept_private_and_reused(tmp_path: Path) -> None:
    config = process.ServerConfig(home=tmp_path / "neo4j")

    first = process.password_of(config)

    assert len(first) >= 24
    assert process.password_of(config) == first
    assert (tmp_path / "neo4j" / "password").stat().st_mode & 0o777 == 0o600


def test_a_missing_java_is_named_in_the_error(tmp_path: Path) -> None:
    config = process.ServerConfig(home=tmp_path, java="no-such-java")

    with pytest.raises(process.LauncherError, match="no-such-java"):
        process.command(config, attached=False)


def test_no_server_is_running_without_a_pid_file(tmp_path: Path) -> None:
    assert process.running(process.ServerConfig(home=tmp_path)) is None
