"""Domain errors raised by the graph layer; each says whether retrying can help."""

from __future__ import annotations


class GraphError(Exception):
    """Base of every error the graph layer raises on purpose."""

    retryable = False


class DatabaseUnavailable(GraphError):
    """Neo4j cannot be reached (not started, stopped, or the network dropped)."""

    retryable = True


class InvalidIdentifier(GraphError, ValueError):
    """A natural key (resident ID, USCC, division code) fails validation."""

    def __init__(self, kind: str, value: str, reason: str) -> None:
        super().__init__(f"invalid {kind} {value!r}: {reason}")
        self.kind = kind
        self.value = value
        self.reason = reason
