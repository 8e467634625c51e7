"""Credentials to principals: `Authorization: Bearer <API key or JWT>` on HTTP, the same in
the graphql-transport-ws `connection_init` payload."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from civgraph.auth.keys import PREFIX, KeyVerifier
from civgraph.auth.principal import Principal, Unauthenticated
from civgraph.auth.tokens import TokenVerifier
from civgraph.graph.driver import Graph
from civgraph.settings import Settings


class Authenticator:
    def __init__(self, graph: Graph, settings: Settings) -> None:
        self.keys = KeyVerifier(graph)
        self.tokens = TokenVerifier(settings)

    async def bearer(self, authorization: str | None) -> Principal:
        """The principal of an `Authorization` header's value."""
        if not authorization:
            raise Unauthenticated("no credential: send `Authorization: Bearer <API key or JWT>`")
        scheme, _, credential = authorization.strip().partition(" ")
        if scheme.lower() != "bearer" or not credential.strip():
            raise Unauthenticated("the Authorization header must read `Bearer <API key or JWT>`")
        credential = credential.strip()
        if credential.startswith(PREFIX):
            return await self.keys.verify(credential)
        return self.tokens.verify(credential)

    async def connection(self, payload: Mapping[str, Any] | None) -> Principal:
        """The principal of a graphql-transport-ws `connection_init` payload: `{"Authorization":
        "Bearer …"}` (any case), or `{"token": "…"}`."""
        payload = payload or {}
        for name, value in payload.items():
            if name.lower() == "authorization" and isinstance(value, str):
                return await self.bearer(value)
        token = payload.get("token")
        return await self.bearer(f"Bearer {token}" if isinstance(token, str) else None)
