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


class ResolutionError(GraphError):
    """A decision on entity resolution's match (confirm, reject, split) that cannot be
    made; the message says why."""


class RecordNotFound(ResolutionError):
    """No record of that source and key describes a person (in the caller's region)."""

    def __init__(self, source: str, key: str) -> None:
        super().__init__(f"no record {key!r} of {source} describes a person")
        self.source = source
        self.key = key


class NotResolved(ResolutionError):
    """The record carried its natural key: resolution did not match it, there is nothing to
    decide (correct the registry instead)."""

    def __init__(self, source: str, key: str, match_key: str) -> None:
        super().__init__(
            f"record {key!r} of {source} carried the {match_key}; it was not matched by "
            "resolution (correct the registry instead)"
        )
        self.source = source
        self.key = key
        self.match_key = match_key


class AlreadyDecided(ResolutionError):
    """The record already stands as the decision would leave it, or stands in its way: it
    is an entity of its own already (split), or it describes the person a rejection names."""

    def __init__(self, message: str, person_id: str) -> None:
        super().__init__(message)
        self.person_id = person_id  # the person the record describes
