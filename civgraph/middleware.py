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

log = structlog.get_logger(__name__)
CLIENT_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
HEADER = "x-request-id"


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
                MutableHeaders(scope=message)[HEADER] = rid
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

    def __init__(self, app: ASGIApp, *, ide: bool) -> None:
        self.app = app
        self.ide = ide

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.OPEN) or self.is_ide(scope):
            await self.app(scope, receive, send)
            return
        authorization = Headers(scope=scope).get("authorization")
        try:
            principal = await scope["app"].state.authenticator.bearer(authorization)
        except Unauthenticated as error:
            response = JSONResponse(
                {"error": str(error)}, 401, headers={"WWW-Authenticate": 'Bearer realm="civgraph"'}
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
