"""`make setup`'s install as a user meets it: no screens of packaging warnings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_editable_install_prints_no_build_warnings(tmp_path: Path) -> None:
    # A bare interpreter of its own: pip --python installs there and leaves .venv alone.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", tmp_path], check=True)
    command = [sys.executable, "-m", "pip", "--python", str(tmp_path / "bin" / "python"),
               "install", "--no-deps", "--editable", str(ROOT)]  # fmt: skip

    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)

    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stdout + done.stderr, done.stdout + done.stderr
