"""JWT bearer tokens, verified with a configured HS256 secret or a public key set (a JWKS
file: RS256 or ES256), their claims mapped to a role and a region scope."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jwt

from civgraph.auth.principal import Principal, Role, Unauthenticated
from civgraph.graph.identifiers import parse_division_code
from civgraph.settings import Settings

ASYMMETRIC = ["RS256", "ES256"]


class TokenVerifier:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.secret = settings.jwt_secret.get_secret_value() if settings.jwt_secret else None
        self.public_keys = (
            load_key_set(settings.jwt_public_keys) if settings.jwt_public_keys else {}
        )

    @property
    def configured(self) -> bool:
        return bool(self.secret or self.public_keys)

    def verify(self, token: str) -> Principal:
        if not self.configured:
            raise Unauthenticated("JWTs are not accepted here (no secret or key set configured)")
        try:
            key, algorithms = self._key_for(token)
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=algorithms,
                audience=self.settings.jwt_audience,
                issuer=self.settings.jwt_issuer,
                options={"require": ["exp", "sub"]},
            )
        except (jwt.PyJWTError, ValueError, TypeError) as error:  # a key of the wrong kind too
            raise Unauthenticated(f"invalid token: {error}") from error
        return self._principal(claims)

    def _key_for(self, token: str) -> tuple[Any, list[str]]:
        header = jwt.get_unverified_header(token)
        if header.get("alg") == "HS256" and self.secret:
            return self.secret, ["HS256"]
        if header.get("alg") in ASYMMETRIC and self.public_keys:
            kid = header.get("kid")
            key = self.public_keys.get(kid) if kid else next(iter(self.public_keys.values()))
            if key is None:
                raise jwt.InvalidKeyError(f"no key {kid!r} in the configured key set")
            if key.algorithm_name != header.get("alg"):
                raise jwt.InvalidAlgorithmError(f"key {kid!r} is not for {header.get('alg')}")
            return key.key, [key.algorithm_name]
        raise jwt.InvalidAlgorithmError(f"algorithm {header.get('alg')!r} is not accepted")

    def _principal(self, claims: dict[str, Any]) -> Principal:
        role_claim = claims.get(self.settings.jwt_role_claim)
        try:
            role = Role(str(role_claim))
        except ValueError as error:
            raise Unauthenticated(f"token claims no known role ({role_claim!r})") from error
        region = claims.get(self.settings.jwt_region_claim)
        if region is not None:
            try:
                parse_division_code(str(region))
            except ValueError as error:
                raise Unauthenticated(
                    f"token's region claim is not a division code: {error}"
                ) from error
        pii = bool(claims.get(self.settings.jwt_pii_claim, False))
        return Principal(str(claims["sub"]), role, str(region) if region else None, "jwt", pii)


def load_key_set(path: Path) -> dict[str | None, jwt.PyJWK]:
    """Public keys of a JWKS file by key id (each knows its algorithm)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    return {entry.get("kid"): jwt.PyJWK.from_dict(entry) for entry in document.get("keys", [])}
