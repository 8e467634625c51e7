"""The read bench's scenarios: inputs for each system, and each system's answer reduced to one
comparable form so the bench can check that all three return the same data.

Lists keep their order where our API promises one (members by ID number, households by
number, communities by code, people by name): the Cypher and the peer sort the same way. A
person's programs are compared as a set, since the API promises no order among them (ours
lists own enrollments first, the peer's query fetches the two paths apart).
"""

from __future__ import annotations

import base64
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, LiteralString

from bench import read_queries as q
from civgraph.graph.identifiers import parse_division_code

PROGRAMS = ["DIBAO_URBAN", "DIBAO_RURAL", "MEDICAL_ASSISTANCE", "OLD_AGE_ALLOWANCE"]
DIBAO = ["DIBAO_URBAN", "DIBAO_RURAL"]
CASES = 400  # distinct inputs drawn per scenario, cycled through by the requests
CHECKED = 5  # inputs on which the three systems' answers are compared

Reduce = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class Case:
    variables: dict[str, Any]  # our GraphQL
    params: dict[str, Any]  # the hand-written Cypher
    peer: dict[str, Any]  # the peer's GraphQL


@dataclass(frozen=True, slots=True)
class Peer:
    """The peer's query for a scenario, or why it has none (`query` None)."""

    query: str | None
    reduce: Reduce | None = None
    missing: str = ""


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    graphql: str
    cypher: LiteralString
    peer: Peer
    cases: list[Case]
    from_graphql: Reduce  # the data of our answer
    from_cypher: Reduce  # the Cypher's rows


@dataclass(frozen=True, slots=True)
class Inputs:
    person_ids: list[str]  # GraphQL global ids
    counties: list[str]
    cities: list[str]
    townships: list[str]
    words: list[str]  # two characters of a generated name


# --- a person's programs, from each system ------------------------------------------------


def iso(value: Any) -> str | None:
    return None if value is None else str(value)


def program_set(entries: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return sorted(entries, key=repr)


def ours_programs(person: dict[str, Any], via: bool) -> list[tuple[Any, ...]]:
    return program_set(
        [
            (p["program"]["code"], p["amount"], p["since"], p["via"] if via else None)
            for p in person["programs"]
        ]
    )


def cypher_programs(entries: list[dict[str, Any]], via: bool) -> list[tuple[Any, ...]]:
    return program_set(
        [(p["code"], p["amount"], iso(p["since"]), p.get("via") if via else None) for p in entries]
    )


def peer_enrollments(connection: dict[str, Any], via: str | None) -> list[tuple[Any, ...]]:
    return [
        (e["node"]["code"], e["properties"]["amount"], e["properties"]["since"], via)
        for e in connection["edges"]
    ]


def peer_programs(person: dict[str, Any], via: bool) -> list[tuple[Any, ...]]:
    own = peer_enrollments(person["enrolledInConnection"], "PERSON" if via else None)
    shared = [
        entry
        for h in person["households"]
        for entry in peer_enrollments(h["enrolledInConnection"], "HOUSEHOLD" if via else None)
    ]
    return program_set(own + shared)


# --- a. person + households -----------------------------------------------------------


def person_from_graphql(data: dict[str, Any]) -> Any:
    node = data["node"]
    return node["name"], [
        (
            h["household"]["number"],
            [(m["person"]["name"], ours_programs(m["person"], False))
             for m in h["household"]["members"]],
        )
        for h in node["households"]
    ]  # fmt: skip


def person_from_cypher(rows: list[dict[str, Any]]) -> Any:
    row = rows[0]
    return row["name"], [
        (h["number"], [(m["name"], cypher_programs(m["programs"], False)) for m in h["members"]])
        for h in row["households"]
    ]


def person_from_peer(data: dict[str, Any]) -> Any:
    person = data["people"][0]
    return person["name"], [
        (h["number"], [(m["name"], peer_programs(m, False)) for m in h["members"]])
        for h in person["households"]
    ]


# --- b. filtered page -----------------------------------------------------------------


def page_from_graphql(data: dict[str, Any]) -> Any:
    return [
        (n["name"], n["idNumber"],
         [(h["household"]["number"], h["household"]["address"]) for h in n["households"]])
        for n in data["people"]["nodes"]
    ]  # fmt: skip


def page_from_cypher(rows: list[dict[str, Any]]) -> Any:
    return [
        (r["name"], r["idNumber"], [(h["number"], h["address"]) for h in r["households"]])
        for r in rows
    ]


def page_from_peer(data: dict[str, Any]) -> Any:
    return [
        (p["name"], p["idNumber"], [(h["number"], h["address"]) for h in p["households"]])
        for p in data["people"]
    ]


# --- c. programOverlap, d. search (ours and Cypher only) --------------------------------


def overlap_from_graphql(data: dict[str, Any]) -> Any:
    found = data["programOverlap"]
    entries = [(e["person"]["name"], sorted(e["programs"])) for e in found["entries"]]
    return found["count"], entries


def overlap_from_cypher(rows: list[dict[str, Any]]) -> Any:
    entries = [(e["name"], sorted(e["programs"])) for e in rows[0]["entries"]]
    return rows[0]["count"], entries


def search_from_graphql(data: dict[str, Any]) -> Any:
    return [
        (h["entity"]["__typename"], h["entity"].get("name"), round(h["score"], 5))
        for h in data["search"]
    ]


def search_from_cypher(rows: list[dict[str, Any]]) -> Any:
    return [
        (r["label"], r["name"] if r["label"] == "Person" else None, round(r["score"], 5))
        for r in rows
    ]


# --- members (e, f, g): (relation, name, ID number, programs or None) --------------------


def ours_members(household: dict[str, Any], programs: bool) -> list[tuple[Any, ...]]:
    return [
        (m["relation"], m["person"]["name"], m["person"]["idNumber"],
         ours_programs(m["person"], True) if programs else None)
        for m in household["members"]
    ]  # fmt: skip


def cypher_members(household: dict[str, Any], programs: bool) -> list[tuple[Any, ...]]:
    return [
        (m["relation"], m["name"], m["idNumber"],
         cypher_programs(m["programs"], True) if programs else None)
        for m in household["members"]
    ]  # fmt: skip


def peer_members(household: dict[str, Any], programs: bool) -> list[tuple[Any, ...]]:
    return [
        (e["properties"]["relation"], e["node"]["name"], e["node"]["idNumber"],
         peer_programs(e["node"], True) if programs else None)
        for e in household["membersConnection"]["edges"]
    ]  # fmt: skip


# --- e. page of 100 households --------------------------------------------------------


def households_from_graphql(data: dict[str, Any]) -> Any:
    return [(h["number"], h["address"], ours_members(h, True)) for h in data["households"]["nodes"]]


def households_from_cypher(rows: list[dict[str, Any]]) -> Any:
    return [(r["number"], r["address"], cypher_members(r, True)) for r in rows]


def households_from_peer(data: dict[str, Any]) -> Any:
    return [(h["number"], h["address"], peer_members(h, True)) for h in data["households"]]


# --- f. and g. township → communities → households → members (→ programs) --------------


def tree_from_graphql(programs: bool) -> Reduce:
    def reduce(data: dict[str, Any]) -> Any:
        region = data["region"]
        return region["name"], [
            (c["name"], [(h["number"], ours_members(h, programs))
                         for h in c["households"]["items"]])
            for c in region["communities"]
        ]  # fmt: skip

    return reduce


def tree_from_cypher(programs: bool) -> Reduce:
    def reduce(rows: list[dict[str, Any]]) -> Any:
        row = rows[0]
        return row["name"], [
            (c["name"], [(h["number"], cypher_members(h, programs)) for h in c["households"]])
            for c in row["communities"]
        ]

    return reduce


def tree_from_peer(programs: bool) -> Reduce:
    def reduce(data: dict[str, Any]) -> Any:
        region = data["regions"][0]
        return region["name"], [
            (c["name"], [(h["number"], peer_members(h, programs)) for h in c["households"]])
            for c in region["communities"]
        ]

    return reduce


# --- the scenarios ----------------------------------------------------------------------


def platform_id(global_id: str) -> str:
    """The node's own id inside strawberry's global id, base64("Person:<id>")."""
    return base64.b64decode(global_id).decode().split(":", 1)[1]


def person_case(global_id: str) -> Case:
    own = platform_id(global_id)
    return Case({"id": global_id}, {"id": own}, {"id": own})


def region_case(code: str, **params: Any) -> Case:
    prefix = parse_division_code(code).prefix
    return Case({"region": code}, {"prefix": prefix} | params, {"prefix": prefix} | params)


def township_case(code: str) -> Case:
    return Case({"township": code}, {"township": code}, {"township": code})


def draw(rng: random.Random, values: list[str]) -> list[str]:
    return [rng.choice(values) for _ in range(CASES)]


def scenarios(inputs: Inputs, rng: random.Random) -> list[Scenario]:
    today = date.today()
    ids, counties = draw(rng, inputs.person_ids), draw(rng, inputs.counties)
    cities, words = draw(rng, inputs.cities), draw(rng, inputs.words)
    townships, house_counties = draw(rng, inputs.townships), draw(rng, inputs.counties)
    return [
        Scenario("a. person + households", q.PERSON_GRAPHQL, q.PERSON_CYPHER,
                 Peer(q.PERSON_PEER, person_from_peer), [person_case(i) for i in ids],
                 person_from_graphql, person_from_cypher),
        Scenario("b. filtered page of 50", q.PAGE_GRAPHQL, q.PAGE_CYPHER,
                 Peer(q.PAGE_PEER, page_from_peer),
                 [region_case(c, programs=DIBAO) for c in counties],
                 page_from_graphql, page_from_cypher),
        Scenario("c. programOverlap (city)", q.OVERLAP_GRAPHQL, q.OVERLAP_CYPHER,
                 Peer(None, missing=q.OVERLAP_NO_PEER),
                 [region_case(c, programs=PROGRAMS, asOf=today) for c in cities],
                 overlap_from_graphql, overlap_from_cypher),
        Scenario("d. search (2 characters)", q.SEARCH_GRAPHQL, q.SEARCH_CYPHER,
                 Peer(None, missing=q.SEARCH_NO_PEER),
                 [Case({"text": w}, {"text": w}, {}) for w in words],
                 search_from_graphql, search_from_cypher),
        Scenario("e. 100 households+members", q.HOUSEHOLDS_GRAPHQL, q.HOUSEHOLDS_CYPHER,
                 Peer(q.HOUSEHOLDS_PEER, households_from_peer),
                 [region_case(c) for c in house_counties],
                 households_from_graphql, households_from_cypher),
        Scenario("f. tree: township→members", q.TREE_GRAPHQL, q.TREE_CYPHER,
                 Peer(q.TREE_PEER, tree_from_peer(False)),
                 [township_case(t) for t in townships],
                 tree_from_graphql(False), tree_from_cypher(False)),
        Scenario("g. deep tree → programs", q.DEEP_GRAPHQL, q.DEEP_CYPHER,
                 Peer(q.DEEP_PEER, tree_from_peer(True)),
                 [township_case(t) for t in townships],
                 tree_from_graphql(True), tree_from_cypher(True)),
    ]  # fmt: skip
