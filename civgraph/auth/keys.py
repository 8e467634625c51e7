"""API keys: random, shown once, stored only as a hash, with a role, a region scope, an
expiry and revocation. Managed with `civgraph keys create|list|revoke`.

A key reads `cgk_<id>_<secret>`: the id finds the stored key, the secret (256 random bits)
is compared by its SHA-256 hash in constant time. Verified keys are remembered for
`CACHE_SECONDS`, so a revocation takes effect within that time on every API process.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, LiteralString

from civgraph.auth.principal import Principal, Role, Unauthenticated
from civgraph.graph.driver import Graph
from civgraph.graph.identifiers import parse_division_code

PREFIX = "cgk_"
CACHE_SECONDS = 10.0

CREATE: LiteralString = """
CREATE (k:ApiKey {id: $id, name: $name, hash: $hash, role: $role, region: $region,
                  piiGranted: $pii, createdAt: datetime(), createdBy: $by,
                  expiresAt: $expires})
"""
FIND: LiteralString = "MATCH (k:ApiKey {id: $id}) RETURN k {.*} AS key"
LIST: LiteralString = "MATCH (k:ApiKey) RETURN k {.*} AS key ORDER BY k.createdAt"
REVOKE: LiteralString = """
MATCH (k:ApiKey {id: $id})
SET k.revokedAt = coalesce(k.revokedAt, datetime()), k.revokedBy = coalesce(k.revokedBy, $by)
RETURN k.id AS id
"""


@dataclass(frozen=True, slots=True)
class ApiKey:
    id: str
    name: str
    role: Role
    region: str | None
    pii_granted: bool
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, row: dict[str, Any]) -> ApiKey:
        return cls(
            id=row["id"],
            name=row["name"],
            role=Role(row["role"]),
            region=row.get("region"),
            pii_granted=bool(row.get("piiGranted")),
            created_at=row["createdAt"],
            expires_at=row.get("expiresAt"),
            revoked_at=row.get("revokedAt"),
        )

    def principal(self) -> Principal:
        return Principal(self.id, self.role, self.region, "api-key", self.pii_granted)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def create_key(
    graph: Graph,
    name: str,
    role: Role,
    *,
    region: str | None = None,
    expires_in: timedelta | None = None,
    pii_granted: bool = False,
    by: str = "cli",
) -> tuple[ApiKey, str]:
    """Stores a new key; returns it and its text (shown once: only the hash is kept)."""
    if region is not None:
        parse_division_code(region)
    key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    expires = datetime.now(UTC) + expires_in if expires_in else None
    await graph.write(
        CREATE, id=key_id, name=name, hash=digest(secret), role=role.value, region=region,
        pii=pii_granted, by=by, expires=expires,
    )  # fmt: skip
    stored = (await graph.read(FIND, id=key_id))[0]["key"]
    return ApiKey.of(stored), f"{PREFIX}{key_id}_{secret}"


async def list_keys(graph: Graph) -> list[ApiKey]:
    return [ApiKey.of(row["key"]) for row in await graph.read(LIST)]


async def revoke_key(graph: Graph, key_id: str, by: str = "cli") -> bool:
    return bool(await graph.write(REVOKE, id=key_id, by=by))


class KeyVerifier:
    """Verifies key texts against the graph, remembering answers for a few seconds."""

    def __init__(self, graph: Graph, cache_seconds: float = CACHE_SECONDS) -> None:
        self.graph = graph
        self.cache_seconds = cache_seconds
        self._known: dict[str, tuple[float, Principal | str]] = {}

    async def verify(self, text: str) -> Principal:
        now = time.monotonic()
        known = self._known.get(text)
        if known is None or now - known[0] > self.cache_seconds:
            known = (now, await self._check(text))
            if len(self._known) > 10_000:
                self._known.clear()
            self._known[text] = known
        if isinstance(known[1], str):
            raise Unauthenticated(known[1])
        return known[1]

    async def _check(self, text: str) -> Principal | str:
        """The principal, or why the key is refused."""
        key_id, _, secret = text.removeprefix(PREFIX).partition("_")
        rows = await self.graph.read(FIND, id=key_id) if secret else []
        if not rows or not hmac.compare_digest(rows[0]["key"]["hash"], digest(secret)):
            return "unknown API key"
        key = ApiKey.of(rows[0]["key"])
        if key.revoked_at is not None:
            return "the API key was revoked"
        if key.expires_at is not None and key.expires_at <= datetime.now(UTC):
            return "the API key expired"
        return key.principal()
