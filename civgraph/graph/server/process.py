"""Builds, starts, watches and stops the embedded Neo4j launcher as a child process."""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from civgraph.graph.errors import GraphError

SERVER_DIR = Path(__file__).resolve().parent
JAR = SERVER_DIR / "target" / "civgraph-neo4j-launcher-1.0.0.jar"
LIB = SERVER_DIR / "target" / "lib"
SOURCES = (SERVER_DIR / "pom.xml", *sorted((SERVER_DIR / "src").rglob("*.java")))
READY = re.compile(r"^READY (bolt://\S+)$", re.MULTILINE)
# The flags the stock Neo4j server starts its JVM with.
JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
)
SIZE = re.compile(r"^(\d+)([kmg])$")


class LauncherError(GraphError):
    """The launcher could not be built, started or stopped; the message says why."""


@dataclass(frozen=True, slots=True)
class ServerConfig:
    home: Path
    port: int = 7687
    heap: str = "768m"
    pagecache: str = "256m"
    tx_memory: str = "256m"
    password: str | None = None  # None: generated once and kept in home/password
    start_timeout: float = 120.0
    java: str = "java"
    maven: str = "mvn"

    @property
    def pid_file(self) -> Path:
        return self.home / "civgraph-neo4j.pid"

    @property
    def log_file(self) -> Path:
        return self.home / "civgraph-neo4j.log"


@dataclass(frozen=True, slots=True)
class RunningServer:
    pid: int
    uri: str
    password: str
    log_file: Path


def to_bytes(size: str) -> int:
    match = SIZE.match(size)
    if not match:
        raise LauncherError(f"size {size!r} is not like 256m, 1g or 512k")
    return int(match[1]) * int(1024 ** ("kmg".index(match[2]) + 1))


def password_of(config: ServerConfig) -> str:
    """The configured password, or the one generated on first start and kept beside the data."""
    if config.password:
        return config.password
    path = config.home / "password"
    if not path.exists():
        config.home.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(24))
        path.chmod(0o600)
    return path.read_text().strip()


def build(config: ServerConfig) -> None:
    """Runs Maven when the launcher jar is missing or older than its sources."""
    if (
        JAR.exists()
        and LIB.exists()
        and JAR.stat().st_mtime >= max(p.stat().st_mtime for p in SOURCES)
    ):
        return
    maven = shutil.which(config.maven)
    if maven is None:
        raise LauncherError(f"Maven ({config.maven}) is not on PATH: install Maven to build Neo4j")
    command = [maven, "-B", "-q", "package", "-f", str(SERVER_DIR / "pom.xml")]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise LauncherError(
            "building the Neo4j launcher failed:\n" + tail(done.stdout + done.stderr)
        )


def command(config: ServerConfig, *, attached: bool) -> list[str]:
    java = shutil.which(config.java)
    if java is None:
        raise LauncherError(f"Java ({config.java}) is not on PATH: install a JDK 17 or newer")
    args = [
        java,
        f"-Xmx{config.heap}",
        *JVM_FLAGS,
        "-cp",
        f"{JAR}{os.pathsep}{LIB / '*'}",
        "civgraph.neo4j.Launcher",
        "--home", str(config.home),
        "--port", str(config.port),
        "--pagecache", str(to_bytes(config.pagecache)),
        "--tx-memory", str(to_bytes(config.tx_memory)),
    ]  # fmt: skip
    return [*args, "--exit-on-stdin-eof"] if attached else args


def start(
    config: ServerConfig, *, attached: bool = False
) -> tuple[RunningServer, subprocess.Popen[bytes]]:
    """Starts Neo4j and waits for its READY line.

    `attached` ties the JVM to this process: it exits when this process closes its stdin
    (or dies), which is what a throwaway test database wants. Otherwise the JVM runs in its
    own session until `stop` and is found again through the pid file.
    """
    build(config)
    config.home.mkdir(parents=True, exist_ok=True)
    password = password_of(config)
    log = config.log_file.open("ab")
    offset = log.tell()
    env = {**os.environ, "CIVGRAPH_NEO4J_PASSWORD": password}
    process = subprocess.Popen(  # noqa: S603
        command(config, attached=attached),
        stdin=subprocess.PIPE if attached else subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=not attached,
    )
    log.close()
    uri = wait_until_ready(config, process, offset)
    server = RunningServer(process.pid, uri, password, config.log_file)
    config.pid_file.write_text(json.dumps({"pid": server.pid, "uri": uri}))
    return server, process


def wait_until_ready(config: ServerConfig, process: subprocess.Popen[bytes], offset: int) -> str:
    deadline = time.monotonic() + config.start_timeout
    while time.monotonic() < deadline:
        output = read_from(config.log_file, offset)
        if match := READY.search(output):
            return match[1]
        if process.poll() is not None:
            raise LauncherError(
                f"Neo4j exited with status {process.returncode} before it was ready; "
                f"the end of {config.log_file}:\n{tail(output)}"
            )
        time.sleep(0.2)
    process.kill()
    raise LauncherError(
        f"Neo4j was not ready after {config.start_timeout:.0f}s; the end of {config.log_file}:\n"
        + tail(read_from(config.log_file, offset))
    )


def running(config: ServerConfig) -> RunningServer | None:
    """The server the pid file names, if that process is still alive."""
    try:
        recorded = json.loads(config.pid_file.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    pid = int(recorded["pid"])
    if not alive(pid):
        config.pid_file.unlink(missing_ok=True)
        return None
    return RunningServer(pid, str(recorded["uri"]), password_of(config), config.log_file)


def stop(config: ServerConfig, timeout: float = 60.0) -> bool:
    """Stops the server the pid file names: SIGTERM, then SIGKILL after `timeout` seconds."""
    server = running(config)
    if server is None:
        return False
    terminate(server.pid, timeout)
    config.pid_file.unlink(missing_ok=True)
    return True


def terminate(pid: int, timeout: float) -> None:
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive(pid):
            return
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)


def alive(pid: int) -> bool:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reap it if it is our own exited child
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def read_from(path: Path, offset: int) -> str:
    with path.open("rb") as file:
        file.seek(offset)
        return file.read().decode("utf-8", errors="replace")


def tail(text: str, lines: int = 30) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


def stop_attached(process: subprocess.Popen[bytes], timeout: float = 60.0) -> int:
    """Stops a server started with `attached=True` by closing its stdin; returns its status."""
    if process.stdin is not None and not process.stdin.closed:
        process.stdin.close()
    try:
        return process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()
