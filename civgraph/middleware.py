"""ASGI middleware: a request id on every response and every log line of the request."""

from __future__ import annotations

import re
import time
import uuid

import structlog
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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
