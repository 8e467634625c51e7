"""The ASGI application: GraphQL over HTTP and WebSocket, health checks, vendored GraphiQL."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import orjson
import structlog
from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse
from strawberry.types.execution import ExecutionResult, PreExecutionError
from strawberry.types.unset import UnsetType

from civgraph import media
from civgraph.auth.audit import AuditEntry, AuditLog
from civgraph.auth.authenticate import Authenticator
from civgraph.auth.principal import Principal, Unauthenticated
from civgraph.auth.privacy import Privacy
from civgraph.exports import findings_csv
from civgraph.graph.changes import (
    ChangeEvent,
    ChangeFilter,
    Cursor,
    CursorExpired,
    InvalidChangeCursor,
    Operation,
    read_changes,
)
from civgraph.graph.connection import open_graph
from civgraph.graph.driver import Graph, counting
from civgraph.graph.identifiers import parse_division_code
from civgraph.graph.migrations import migrate
from civgraph.graph.scope import Scoped
from civgraph.logs import configure_logging
from civgraph.middleware import (
    AuthenticationMiddleware,
    BodyLimitMiddleware,
    RequestIdMiddleware,
)
from civgraph.resolvers.context import Context, build_context
from civgraph.resolvers.feed import ChangeHub
from civgraph.schema.changes import feed_id, field_changes
from civgraph.schema.extensions import request_id
from civgraph.schema.schema import build_schema
from civgraph.settings import Mode, Settings, get_settings

log = structlog.get_logger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
GRAPHIQL_HTML = STATIC / "graphiql.html"


class GraphQLApp(GraphQL[Context, None]):
    """strawberry's ASGI view with our context and the GraphiQL page served from our files."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(
            build_schema(),
            graphql_ide="graphiql" if settings.mode is Mode.DEVELOPMENT else None,
            # Browsers on other origins may not open WebSockets (strawberry refuses the
            # handshake, 403) unless listed; clients that send no Origin are not browsers.
            allowed_origins=settings.allowed_origins,
        )
        self.settings = settings
        self.graph: Graph | None = None
        self.hub: ChangeHub | None = None
        self.authenticator: Authenticator | None = None
        self.audit: AuditLog | None = None
        self.ide_html = GRAPHIQL_HTML.read_text(encoding="utf-8") if self.graphql_ide else ""

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        if self.graph is None:
            raise RuntimeError("the graph is opened by the application's lifespan")
        principal = getattr(request.state, "principal", None)  # WebSocket: on_ws_connect
        counting()  # the statements this request sends, in a response header (middleware)
        return build_context(
            self.graph, self.settings, request, response, self.hub, principal, self.audit
        )

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """Authenticates a WebSocket connection from its `connection_init` payload, before
        any subscription starts; a connection without a valid credential is closed (4403)."""
        if self.authenticator is None:
            raise RuntimeError("the authenticator is made by the application's lifespan")
        try:
            principal = await self.authenticator.connection(context.connection_params)
        except Unauthenticated as error:
            raise ConnectionRejectionError({"reason": str(error)}) from error
        context.bind(principal)  # the connection's scoped graph, for all its subscriptions
        return await super().on_ws_connect(context)

    def encode_json(self, data: object) -> str:
        """Responses and WebSocket messages as orjson writes them (several times faster than
        json.dumps; UTF-8 instead of \\u escapes); what orjson refuses, such as an integer
        beyond 64 bits in a JSON value, as json.dumps writes it. A str: WebSocket messages
        must be text frames."""
        try:
            return orjson.dumps(data).decode()
        except orjson.JSONEncodeError:
            return json.dumps(data, separators=(",", ":"))

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        return HTMLResponse(self.ide_html)

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        response = await super().get_sub_response(request)
        response.media_type = media.preferred(request.headers.get("accept"))
        return response

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        body = await super().process_result(request, result)
        if isinstance(result, PreExecutionError) and media.wanted(request.headers.get("accept")):
            body.pop("data", None)  # a request error: nothing ran (GraphQL over HTTP)
        return body

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        if sub_response.media_type == media.GRAPHQL_RESPONSE:
            response.headers["content-type"] = f"{media.GRAPHQL_RESPONSE}; charset=utf-8"
            response.status_code = sub_response.status_code or media.status_of(response_data)
        return response


MAX_CHANGES = 1000


async def changes_page(request: Request) -> JSONResponse:
    """`GET /changes?after=…&limit=…&types=…&programs=…&regionCode=…&operations=…`: a page
    of the change feed for batch integrators (lists comma-separated), from the oldest kept
    event when `after` is absent; `next` is the cursor to pass as `after` next time."""
    query = request.query_params
    principal: Principal = request.state.principal
    try:
        limit = int(query.get("limit", "100"))
        if not 1 <= limit <= MAX_CHANGES:
            raise ValueError(f"limit must be between 1 and {MAX_CHANGES}")
        after = Cursor.decode(query["after"]) if "after" in query else None
        only = ChangeFilter(
            types=listed(query.get("types")),
            programs=listed(query.get("programs")),
            region=parse_division_code(code) if (code := query.get("regionCode")) else None,
            operations=frozenset(map(Operation, ops)) if (ops := listed(query.get("operations")))
            else None,
        )  # fmt: skip
        scoped = Scoped(request.app.state.graph, principal.scope)  # this request's
        events = await read_changes(scoped, after, limit, only)
    except CursorExpired as error:
        return JSONResponse({"error": str(error), "resynchronise": True}, 410)
    except (ValueError, InvalidChangeCursor) as error:
        return JSONResponse({"error": str(error)}, 400)
    last = events[-1].cursor.encode() if events else query.get("after")
    privacy = Privacy.of(principal)
    page = [change_json(e, privacy) for e in events]
    body = {"events": page, "next": last}
    request.app.state.audit.record(
        AuditEntry.of(principal, "http", "/changes", dict(query), results=len(page),
                      outcome="ok", request_id=request_id())
    )  # fmt: skip
    return JSONResponse(body)


def listed(text: str | None) -> frozenset[str] | None:
    return frozenset(item for item in text.split(",") if item) if text else None


def change_json(event: ChangeEvent, privacy: Privacy) -> dict[str, Any]:
    """An event as the `changes` subscription's `Change` type has it, every field selected."""
    fields = [
        {"name": name, "before": privacy.change(name, before), "after": privacy.change(name, after)}
        for name, before, after in field_changes(event)
    ]
    return {
        "cursor": event.cursor.encode(),
        "operation": event.operation.value,
        "entityType": event.entity,
        "entityId": feed_id(event),
        "fields": fields,
        "regionCode": event.region_code,
        "programs": list(event.programs),
        "source": event.source,
        "actor": event.actor,
        "at": event.at.isoformat(),
    }


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or get_settings()
    configure_logging(settings)
    graphql = GraphQLApp(settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        graph = await open_graph(settings)
        applied = await migrate(graph)
        hub = ChangeHub(graph, interval=settings.change_poll_ms / 1000)
        await hub.start()
        audit = AuditLog(graph)
        await audit.start()
        graphql.graph = app.state.graph = graph
        graphql.hub = hub
        graphql.audit = app.state.audit = audit
        graphql.authenticator = app.state.authenticator = Authenticator(graph, settings)
        log.info("serving", migrations_applied=applied, database=graph.database)
        try:
            yield
        finally:
            await hub.stop()
            await audit.stop()
            await graph.close()

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        ready = await request.app.state.graph.ping()
        return JSONResponse(
            {"status": "ready" if ready else "neo4j unavailable"}, 200 if ready else 503
        )

    app = Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/changes", changes_page),
            Route("/findings.csv", findings_csv),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static"),
        ],
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.add_middleware(
        AuthenticationMiddleware,
        ide=graphql.graphql_ide is not None,
        rate_per_minute=settings.rate_limit_per_minute,
    )
    app.add_middleware(BodyLimitMiddleware, limit=settings.max_body_bytes)
    app.add_middleware(  # outside authentication: browsers' preflights carry no credential
        CORSMiddleware,
        allow_origins=settings.allowed_origins,
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
    )
    app.add_middleware(RequestIdMiddleware)
    return app
