"""Who is asking: a principal with a role and a region scope."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from civgraph.graph.scope import Scope


class Role(StrEnum):
    VIEWER = "viewer"  # front ends: entities and aggregates, PII masked
    CASEWORKER = "caseworker"  # PII within its region; writes enrollments in its region
    INVESTIGATOR = "investigator"  # investigation queries and PII; everything audited
    INTEGRATOR = "integrator"  # the change feed and reads; PII masked unless granted
    ADMIN = "admin"  # everything, key management, the audit log


class Unauthenticated(Exception):
    """No credential, or one that is unknown, malformed, expired or revoked."""


@dataclass(frozen=True, slots=True)
class Principal:
    subject: str  # the API key's id, or the JWT's `sub`
    role: Role
    region: str | None = None  # a division code: sees that subtree only; None: everything
    via: str = "api-key"  # or "jwt"
    pii_granted: bool = False  # an integrator allowed to see PII unmasked

    @property
    def actor(self) -> str:
        """As the change feed and the audit log name it."""
        return f"{self.via}:{self.subject}"

    @property
    def scope(self) -> Scope:
        """What it may see: its region's subtree, or everything (no region)."""
        return Scope.of(self.region)
