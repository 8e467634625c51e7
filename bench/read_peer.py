"""The read bench's peer: bench/peer/server.mjs (the Neo4j GraphQL Library on Apollo Server,
Node 20) over the same Neo4j as our API. Installed from the committed package-lock.json
into bench/peer/node_modules when missing or older than the lock, started on a free port,
stopped whatever happens."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.servers import ROOT, BenchError, free_port
from civgraph.graph.server import process

PEER = ROOT / "bench" / "peer"
INSTALLED = PEER / "node_modules" / ".package-lock.json"  # npm writes it last
READY = re.compile(r"^READY (http://\S+)$", re.MULTILINE)
START_SECONDS = 60


@dataclass(frozen=True, slots=True)
class RunningPeer:
    url: str
    versions: str  # of the packages that matter, as installed
    pid: int


def executable(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BenchError(f"{name} is not on PATH: the peer needs Node.js 20 and npm")
    return found


def install() -> None:
    """`npm ci` from the committed lock, unless node_modules already matches it."""
    lock = PEER / "package-lock.json"
    if INSTALLED.exists() and INSTALLED.stat().st_mtime >= lock.stat().st_mtime:
        return
    print("installing the peer: npm ci --prefix bench/peer", flush=True)
    command = [executable("npm"), "ci", "--prefix", str(PEER), "--ignore-scripts",
               "--no-audit", "--no-fund", "--loglevel=error"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BenchError(f"npm ci failed:\n{done.stdout}{done.stderr}")


def versions() -> str:
    names = ("@neo4j/graphql", "@apollo/server", "graphql", "neo4j-driver")
    found = []
    for name in names:
        manifest = json.loads((PEER / "node_modules" / name / "package.json").read_text())
        found.append(f"{name} {manifest['version']}")
    node = subprocess.run([executable("node"), "--version"], capture_output=True, text=True,  # noqa: S603
                          check=False).stdout.strip()  # fmt: skip
    return ", ".join(found) + f", Node {node}"


def wait_for_ready(child: subprocess.Popen[bytes], log: Path) -> str:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise BenchError(f"the peer exited with {child.returncode}:\n{log.read_text()}")
        if found := READY.search(log.read_text()):
            return found[1]
        time.sleep(0.2)
    raise BenchError(f"the peer did not say READY in {START_SECONDS} s:\n{log.read_text()}")


@contextmanager
def running_peer(server: process.RunningServer, folder: Path) -> Iterator[RunningPeer]:
    """The peer against `server` on a free port; it also exits when its stdin closes."""
    install()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEER_")} | {
        "PEER_NEO4J_URI": server.uri,
        "PEER_NEO4J_PASSWORD": server.password,
        "PEER_PORT": str(free_port()),
        "NODE_ENV": "production",
    }
    log = folder / "peer.log"
    with log.open("wb") as out:
        child = subprocess.Popen(  # noqa: S603
            [executable("node"), str(PEER / "server.mjs")],
            env=env, stdin=subprocess.PIPE, stdout=out, stderr=subprocess.STDOUT, cwd=PEER,
        )  # fmt: skip
    try:
        yield RunningPeer(wait_for_ready(child, log), versions(), child.pid)
    finally:
        stop(child)


def stop(child: subprocess.Popen[bytes]) -> None:
    """Closes its stdin (it stops), then SIGTERM, then SIGKILL, each after a wait."""
    if child.stdin is not None:
        child.stdin.close()
    for then in (child.terminate, child.kill):
        try:
            child.wait(15)
            return
        except subprocess.TimeoutExpired:
            then()
    child.wait()
