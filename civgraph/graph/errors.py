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


class NotFound(GraphError):
    """No entity (or relationship) with the id a write names."""

    def __init__(self, what: str, id: str) -> None:
        super().__init__(f"no {what} with id {id!r}")
        self.what = what
        self.id = id


class Conflict(GraphError):
    """A write would break a uniqueness rule or leave the graph inconsistent."""

    def __init__(
        self, message: str, existing_id: str | None = None, label: str | None = None
    ) -> None:
        super().__init__(message)
        self.existing_id = existing_id  # the entity holding the natural key, if that is it
        self.label = label


class StaleVersion(GraphError):
    """The entity changed since the writer read it: its version is not the one expected."""

    def __init__(self, what: str, id: str, expected: int, actual: int) -> None:
        super().__init__(
            f"{what} {id!r} is at version {actual}, not {expected}: read it again and retry"
        )
        self.id = id
        self.expected = expected
        self.actual = actual


class InvalidWrite(GraphError, ValueError):
    """A write whose input breaks a rule no single field shows (an end before its start, a
    relationship between the wrong kinds of entity)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
