"""People, keyed by resident ID number."""

from __future__ import annotations

from collections.abc import Sequence
from typing import LiteralString

from civgraph.graph.driver import Graph
from civgraph.graph.models import Person, PersonInput
from civgraph.graph.repository import by_key

UPSERT_PEOPLE: LiteralString = """
UNWIND $rows AS row
MERGE (p:Person {idNumber: row.props.idNumber})
  ON CREATE SET p.id = randomUUID(), p.firstSeen = datetime()
SET p += row.props, p.source = $source, p.recordKey = row.props.idNumber, p.lastSeen = datetime()
"""

GET_PEOPLE_BY_ID: LiteralString = """
UNWIND $keys AS key
MATCH (p:Person {id: key})
RETURN key, p {.*} AS person
"""

GET_PEOPLE_BY_ID_NUMBER: LiteralString = """
UNWIND $keys AS key
MATCH (p:Person {idNumber: key})
RETURN key, p {.*} AS person
"""


async def upsert_people(graph: Graph, people: Sequence[PersonInput], source: str) -> None:
    rows = [{"props": person.properties()} for person in people]
    await graph.write(UPSERT_PEOPLE, rows=rows, source=source)


async def get_people_by_id(graph: Graph, ids: Sequence[str]) -> dict[str, Person]:
    return by_key(await graph.read(GET_PEOPLE_BY_ID, keys=list(ids)), Person, "person")


async def get_people_by_id_number(graph: Graph, numbers: Sequence[str]) -> dict[str, Person]:
    rows = await graph.read(GET_PEOPLE_BY_ID_NUMBER, keys=list(numbers))
    return by_key(rows, Person, "person")
