"""Opaque cursors of the schema's own pages (relationship pages, investigations, views):
a few strings, base64 JSON. Root connections' keyset cursors are the graph layer's."""

from __future__ import annotations

import base64
import json

from civgraph.resolvers.errors import UserError


def encode_cursor(*parts: str) -> str:
    return base64.urlsafe_b64encode(json.dumps(parts, ensure_ascii=False).encode()).decode()


def decode_cursor(cursor: str, size: int) -> list[str]:
    """The strings `encode_cursor` put in a cursor, or the client's error."""
    try:
        parts = json.loads(base64.b64decode(cursor.encode(), altchars=b"-_", validate=True))
    except (ValueError, TypeError) as error:  # binascii and JSON errors are ValueErrors
        raise UserError(f"cursor {cursor!r} is not one this API issued") from error
    if (
        not isinstance(parts, list)
        or len(parts) != size
        or not all(isinstance(p, str) for p in parts)
    ):
        raise UserError(f"cursor {cursor!r} is not one this API issued")
    return parts


def decode_link_cursor(cursor: str) -> tuple[str, str]:
    """A relationship page's cursor: the last item's position and relationship key."""
    position, key = decode_cursor(cursor, 2)
    return position, key
