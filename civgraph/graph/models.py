"""Domain records as the graph stores them; shared by the API and by ingest."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from civgraph.graph.identifiers import (
    Sex,
    parse_resident_id,
    validate_community_code,
    validate_region_code,
)

RegionCode = Annotated[str, AfterValidator(validate_region_code)]
CommunityCode = Annotated[str, AfterValidator(validate_community_code)]
ResidentIdNumber = Annotated[str, AfterValidator(lambda value: parse_resident_id(value).number)]


class Record(BaseModel):
    """Immutable; field names are snake_case in Python and camelCase in Neo4j."""

    model_config = ConfigDict(frozen=True, alias_generator=to_camel, populate_by_name=True)

    def properties(self) -> dict[str, object]:
        """The node's properties, as Cypher's `SET n += $props` wants them."""
        return self.model_dump(by_alias=True, mode="python")


class Provenance(Record):
    """Where a fact came from: the source registry and its record key."""

    source: str
    record_key: str


class RegionLevel(StrEnum):
    PROVINCE = "PROVINCE"
    CITY = "CITY"
    COUNTY = "COUNTY"
    TOWNSHIP = "TOWNSHIP"


class CommunityKind(StrEnum):
    URBAN = "URBAN"  # residents' committee 居委会
    VILLAGE = "VILLAGE"  # villagers' committee 村委会


class MemberRelation(StrEnum):
    HEAD = "HEAD"
    SPOUSE = "SPOUSE"
    CHILD = "CHILD"
    PARENT = "PARENT"
    OTHER = "OTHER"


class RegionInput(Record):
    code: RegionCode
    name: str
    level: RegionLevel
    parent_code: RegionCode | None = None


class CommunityInput(Record):
    code: CommunityCode
    name: str
    kind: CommunityKind
    township_code: RegionCode


class HouseholdInput(Record):
    number: str
    address: str
    community_code: CommunityCode


class PersonInput(Record):
    id_number: ResidentIdNumber
    name: str

    def properties(self) -> dict[str, object]:
        """Birth date and sex are stored as the ID number encodes them."""
        decoded = parse_resident_id(self.id_number)
        return super().properties() | {"sex": decoded.sex.value, "birthDate": decoded.birth_date}


class MembershipInput(Record):
    id_number: ResidentIdNumber
    household_number: str
    relation: MemberRelation
    since: date | None = None


class Stored(Record):
    """Fields every stored node has besides its own."""

    id: str
    source: str
    record_key: str
    first_seen: datetime
    last_seen: datetime


class Region(Stored):
    code: str
    name: str
    level: RegionLevel
    parent_code: str | None = None


class Community(Stored):
    code: str
    name: str
    kind: CommunityKind
    township_code: str


class Household(Stored):
    number: str
    address: str
    community_code: str


class Person(Stored):
    id_number: str
    name: str
    sex: Sex
    birth_date: date


class Membership(Record):
    """A person's membership of a household, with its period."""

    person: Person
    household_id: str
    relation: MemberRelation
    since: date | None = None
    until: date | None = None
