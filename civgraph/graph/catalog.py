"""The graph's vocabulary: node labels with their natural keys, relationship types with their
endpoints. Cypher is assembled only from these literals, never from user strings."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import LiteralString


class Label(StrEnum):
    REGION = "Region"
    COMMUNITY = "Community"
    HOUSEHOLD = "Household"
    PERSON = "Person"
    ORGANIZATION = "Organization"
    FACILITY = "Facility"
    PROGRAM = "Program"
    SERVICE_PROJECT = "ServiceProject"
    ASSET = "Asset"
    SOURCE_RECORD = "SourceRecord"


class Rel(StrEnum):
    PART_OF = "PART_OF"
    MEMBER_OF = "MEMBER_OF"
    REGISTERED_IN = "REGISTERED_IN"
    RESIDES_IN = "RESIDES_IN"
    ENROLLED_IN = "ENROLLED_IN"
    HOLDS_POST = "HOLDS_POST"
    INVESTED_IN = "INVESTED_IN"
    EMPLOYED_BY = "EMPLOYED_BY"
    SERVES = "SERVES"
    SUPERVISED_BY = "SUPERVISED_BY"
    OPERATES = "OPERATES"
    LOCATED_IN = "LOCATED_IN"
    RESIDENT_OF = "RESIDENT_OF"
    DONATED_TO = "DONATED_TO"
    VOLUNTEERS_FOR = "VOLUNTEERS_FOR"
    FUNDS = "FUNDS"
    DELIVERS = "DELIVERS"
    DELIVERED_IN = "DELIVERED_IN"
    MARRIED_TO = "MARRIED_TO"
    CREMATED_AT = "CREMATED_AT"
    OWNS = "OWNS"
    SETS_STANDARD = "SETS_STANDARD"
    DESCRIBES = "DESCRIBES"
    POSSIBLY_SAME = "POSSIBLY_SAME"


# The text of each name, typed LiteralString: Cypher is assembled only from these, and the
# enums are the only way in. (mypy checks LiteralString as str: the type documents the rule.)
LABEL_TEXT: dict[Label, LiteralString] = {label: label.value for label in Label}
REL_TEXT: dict[Rel, LiteralString] = {rel: rel.value for rel in Rel}

# The natural key of each label: unique, validated on the way in.
KEY: dict[Label, LiteralString] = {
    Label.REGION: "code",
    Label.COMMUNITY: "code",
    Label.HOUSEHOLD: "number",
    Label.PERSON: "idNumber",
    Label.ORGANIZATION: "uscc",
    Label.FACILITY: "code",
    Label.PROGRAM: "code",
    Label.SERVICE_PROJECT: "code",
    Label.ASSET: "registration",
    Label.SOURCE_RECORD: "key",
}
# Labels whose nodes may lack their natural key: people and organizations known only from
# records without an ID number or a USCC. Every node of another label has its key.
KEYLESS: frozenset[Label] = frozenset({Label.PERSON, Label.ORGANIZATION})


def position(var: LiteralString, label: Label) -> LiteralString:
    """Where node `var` of `label` comes in a relationship field's order: its natural key,
    or its id for a node without one (ids and keys never look alike)."""
    key = var + "." + KEY[label]
    return "coalesce(" + key + ", " + var + ".id)" if label in KEYLESS else key


# Properties a root connection may be filtered or sorted on (each has a range index).
INDEXED: dict[Label, tuple[LiteralString, ...]] = {
    Label.REGION: ("name", "level"),
    Label.COMMUNITY: ("name", "kind", "divisionCode"),
    Label.HOUSEHOLD: ("divisionCode",),
    Label.PERSON: ("name", "birthDate", "sex", "divisionCode", "deathDate"),
    Label.ORGANIZATION: ("name", "kind", "status", "divisionCode", "grade"),
    Label.FACILITY: ("name", "kind", "divisionCode", "ownership"),
    Label.PROGRAM: (),
    Label.SERVICE_PROJECT: ("year", "divisionCode"),
    Label.ASSET: ("kind",),
    Label.SOURCE_RECORD: ("source",),
}


@dataclass(frozen=True, slots=True)
class RelSpec:
    """A relationship type between two labels, and whether it has a period (since/until)."""

    rel: Rel
    source: Label
    target: Label
    period: bool


def spec(rel: Rel, source: Label, target: Label, *, period: bool = True) -> RelSpec:
    return RelSpec(rel, source, target, period)


L = Label
RELATIONSHIPS: tuple[RelSpec, ...] = (
    spec(Rel.PART_OF, L.REGION, L.REGION, period=False),
    spec(Rel.PART_OF, L.COMMUNITY, L.REGION, period=False),
    spec(Rel.MEMBER_OF, L.PERSON, L.HOUSEHOLD),
    spec(Rel.REGISTERED_IN, L.HOUSEHOLD, L.COMMUNITY, period=False),
    spec(Rel.RESIDES_IN, L.PERSON, L.COMMUNITY),
    spec(Rel.ENROLLED_IN, L.HOUSEHOLD, L.PROGRAM),
    spec(Rel.ENROLLED_IN, L.PERSON, L.PROGRAM),
    spec(Rel.HOLDS_POST, L.PERSON, L.ORGANIZATION),
    spec(Rel.INVESTED_IN, L.PERSON, L.ORGANIZATION),
    spec(Rel.INVESTED_IN, L.ORGANIZATION, L.ORGANIZATION),
    spec(Rel.EMPLOYED_BY, L.PERSON, L.ORGANIZATION),
    spec(Rel.SERVES, L.PERSON, L.COMMUNITY),
    spec(Rel.SERVES, L.ORGANIZATION, L.COMMUNITY),
    spec(Rel.SUPERVISED_BY, L.ORGANIZATION, L.ORGANIZATION),
    spec(Rel.OPERATES, L.ORGANIZATION, L.FACILITY),
    spec(Rel.LOCATED_IN, L.FACILITY, L.COMMUNITY, period=False),
    spec(Rel.LOCATED_IN, L.ORGANIZATION, L.REGION, period=False),
    spec(Rel.RESIDENT_OF, L.PERSON, L.FACILITY),
    spec(Rel.DONATED_TO, L.PERSON, L.ORGANIZATION, period=False),
    spec(Rel.DONATED_TO, L.ORGANIZATION, L.ORGANIZATION, period=False),
    spec(Rel.VOLUNTEERS_FOR, L.PERSON, L.ORGANIZATION),
    spec(Rel.VOLUNTEERS_FOR, L.PERSON, L.COMMUNITY),
    spec(Rel.FUNDS, L.ORGANIZATION, L.SERVICE_PROJECT, period=False),
    spec(Rel.DELIVERS, L.ORGANIZATION, L.SERVICE_PROJECT, period=False),
    spec(Rel.DELIVERED_IN, L.SERVICE_PROJECT, L.COMMUNITY, period=False),
    spec(Rel.MARRIED_TO, L.PERSON, L.PERSON),
    spec(Rel.CREMATED_AT, L.PERSON, L.FACILITY, period=False),
    spec(Rel.OWNS, L.PERSON, L.ASSET),
    spec(Rel.OWNS, L.ORGANIZATION, L.ASSET),
    # a county's benefit standard for a program (低保标准), for its period
    spec(Rel.SETS_STANDARD, L.REGION, L.PROGRAM),
    # entity resolution's grey band: a record's own entity and the people it may be
    spec(Rel.POSSIBLY_SAME, L.PERSON, L.PERSON, period=False),
    spec(Rel.POSSIBLY_SAME, L.ORGANIZATION, L.ORGANIZATION, period=False),
)


@cache
def relationship(rel: Rel, source: Label, target: Label) -> RelSpec:
    for candidate in RELATIONSHIPS:
        if (candidate.rel, candidate.source, candidate.target) == (rel, source, target):
            return candidate
    raise KeyError(f"no relationship ({source})-[:{rel}]->({target}) in the catalog")
