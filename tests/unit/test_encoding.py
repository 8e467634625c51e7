"""GraphQL responses are encoded by orjson and read exactly as json.dumps would have them."""

from __future__ import annotations

import json

from civgraph.app import GraphQLApp
from civgraph.settings import Settings


def test_a_response_reads_as_json_dumps_writes_it_with_characters_as_they_are() -> None:
    body = {
        "data": {"people": [{"name": "钱七", "birthDate": "1950-06-06", "score": 0.1, "n": -7}]},
        "errors": [{"message": "无", "extensions": {"code": "FORBIDDEN"}}],
    }

    encoded = GraphQLApp(Settings()).encode_json(body)

    assert json.loads(encoded) == body
    assert "钱七" in encoded


def test_what_orjson_refuses_is_written_by_json_dumps() -> None:
    body = {"data": {"changes": [{"after": 2**70}]}}  # a JSON value beyond 64 bits

    assert json.loads(GraphQLApp(Settings()).encode_json(body)) == body
