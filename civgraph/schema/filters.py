"""Typed filter and sort inputs of the root connections, and their translation into the
graph layer's conditions (property names come from here, values travel as parameters)."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import LiteralString

import strawberry

from civgraph.graph.catalog import Label, Rel, relationship
from civgraph.graph.filters import AnyOf, Compare, Condition, InRegion, Op, Related
from civgraph.graph.pages import Order
from civgraph.schema.enums import (
    AssetKind,
    CommunityKind,
    EnrollmentStatus,
    EvaluationGrade,
    FacilityKind,
    HouseholdKind,
    OrganizationKind,
    OrganizationStatus,
    Ownership,
    ProgramCode,
    RegionLevel,
    Sex,
    Via,
)
from civgraph.schema.scalars import DivisionCode

IN_REGION = "A region or community: everything in it or below it."


@strawberry.input(description="Conditions on a text field; all given must hold.")
class StringFilter:
    eq: str | None = None
    in_: list[str] | None = strawberry.field(default=None, name="in")
    contains: str | None = None
    starts_with: str | None = None

    def conditions(self, prop: LiteralString) -> list[Condition]:
        pairs = [(Op.EQ, self.eq), (Op.IN, self.in_), (Op.CONTAINS, self.contains),
                 (Op.STARTS_WITH, self.starts_with)]  # fmt: skip
        return [Compare(prop, op, value) for op, value in pairs if value is not None]


@strawberry.input(description="A range of dates; bounds are inclusive, all given must hold.")
class DateFilter:
    eq: date | None = None
    gte: date | None = None
    lte: date | None = None

    def conditions(self, prop: LiteralString) -> list[Condition]:
        pairs = [(Op.EQ, self.eq), (Op.GTE, self.gte), (Op.LTE, self.lte)]
        return [Compare(prop, op, value) for op, value in pairs if value is not None]


@strawberry.input(description="A range of numbers; bounds are inclusive, all given must hold.")
class IntFilter:
    eq: int | None = None
    gte: int | None = None
    lte: int | None = None

    def conditions(self, prop: LiteralString) -> list[Condition]:
        pairs = [(Op.EQ, self.eq), (Op.GTE, self.gte), (Op.LTE, self.lte)]
        return [Compare(prop, op, value) for op, value in pairs if value is not None]


@strawberry.input(description="A period; either end may be open. Inclusive.")
class PeriodInput:
    from_: date | None = strawberry.field(default=None, name="from")
    to: date | None = None


@strawberry.input(description="Enrollment in programs: any of `programs`, with any of `status`, "
                  "in effect at some time during `during`.")  # fmt: skip
class EnrollmentFilter:
    programs: list[ProgramCode] | None = None
    status: list[EnrollmentStatus] | None = None
    during: PeriodInput | None = None
    via: list[Via] | None = strawberry.field(
        default=None,
        description="For people: PERSON (own enrollment), HOUSEHOLD (their current household's); "
        "both by default.",
    )

    def related(self, near: Label, through: Rel | None = None) -> Related:
        hop = relationship(through, near, Label.HOUSEHOLD) if through else None
        source = Label.HOUSEHOLD if hop else near
        other = [Compare("code", Op.IN, [p.value for p in self.programs])] if self.programs else []
        rel = [Compare("status", Op.IN, [s.value for s in self.status])] if self.status else []
        during = (self.during.from_, self.during.to) if self.during else None
        spec = relationship(Rel.ENROLLED_IN, source, Label.PROGRAM)
        return Related(spec, through=hop, other=other, rel=rel, during=during)


def in_region(code: DivisionCode | None, label: Label) -> list[Condition]:
    return [] if code is None else [InRegion(code.prefix, label)]


def equal(prop: LiteralString, value: object) -> list[Condition]:
    if value is None:
        return []
    return [Compare(prop, Op.EQ, value.value if isinstance(value, Enum) else value)]


def one_of(prop: LiteralString, values: list[object] | None) -> list[Condition]:
    if not values:
        return []
    return [Compare(prop, Op.IN, [v.value if isinstance(v, Enum) else v for v in values])]


def text(prop: LiteralString, value: StringFilter | None) -> list[Condition]:
    return value.conditions(prop) if value else []


def birth_dates_for_age(age: IntFilter, today: date) -> list[Condition]:
    """Ages as of today become birth-date bounds (index-friendly)."""

    def years_before(years: int) -> date:
        try:
            return today.replace(year=today.year - years)
        except ValueError:  # 29 February
            return today.replace(year=today.year - years, day=28)

    conditions: list[Condition] = []
    low, high = (age.eq, age.eq) if age.eq is not None else (age.gte, age.lte)
    if low is not None:
        conditions.append(Compare("birthDate", Op.LTE, years_before(low)))
    if high is not None:
        conditions.append(Compare("birthDate", Op.GT, years_before(high + 1)))
    return conditions


@strawberry.input(description="Filters on people; all given must hold.")
class PersonFilter:
    id_number: StringFilter | None = None
    name: StringFilter | None = None
    sex: Sex | None = None
    birth_date: DateFilter | None = None
    age: IntFilter | None = strawberry.field(default=None, description="Age in whole years today.")
    in_region: DivisionCode | None = strawberry.field(default=None, description=IN_REGION)
    deceased: bool | None = strawberry.field(default=None, description="Has a recorded death date.")
    enrolled_in: EnrollmentFilter | None = None
    social_worker: bool | None = strawberry.field(default=None, description="Holds a licence.")

    def conditions(self) -> list[Condition]:
        found = text("idNumber", self.id_number) + text("name", self.name) + equal("sex", self.sex)
        found += self.birth_date.conditions("birthDate") if self.birth_date else []
        found += birth_dates_for_age(self.age, date.today()) if self.age else []
        found += in_region(self.in_region, Label.PERSON)
        if self.deceased is not None:
            found.append(Compare("deathDate", Op.IS_NOT_NULL if self.deceased else Op.IS_NULL))
        if self.social_worker is not None:
            op = Op.IS_NOT_NULL if self.social_worker else Op.IS_NULL
            found.append(Compare("socialWorkerLevel", op))
        if self.enrolled_in:
            via = set(self.enrolled_in.via or [Via.PERSON, Via.HOUSEHOLD])
            options: list[Compare | Related] = []
            if Via.PERSON in via:
                options.append(self.enrolled_in.related(Label.PERSON))
            if Via.HOUSEHOLD in via:
                options.append(self.enrolled_in.related(Label.PERSON, through=Rel.MEMBER_OF))
            found.append(AnyOf(options))
        return found


@strawberry.input(description="Filters on households; all given must hold.")
class HouseholdFilter:
    number: StringFilter | None = None
    kind: HouseholdKind | None = None
    in_region: DivisionCode | None = strawberry.field(default=None, description=IN_REGION)
    enrolled_in: EnrollmentFilter | None = None
    member_age: IntFilter | None = strawberry.field(
        default=None, description="Has a current member whose age today is in this range."
    )

    def conditions(self) -> list[Condition]:
        found = text("number", self.number) + equal("kind", self.kind)
        found += in_region(self.in_region, Label.HOUSEHOLD)
        if self.enrolled_in:
            found.append(self.enrolled_in.related(Label.HOUSEHOLD))
        if self.member_age:
            spec = relationship(Rel.MEMBER_OF, Label.PERSON, Label.HOUSEHOLD)
            ages = [
                c
                for c in birth_dates_for_age(self.member_age, date.today())
                if isinstance(c, Compare)
            ]
            found.append(Related(spec, outgoing=False, other=ages, current=True))
        return found


@strawberry.input(description="Filters on organizations; all given must hold.")
class OrganizationFilter:
    uscc: StringFilter | None = None
    name: StringFilter | None = None
    kind: list[OrganizationKind] | None = None
    status: list[OrganizationStatus] | None = None
    grade: list[EvaluationGrade] | None = None
    industry_association: bool | None = None
    charity_certified: bool | None = None
    in_region: DivisionCode | None = strawberry.field(default=None, description=IN_REGION)
    supervised_by: str | None = strawberry.field(
        default=None, description="USCC of a supervising agency (业务主管单位) supervising it now."
    )

    def conditions(self) -> list[Condition]:
        found = text("uscc", self.uscc) + text("name", self.name)
        found += one_of("kind", list(self.kind or [])) + one_of("status", list(self.status or []))
        found += one_of("grade", list(self.grade or []))
        found += equal("industryAssociation", self.industry_association)
        found += equal("charityCertified", self.charity_certified)
        found += in_region(self.in_region, Label.ORGANIZATION)
        if self.supervised_by:
            spec = relationship(Rel.SUPERVISED_BY, Label.ORGANIZATION, Label.ORGANIZATION)
            other = [Compare("uscc", Op.EQ, self.supervised_by)]
            found.append(Related(spec, other=other, current=True))
        return found


@strawberry.input(description="Filters on facilities; all given must hold.")
class FacilityFilter:
    name: StringFilter | None = None
    kind: list[FacilityKind] | None = None
    ownership: Ownership | None = None
    legal_person_registered: bool | None = None
    beds: IntFilter | None = None
    in_region: DivisionCode | None = strawberry.field(default=None, description=IN_REGION)

    def conditions(self) -> list[Condition]:
        found = text("name", self.name) + one_of("kind", list(self.kind or []))
        found += equal("ownership", self.ownership)
        found += equal("legalPersonRegistered", self.legal_person_registered)
        found += self.beds.conditions("beds") if self.beds else []
        return found + in_region(self.in_region, Label.FACILITY)


@strawberry.input(description="Filters on communities; all given must hold.")
class CommunityFilter:
    name: StringFilter | None = None
    kind: CommunityKind | None = None
    has_service_platform: bool | None = None
    in_region: DivisionCode | None = strawberry.field(default=None, description=IN_REGION)

    def conditions(self) -> list[Condition]:
        found = text("name", self.name) + equal("kind", self.kind)
        return (
            found
            + equal("hasServicePlatform", self.has_service_platform)
            + in_region(self.in_region, Label.COMMUNITY)
        )


@strawberry.input(description="Filters on regions; all given must hold.")
class RegionFilter:
    name: StringFilter | None = None
    level: RegionLevel | None = None
    in_region: DivisionCode | None = strawberry.field(default=None, description=IN_REGION)

    def conditions(self) -> list[Condition]:
        found = text("name", self.name) + equal("level", self.level)
        return found + in_region(self.in_region, Label.REGION)


@strawberry.input(description="Filters on programs.")
class ProgramFilter:
    code: list[ProgramCode] | None = None

    def conditions(self) -> list[Condition]:
        return one_of("code", list(self.code or []))


@strawberry.input(description="Filters on government-purchased service projects.")
class ServiceProjectFilter:
    year: IntFilter | None = None
    in_region: DivisionCode | None = strawberry.field(default=None, description=IN_REGION)

    def conditions(self) -> list[Condition]:
        return (self.year.conditions("year") if self.year else []) + in_region(
            self.in_region, Label.SERVICE_PROJECT
        )


@strawberry.input(description="Filters on assets.")
class AssetFilter:
    kind: AssetKind | None = None
    registration: StringFilter | None = None

    def conditions(self) -> list[Condition]:
        return equal("kind", self.kind) + text("registration", self.registration)


@strawberry.enum(description="Sort direction.")
class Direction(Enum):
    ASC = "ASC"
    DESC = "DESC"


ORDER = "Sort key; ties are broken by the platform id, so pages never overlap."


@strawberry.enum(description=ORDER)
class PersonOrderField(Enum):
    NAME = "name"
    BIRTH_DATE = "birthDate"
    ID_NUMBER = "idNumber"


@strawberry.enum(description=ORDER)
class HouseholdOrderField(Enum):
    NUMBER = "number"


@strawberry.enum(description=ORDER)
class OrganizationOrderField(Enum):
    NAME = "name"
    USCC = "uscc"


@strawberry.enum(description=ORDER)
class FacilityOrderField(Enum):
    NAME = "name"
    CODE = "code"
    BEDS = "beds"


@strawberry.enum(description=ORDER)
class CommunityOrderField(Enum):
    CODE = "code"
    NAME = "name"


@strawberry.enum(description=ORDER)
class RegionOrderField(Enum):
    CODE = "code"
    NAME = "name"


@strawberry.enum(description=ORDER)
class ProgramOrderField(Enum):
    CODE = "code"


@strawberry.enum(description=ORDER)
class ServiceProjectOrderField(Enum):
    CODE = "code"
    YEAR = "year"


@strawberry.enum(description=ORDER)
class AssetOrderField(Enum):
    REGISTRATION = "registration"


def to_order(field: Enum, direction: Direction) -> Order:
    # People known only from records without an ID number have none: they come last.
    nullable = field is PersonOrderField.ID_NUMBER
    return Order(field.value, descending=direction is Direction.DESC, nullable=nullable)
