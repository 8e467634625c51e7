"""Every setting of civgraph, read from `CIVGRAPH_*` environment variables (or `.env`)."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from civgraph.graph.identifiers import parse_division_code

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Mode(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class Settings(BaseSettings):
    """Settings with small defaults that fit a 2-core machine next to the tests."""

    model_config = SettingsConfigDict(
        env_prefix="CIVGRAPH_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    mode: Mode = Mode.DEVELOPMENT
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    # API processes; each has its own driver. Several use more cores (Neo4j needs some too).
    workers: int = Field(default=1, ge=1, le=64)
    log_format: str = Field(default="console", pattern="^(console|json)$")
    log_level: str = "info"
    load_demo_data: bool = True

    # An external Neo4j (bolt:// or neo4j:// for a cluster): when set, nothing is started.
    # NEO4J_URI is accepted too, as the name operators of Neo4j already use.
    neo4j_uri: str | None = Field(
        default=None, validation_alias=AliasChoices("CIVGRAPH_NEO4J_URI", "NEO4J_URI")
    )
    neo4j_user: str = "neo4j"
    # None: the managed server generates one and keeps it in `<neo4j_home>/password`.
    neo4j_password: SecretStr | None = None
    neo4j_database: str = "neo4j"

    # The embedded server that civgraph starts when neo4j_uri is not set.
    neo4j_home: Path = PROJECT_ROOT / "var" / "neo4j"
    neo4j_port: int = Field(default=7687, ge=0, le=65535)  # 0 picks a free port
    neo4j_heap: str = Field(default="768m", pattern=r"^\d+[kmg]$")
    neo4j_pagecache: str = Field(default="256m", pattern=r"^\d+[kmg]$")
    neo4j_tx_memory: str = Field(default="256m", pattern=r"^\d+[kmg]$")
    neo4j_start_timeout: float = Field(default=120.0, gt=0)
    java: str = "java"
    maven: str = "mvn"

    # The province the platform serves (GB/T 2260): the region of every view, statistic and
    # rule asked without one (`regionCode: null`).
    province: str = "340000"

    max_page_size: int = Field(default=100, ge=1)
    # Queries the read planner can plan are answered by one statement per root field
    # (docs/architecture.md); off: every query runs through the DataLoaders (for comparison).
    planner: bool = True
    # Limits on every request (docs/security.md): estimated query cost, request body,
    # subscriptions per WebSocket connection, requests a minute per principal (per process).
    max_query_cost: int = Field(default=100_000, ge=1)
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    max_subscriptions_per_connection: int = Field(default=10, ge=1)
    rate_limit_per_minute: int = Field(default=1200, ge=1)
    # Browser origins allowed to call the API (CORS) and open WebSockets, besides the API's
    # own; empty: none.
    allowed_origins: list[str] = Field(default_factory=list)

    # Entity resolution: a record without an ID number joins a person at `match_join` or
    # more; from `match_grey` it is linked POSSIBLY_SAME (docs/ingest.md).
    match_join: float = Field(default=0.90, gt=0, le=1)
    match_grey: float = Field(default=0.65, gt=0, le=1)

    # Investigation rules' thresholds (docs/investigations.md).
    old_age_allowance_age: int = Field(default=80, ge=0, le=150)
    retired_cadre_age: int = Field(default=70, ge=0, le=150)
    cooling_off_years: int = Field(default=3, ge=0, le=50)

    # How long an API process reuses a linkage or indicator answer while the graph has not
    # changed (docs/indicators.md); 0: never.
    dashboard_cache_seconds: int = Field(default=300, ge=0)

    # The change feed: how often each process polls for new events; how long events are
    # kept (`civgraph changes prune`).
    change_poll_ms: int = Field(default=200, ge=10)
    change_retention_days: int = Field(default=30, ge=1)

    # Access control (docs/security.md). API keys live in the graph (`civgraph keys`); JWTs
    # are accepted when a secret (HS256) or a public key set file (JWKS: RS256, ES256) is set.
    jwt_secret: SecretStr | None = None
    jwt_public_keys: Path | None = None
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    jwt_role_claim: str = "role"
    jwt_region_claim: str = "region"
    jwt_pii_claim: str = "pii"

    @field_validator("province")
    @classmethod
    def a_province(cls, value: str) -> str:
        code = parse_division_code(value, (2, 6), "province code")
        if len(code.prefix) != 2:
            raise ValueError(f"{value} is not a province's code (those end in 0000)")
        return code.code


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
