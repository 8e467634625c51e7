"""The `civgraph` command line: run, serve, manage the embedded Neo4j, migrate, export the SDL."""

from __future__ import annotations

import asyncio
import errno
import os
import signal
import socket
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import structlog
import typer
import uvicorn
from rich.console import Console
from rich.progress import Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from civgraph.auth.keys import create_key, list_keys, revoke_key
from civgraph.auth.principal import Role
from civgraph.graph import connection, decisions
from civgraph.graph.catalog import Label
from civgraph.graph.changes import prune
from civgraph.graph.decisions import Decider, Decision
from civgraph.graph.driver import Graph
from civgraph.graph.errors import DatabaseUnavailable, GraphError
from civgraph.graph.indicators import TARGETS_FILE, BadTargets, load_targets, targets_loaded
from civgraph.graph.migrations import has_data, migrate
from civgraph.graph.scope import EVERYTHING
from civgraph.graph.server import process
from civgraph.ingest.demo import load_demo
from civgraph.ingest.initial.run import first_load
from civgraph.ingest.loader import Thresholds
from civgraph.ingest.mappings import SOURCES
from civgraph.ingest.parsing import Summary
from civgraph.ingest.readers import UnreadableFile
from civgraph.ingest.run import UnknownSource, inventory
from civgraph.ingest.run import run as run_ingest
from civgraph.ingest.synth import synthesize
from civgraph.logs import configure_logging
from civgraph.settings import Mode, Settings, get_settings

app = typer.Typer(
    help="civgraph: GraphQL over the civil-affairs entity graph.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
neo4j_app = typer.Typer(help="The embedded Neo4j that civgraph manages.", no_args_is_help=True)
app.add_typer(neo4j_app, name="neo4j")
er_app = typer.Typer(
    help="Entity resolution: undo a match, make one or rule one out (as the API's "
    "confirmMatch, rejectMatch and splitMatch do).",
    no_args_is_help=True,
)
app.add_typer(er_app, name="er")
changes_app = typer.Typer(help="The change feed's outbox.", no_args_is_help=True)
app.add_typer(changes_app, name="changes")
keys_app = typer.Typer(help="API keys (docs/security.md).", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
targets_app = typer.Typer(
    help="The work plan's targets (docs/indicators.md).", no_args_is_help=True
)
app.add_typer(targets_app, name="targets")
console = Console(stderr=True, soft_wrap=True)
log = structlog.get_logger(__name__)


def api_pid_file(settings: Settings) -> Path:
    return settings.neo4j_home.parent / "civgraph-api.pid"


def fail(message: str) -> typer.Exit:
    console.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(code=1)


async def prepare_database(settings: Settings, *, demo: bool) -> str:
    """Applies migrations and, with `demo`, loads the demo dataset into an empty database."""
    graph = await connection.open_graph(settings)
    try:
        console.print("applying migrations…")
        applied = await migrate(graph)
        summary = f"migrations applied: {', '.join(applied) or 'none (up to date)'}"
        if demo and settings.load_demo_data and not await has_data(graph):
            console.print("empty database: loading the synthetic demo dataset…")
            people = await load_demo(graph, lambda step: console.print(f"  demo data: {step}"))
            summary += f"; empty database: loaded the synthetic demo dataset ({people} people)"
        if demo and not await targets_loaded(graph):
            count = await load_targets(graph)
            summary += (
                f"; no plan targets yet: loaded the work plan's {count} ({TARGETS_FILE.name})"
            )
        if demo and settings.mode is Mode.DEVELOPMENT and not await list_keys(graph):
            summary += "\n" + await development_key(graph, settings)
        return summary
    finally:
        await graph.close()


async def development_key(graph: Graph, settings: Settings) -> str:
    """A first admin key for a development database, written to a file only its owner reads."""
    _, text = await create_key(graph, "development admin", Role.ADMIN, by="civgraph run")
    path = settings.neo4j_home.parent / "development-admin-key"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(text + "\n", encoding="utf-8")
    return (
        f"no API keys yet: created an admin key for development, in {path}. In GraphiQL's "
        'Headers tab: {"Authorization": "Bearer <that key>"}'
    )


@neo4j_app.command("start")
def neo4j_start() -> None:
    """Builds the launcher if needed, starts Neo4j and waits until it answers."""
    settings = get_settings()
    if connection.is_external(settings):
        raise fail(f"CIVGRAPH_NEO4J_URI is set ({settings.neo4j_uri}): civgraph starts nothing")
    try:
        target, started = connection.ensure_started(settings)
        asyncio.run(ping(settings))
    except GraphError as error:
        raise fail(str(error)) from error
    console.print(f"Neo4j {'started' if started else 'already running'} at {target.uri}")


async def ping(settings: Settings) -> None:
    graph = await connection.open_graph(settings)
    await graph.close()


@neo4j_app.command("stop")
def neo4j_stop() -> None:
    """Stops the managed Neo4j cleanly (SIGTERM; SIGKILL after a minute)."""
    config = connection.server_config(get_settings())
    console.print("Neo4j stopped" if process.stop(config) else "Neo4j was not running")


@neo4j_app.command("status")
def neo4j_status() -> None:
    """Says whether the managed Neo4j runs and answers; exits 1 when it does not."""
    settings = get_settings()
    try:
        target = connection.target(settings)
        asyncio.run(ping(settings))
    except GraphError as error:
        raise fail(str(error)) from error
    console.print(f"Neo4j answers at {target.uri}")


@app.command("migrate")
def migrate_command() -> None:
    """Applies the schema migrations (constraints, indexes) that are not applied yet."""
    try:
        console.print(asyncio.run(prepare_database(get_settings(), demo=False)))
    except GraphError as error:
        raise fail(str(error)) from error


@app.command("serve")
def serve() -> None:
    """Serves the API on an already running Neo4j (managed or CIVGRAPH_NEO4J_URI)."""
    settings = get_settings()
    with api_claimed(settings):
        try:
            console.print(asyncio.run(prepare_database(settings, demo=True)))
        except GraphError as error:
            raise fail(str(error)) from error
        serve_api(settings)


def serve_api(settings: Settings) -> None:
    console.print(f"civgraph serves http://{settings.host}:{settings.port}/graphql")
    if settings.workers > 1:  # worker processes import the app and read the same settings
        uvicorn.run(
            "civgraph.app:create_app", factory=True, workers=settings.workers,
            host=settings.host, port=settings.port, log_config=None,
        )  # fmt: skip
    else:
        from civgraph.app import create_app  # noqa: PLC0415 (the API: 0.6 s of imports other commands skip)

        uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_config=None)


@contextmanager
def api_claimed(settings: Settings) -> Iterator[None]:
    """Holds the API's pid file while the block runs (what `civgraph stop` finds), after
    refusing to start when another live API holds it or another process holds the port:
    a second `run` must not take the pid file from the first and leave it unstoppable.
    Only our own pid file is removed on the way out."""
    pid_file = api_pid_file(settings)
    holder = pid_in(pid_file)
    if holder is not None and holder != os.getpid() and process.alive(holder):
        raise fail(
            f"civgraph already serves from process {holder} (pid file {pid_file}): "
            "`civgraph stop` (or `make stop`) stops it"
        )
    if port_taken(settings.host, settings.port):
        raise fail(
            f"{settings.host}:{settings.port} is taken by another process: stop it, or set "
            "CIVGRAPH_PORT to a free port"
        )
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    pid_file.write_text(str(os.getpid()))
    try:
        yield
    finally:
        if pid_in(pid_file) == os.getpid():
            pid_file.unlink(missing_ok=True)


def pid_in(pid_file: Path) -> int | None:
    try:
        return int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return None


def port_taken(host: str, port: int) -> bool:
    """Whether another process listens on the port (bound as uvicorn binds it)."""
    try:
        socket.create_server((host, port)).close()  # SO_REUSEADDR: TIME_WAIT is no owner
    except OSError as error:
        return error.errno == errno.EADDRINUSE
    return False


@app.command("run")
def run() -> None:
    """Starts Neo4j (unless CIVGRAPH_NEO4J_URI is set), migrates, loads the demo data into an
    empty database and serves the API; Ctrl-C stops the API and the Neo4j it started."""
    settings = get_settings()
    with api_claimed(settings):  # before Neo4j: a refused second run touches nothing
        try:
            console.print("starting Neo4j (or finding the one running)…")
            target, started = connection.ensure_started(settings)
            console.print(f"Neo4j at {target.uri}")
            console.print(asyncio.run(prepare_database(settings, demo=True)))
        except GraphError as error:
            raise fail(str(error)) from error
        try:
            serve_api(settings)
        finally:
            if started:
                process.stop(connection.server_config(settings))
                console.print("Neo4j stopped")


@app.command("stop")
def stop() -> None:
    """Stops a running `civgraph run` (or serve) and the managed Neo4j."""
    settings = get_settings()
    pid_file = api_pid_file(settings)
    if pid_file.exists():
        pid = int(pid_file.read_text())
        if process.alive(pid):
            process.terminate(pid, timeout=90.0)  # `run` stops its Neo4j on the way out
            console.print("API stopped")
        pid_file.unlink(missing_ok=True)
    if not connection.is_external(settings) and process.stop(connection.server_config(settings)):
        console.print("Neo4j stopped")


@app.command("ingest")
def ingest_command(
    source: Annotated[str | None, typer.Argument(help="Source name (see --list).")] = None,
    files: Annotated[
        list[Path] | None, typer.Argument(help="Its files (CSV, JSONL, XLSX).")
    ] = None,
    directory: Annotated[
        Path | None, typer.Option("--dir", help="Load every <source>.* file found here.")
    ] = None,
    rejects: Annotated[Path, typer.Option(help="Where the reject report goes.")] = Path(
        "rejects.csv"
    ),
    batch: Annotated[int, typer.Option(min=1, help="Rows written per transaction.")] = 2000,
) -> None:
    """Loads registry exports: every row is loaded or written to the reject report."""
    unknown: list[str] = []
    if directory is not None:
        listed = inventory(directory)
        found, unknown = listed.files, listed.unknown
    elif source is not None and files:
        found = {source: list(files)}
    else:
        raise fail("give a SOURCE and its FILES, or --dir DIR; sources: " + ", ".join(SOURCES))
    try:
        summaries, seconds = asyncio.run(ingest_files(get_settings(), found, rejects, batch))
    except DatabaseUnavailable as error:
        raise fail(
            f"lost Neo4j during the run ({error}); what was written stays, and running the "
            "same command again completes it"
        ) from error
    except (GraphError, UnknownSource, UnreadableFile, OSError) as error:
        raise fail(str(error)) from error
    print_summary(summaries, seconds, rejects, unknown)


async def ingest_files(
    settings: Settings, found: dict[str, list[Path]], report: Path, batch: int
) -> tuple[list[Summary], float]:
    graph = await connection.open_graph(settings)
    try:
        await migrate(graph)
        progress = IngestProgress()
        thresholds = Thresholds(settings.match_join, settings.match_grey)
        if progress.bar is None:
            return await run_ingest(graph, found, report, batch, progress, thresholds)
        with progress.bar:
            return await run_ingest(graph, found, report, batch, progress, thresholds)
    finally:
        await graph.close()


@app.command("load")
def load_command(
    directory: Annotated[Path, typer.Argument(help="The registry exports, as for `ingest --dir`.")],
    initial: Annotated[
        bool, typer.Option("--initial", help="The first load into an empty database.")
    ] = False,
    rejects: Annotated[Path, typer.Option(help="Where the reject report goes.")] = Path(
        "rejects.csv"
    ),
    batch: Annotated[int, typer.Option(min=1, help="Rows per batch, as `ingest` has them.")] = 2000,
) -> None:
    """A province's first load: validated and resolved as `ingest` does, written by Neo4j's
    offline importer (docs/ingest.md). Refuses a database that holds data."""
    if not initial:
        raise fail("only the first load is a `load`: give --initial (deltas: `civgraph ingest`)")
    settings = get_settings()
    if connection.is_external(settings):
        raise fail(
            f"CIVGRAPH_NEO4J_URI is set ({settings.neo4j_uri}): a first load writes the store "
            "files of the embedded Neo4j; load an external server with `civgraph ingest`"
        )
    if pid_in(api_pid_file(settings)) is not None:
        raise fail("the API is running on this database: stop it first (`civgraph stop`)")
    listed = inventory(directory)
    thresholds = Thresholds(settings.match_join, settings.match_grey)
    work = settings.neo4j_home.parent / "load"
    progress = PhaseProgress()
    try:
        with progress.bar or nullcontext():
            loaded = first_load(settings, listed.files, rejects, batch, thresholds, work, progress)
    except (GraphError, UnknownSource, UnreadableFile, OSError) as error:
        raise fail(str(error)) from error
    print_summary(loaded.summaries, sum(loaded.seconds.values()), rejects, listed.unknown)
    phases = ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in loaded.seconds.items())
    if loaded.resumed:
        console.print("went on from the store an earlier run of this load had imported "
                      "(stage, export and import: that run's figures)")  # fmt: skip
    console.print(
        f"first load: {loaded.nodes} nodes and {loaded.relationships} relationships imported "
        f"(importer peak {loaded.importer_peak_mib:.0f} MiB), {loaded.resolved_rows} rows "
        f"resolved online; {phases}. Neo4j is running: "
        "`civgraph serve` serves it"
    )


class PhaseProgress:
    """How far each phase of a first load is: a live line on a terminal, log lines otherwise."""

    def __init__(self) -> None:
        self.bar = Progress(
            TextColumn("{task.description}"), TextColumn("{task.completed}"),
            TimeElapsedColumn(), console=console,
        ) if console.is_terminal else None  # fmt: skip
        self.tasks: dict[str, TaskID] = {}
        self.logged: dict[str, float] = {}

    def __call__(self, phase: str, done: int) -> None:
        if self.bar is None:
            if time.monotonic() - self.logged.get(phase, 0.0) > 5:  # a line every 5 s a phase
                self.logged[phase] = time.monotonic()
                log.info("load progress", phase=phase, done=done)
            return
        if phase not in self.tasks:
            self.tasks[phase] = self.bar.add_task(phase, total=None)
        self.bar.update(self.tasks[phase], completed=done)


class IngestProgress:
    """Rows and rows/s per source: a live line on a terminal, a log line per batch otherwise."""

    def __init__(self) -> None:
        self.bar = Progress(
            TextColumn("{task.description}"), TextColumn("{task.completed} rows"),
            TextColumn("{task.fields[rate]:.0f} rows/s"), TimeElapsedColumn(), console=console,
        ) if console.is_terminal else None  # fmt: skip
        self.tasks: dict[str, TaskID] = {}
        self.started: dict[str, float] = {}  # when each source's first batch was written

    def __call__(self, summary: Summary) -> None:
        started = self.started.setdefault(summary.source, time.perf_counter())
        rate = summary.read / max(time.perf_counter() - started, 1e-3)
        if self.bar is None:
            log.info("ingest progress", source=summary.source, read=summary.read,
                     rejected=summary.rejected, rows_per_second=round(rate))  # fmt: skip
            return
        if summary.source not in self.tasks:
            self.tasks[summary.source] = self.bar.add_task(summary.source, total=None, rate=0.0)
        self.bar.update(self.tasks[summary.source], completed=summary.read, rate=rate)


def print_summary(
    summaries: list[Summary], seconds: float, report: Path, unknown: list[str]
) -> None:
    columns = ("source", "files", "read", "loaded", "rejected", "merged", "possible")
    table = Table(*columns, title="ingest")
    for s in summaries:
        counts = (len(s.files), s.read, s.loaded, s.rejected, s.merged, s.possible)
        table.add_row(s.source, *map(str, counts))
    console.print(table)
    rows = sum(s.read for s in summaries)
    console.print(f"{rows} rows in {seconds:.1f} s ({rows / max(seconds, 1e-9):.0f} rows/s); "
                  f"rejects in {report}")  # fmt: skip
    if unknown:
        console.print("files not loaded (no source of that name or format): " + ", ".join(unknown))
    for s in summaries:
        if s.unknown_columns:
            console.print(f"{s.source}: columns not read: {', '.join(s.unknown_columns)}")


@app.command("synth")
def synth_command(
    out: Annotated[Path, typer.Option(help="Folder for the export files and manifest.json.")],
    people: Annotated[int, typer.Option(min=1, help="About how many people.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Same seed, same files.")] = 1,
) -> None:
    """Writes a synthetic province as registry exports (all synthetic; see docs/synth.md)."""
    started = time.perf_counter()
    manifest = synthesize(people, seed, out)
    console.print(
        f"{manifest.people} people in {manifest.households} households and "
        f"{manifest.communities} communities written to {out} in "
        f"{time.perf_counter() - started:.1f} s; planted: {sum(manifest.rejects.values())} invalid "
        f"rows, {len(manifest.benefits_after_cremation)} benefits after cremation"
    )


async def on_graph(settings: Settings, change: Callable[[Graph], Awaitable[str]]) -> str:
    graph = await connection.open_graph(settings)
    try:
        return await change(graph)
    finally:
        await graph.close()


def actor() -> str:
    return os.environ.get("USER") or "cli"


def decider() -> Decider:
    """The operator at the command line: everywhere."""
    return Decider(actor(), EVERYTHING)  # the command line decides as the system


def person_id(given: str) -> str:
    """A person's platform id from the global id the API shows, or as given (a platform id)."""
    try:
        from civgraph.schema.reading import decode_id  # noqa: PLC0415 (see serve_api)

        label, id = decode_id(given)
    except ValueError:
        return given
    if label is not Label.PERSON:
        raise fail(f"{given!r} is the id of a {label}, not of a Person")
    return id


def decided(source: str, record: str, decision: Decision) -> str:
    ruled_out = ", ".join(decision.not_same) or "nobody"
    return (
        f"record {record} of {source} now describes person {decision.person_id} "
        f"({decision.record.match_key}); ruled out: {ruled_out}"
    )


SOURCE = Annotated[str, typer.Argument(help="The record's source (cremations, …).")]
RECORD = Annotated[str, typer.Argument(help="The record's key in that source.")]
PERSON = Annotated[
    str, typer.Argument(help="The person: the global id the API shows, or the platform id.")
]


@er_app.command("split")
def er_split(source: SOURCE, record: RECORD) -> None:
    """Undoes a match: the record becomes a person of its own, with what it stated."""

    async def change(graph: Graph) -> str:
        decision = await decisions.split(graph, decider(), source, record)
        return f"record {record} of {source} is now person {decision.person_id}"

    run_on_graph(change)


@er_app.command("join")
def er_join(source: SOURCE, record: RECORD, person: PERSON) -> None:
    """Makes a record's person the given one (a possible match confirmed)."""
    id = person_id(person)

    async def change(graph: Graph) -> str:
        decision = await decisions.confirm(graph, decider(), source, record, id)
        return decided(source, record, decision)

    run_on_graph(change)


@er_app.command("reject")
def er_reject(source: SOURCE, record: RECORD, person: PERSON) -> None:
    """Rules out a match: the record is not that person (the link goes and stays gone)."""
    id = person_id(person)

    async def change(graph: Graph) -> str:
        decision = await decisions.reject(graph, decider(), source, record, id)
        return decided(source, record, decision)

    run_on_graph(change)


def run_on_graph(change: Callable[[Graph], Awaitable[str]]) -> None:
    try:
        console.print(asyncio.run(on_graph(get_settings(), change)))
    except GraphError as error:
        raise fail(str(error)) from error


@changes_app.command("prune")
def changes_prune(
    days: Annotated[
        int | None,
        typer.Option("--older-than-days", min=0, help="Default: CIVGRAPH_CHANGE_RETENTION_DAYS."),
    ] = None,
) -> None:
    """Deletes change events older than the retention; consumers whose cursor is older are
    told to resynchronise."""
    settings = get_settings()
    before = datetime.now(UTC) - timedelta(days=settings.change_retention_days if days is None
                                           else days)  # fmt: skip

    async def change(graph: Graph) -> str:
        last = await prune(graph, before)
        return f"pruned through cursor {last.encode()}" if last else "nothing to prune"

    run_on_graph(change)


@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Option(help="Who or what the key is for.")],
    role: Annotated[Role, typer.Option(help="What the key may do.")],
    region: Annotated[
        str | None, typer.Option(help="A division code: the key sees that subtree only.")
    ] = None,
    expires_in_days: Annotated[int | None, typer.Option(min=1, help="Default: never.")] = None,
    pii: Annotated[bool, typer.Option(help="An integrator key that sees PII unmasked.")] = False,
) -> None:
    """Creates an API key and prints it once (only its hash is kept)."""

    async def change(graph: Graph) -> str:
        await migrate(graph)  # the first key may come before the first server
        expires = timedelta(days=expires_in_days) if expires_in_days else None
        key, text = await create_key(graph, name, role, region=region, expires_in=expires,
                                     pii_granted=pii, by=actor())  # fmt: skip
        console.print(f"key {key.id} ({key.role}, region {key.region or 'all'}) for {name}; "
                      "shown once:")  # fmt: skip
        return text

    try:
        sys.stdout.write(asyncio.run(on_graph(get_settings(), change)) + "\n")
    except (GraphError, ValueError) as error:
        raise fail(str(error)) from error


@keys_app.command("list")
def keys_list() -> None:
    """Lists the API keys, tab-separated (never their secrets)."""

    async def change(graph: Graph) -> str:
        lines = ["id\tname\trole\tregion\tpii\tcreated\texpires\trevoked"]
        for key in await list_keys(graph):
            lines.append("\t".join((
                key.id, key.name, key.role.value, key.region or "all",
                "yes" if key.pii_granted else "no", f"{key.created_at:%Y-%m-%d %H:%M}",
                f"{key.expires_at:%Y-%m-%d}" if key.expires_at else "never",
                f"{key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else "-",
            )))  # fmt: skip
        sys.stdout.write("\n".join(lines) + "\n")
        return ""

    run_on_graph(change)


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument(help="The key's id (`keys list`).")]) -> None:
    """Revokes a key: refused by every API process within seconds."""

    async def change(graph: Graph) -> str:
        if not await revoke_key(graph, key_id, actor()):
            raise typer.Exit(code=1)  # no such key
        return f"key {key_id} revoked"

    run_on_graph(change)


@targets_app.command("load")
def targets_load(
    file: Annotated[
        Path, typer.Argument(help="A CSV of targets (docs/indicators.md); default: the plan's.")
    ] = TARGETS_FILE,
) -> None:
    """Loads the targets of a plan year, replacing those of the same indicator, year and
    region; a bad file loads nothing."""

    async def change(graph: Graph) -> str:
        await migrate(graph)
        return f"loaded {await load_targets(graph, file)} targets from {file}"

    try:
        console.print(asyncio.run(on_graph(get_settings(), change)))
    except (OSError, BadTargets) as error:
        raise fail(str(error)) from error


@app.command("export-schema")
def export_schema() -> None:
    """Prints the GraphQL SDL (the committed schema.graphql is this output)."""
    from civgraph.schema.schema import sdl  # noqa: PLC0415 (see serve_api)

    sys.stdout.write(sdl())


def main() -> None:
    configure_logging(get_settings())
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # SIGTERM unwinds like Ctrl-C
    app()
