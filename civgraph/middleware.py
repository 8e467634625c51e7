"""ASGI middleware: a request id on every response and every log line of the request;
authentication of HTTP requests."""

from __future__ import annotations

import re
import time
import uuid

import structlog
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from civgraph.auth.policy import ROUTES
from civgraph.auth.principal import Unauthenticated
from civgraph.graph.driver import TALLY
from civgraph.graph.errors import DatabaseUnavailable
from civgraph.schema.extensions import internal_message

log = structlog.get_logger(__name__)
CLIENT_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
HEADER = "x-request-id"
STATEMENTS = "civgraph-statements"  # what a GraphQL request sent to Neo4j (graph.driver.Tally)


def request_id_of(scope: Scope) -> str:
    """The client's X-Request-ID when it is a sane token, else a new one."""
    for name, value in scope.get("headers", []):
        if name == HEADER.encode() and CLIENT_REQUEST_ID.match(value.decode("latin-1")):
            return str(value.decode("latin-1"))
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        rid = request_id_of(scope)
        structlog.contextvars.bind_contextvars(request_id=rid)
        started = time.perf_counter()
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers[HEADER] = rid
                if (tally := TALLY.get()) is not None:
                    headers[STATEMENTS] = str(tally.statements)
                status = int(message["status"])
            elif message["type"] == "websocket.accept":
                message["headers"] = [*message.get("headers", []), (HEADER.encode(), rid.encode())]
                status = 101
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            log.info(
                "request",
                kind=scope["type"],
                path=scope["path"],
                status=status,
                ms=round((time.perf_counter() - started) * 1000, 1),
            )
            structlog.contextvars.unbind_contextvars("request_id")


class AuthenticationMiddleware:
    """HTTP requests to the API need a credential: `Authorization: Bearer <API key or JWT>`.
    Open without one: the health checks, static files and, in development mode, the
    GraphiQL page. The principal goes into the request's state; WebSocket connections
    authenticate in their `connection_init` (the GraphQL view does that)."""

    OPEN = ("/healthz", "/readyz", "/static/")

    def __init__(self, app: ASGIApp, *, ide: bool, rate_per_minute: int = 1200) -> None:
        self.app = app
        self.ide = ide
        self.rates = RateLimiter(rate_per_minute)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.OPEN) or self.is_ide(scope):
            await self.app(scope, receive, send)
            return
        authorization = Headers(scope=scope).get("authorization")
        try:
            principal = await scope["app"].state.authenticator.bearer(authorization)
        except DatabaseUnavailable:
            await unavailable(scope, receive, send)
            return
        except Unauthenticated as error:
            response = JSONResponse(
                {"error": str(error)}, 401, headers={"WWW-Authenticate": 'Bearer realm="civgraph"'}
            )
            await response(scope, receive, send)
            return
        wait = self.rates.wait(principal.actor)
        if wait > 0:
            response = JSONResponse(
                {"error": f"too many requests from {principal.actor}; retry in {wait:.0f} s"},
                429,
                headers={"Retry-After": str(max(1, round(wait)))},
            )
            await response(scope, receive, send)
            return
        roles = ROUTES.get(scope["path"])
        if roles is not None and principal.role not in roles:
            response = JSONResponse(
                {"error": f"role {principal.role} may not use {scope['path']}"}, 403
            )
            await response(scope, receive, send)
            return
        scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, receive, send)

    def is_ide(self, scope: Scope) -> bool:
        """The GraphiQL page: a browser's GET of /graphql (development mode only)."""
        if not self.ide or scope["method"] != "GET" or scope["path"] != "/graphql":
            return False
        return "text/html" in Headers(scope=scope).get("accept", "")


async def unavailable(scope: Scope, receive: Receive, send: Send) -> None:
    """503 when a credential cannot be checked (Neo4j unreachable): the masked internal error
    of docs/api.md (a GraphQL response on /graphql), logged with its traceback."""
    rid = str(structlog.contextvars.get_contextvars().get("request_id", "-"))
    log.error("cannot authenticate: Neo4j unavailable", exc_info=True)
    error = {"message": internal_message(rid), "extensions": {"code": "INTERNAL", "requestId": rid}}
    body = (
        {"data": None, "errors": [error]}
        if scope["path"] == "/graphql"
        else {"error": error["message"]}
    )
    response = JSONResponse(body, 503, headers={"Retry-After": "5"})
    await response(scope, receive, send)


class RateLimiter:
    """A token bucket per principal: `per_minute` requests a minute, in bursts of as many.
    Per process: with several workers a principal gets that many times the rate."""

    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.refill = per_minute / 60.0
        self.buckets: dict[str, tuple[float, float]] = {}  # actor → (tokens, as of)

    def wait(self, actor: str) -> float:
        """0 when the request may go (and counts it), else the seconds until one may."""
        now = time.monotonic()
        tokens, since = self.buckets.get(actor, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - since) * self.refill)
        if tokens < 1:
            self.buckets[actor] = (tokens, now)
            return (1 - tokens) / self.refill
        self.buckets[actor] = (tokens - 1, now)
        return 0.0


class BodyLimitMiddleware:
    """Refuses request bodies over `limit` bytes (413), by Content-Length or as they come."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self.too_large(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise BodyTooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except BodyTooLarge:
            await self.too_large(scope, receive, send)

    async def too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = JSONResponse({"error": f"request body over {self.limit:,} bytes"}, 413)
        await response(scope, receive, send)


class BodyTooLarge(Exception):
    pass
