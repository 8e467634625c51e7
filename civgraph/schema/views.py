"""Cross-program views: full-text search, program overlap and dashboard aggregates."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated, Any

import strawberry

from civgraph.graph import search as full_text
from civgraph.graph import statistics
from civgraph.graph.catalog import Label
from civgraph.graph.models import stored
from civgraph.resolvers.cursors import decode_cursor, encode_cursor
from civgraph.resolvers.errors import UserError
from civgraph.schema.context import Info
from civgraph.schema.enums import EnrollmentStatus, ProgramCode, Sex
from civgraph.schema.nodes import Community, Facility, Organization, Person
from civgraph.schema.reading import page_size, selects, wrap
from civgraph.schema.scalars import DivisionCode, PageInfo

SearchEntity = Annotated[
    Person | Organization | Facility | Community,
    strawberry.union("SearchEntity", description="What full-text search finds."),
]


@strawberry.enum(description="Entity types full-text search covers.")
class SearchType(Enum):
    PERSON = Label.PERSON
    ORGANIZATION = Label.ORGANIZATION
    FACILITY = Label.FACILITY
    COMMUNITY = Label.COMMUNITY


@strawberry.type(
    description="A full-text match, with Lucene's relevance score (1 for a one-character search)."
)
class SearchHit:
    score: float
    entity: SearchEntity


@strawberry.type(description="A person enrolled in several of the programs asked about.")
class OverlapEntry:
    person: Person
    programs: list[ProgramCode] = strawberry.field(
        description="Which of the programs, own or household's."
    )


@strawberry.type(description="People in several programs at once.")
class ProgramOverlap:
    entries: list[OverlapEntry] = strawberry.field(description="One page, by platform id.")
    page_info: PageInfo
    count: int = strawberry.field(
        description="How many people, in the whole region; counted only when asked."
    )


@strawberry.enum(description="Dimensions to group statistics by.")
class StatisticsDimension(Enum):
    REGION = "region"
    PROGRAM = "program"
    STATUS = "status"
    SEX = "sex"
    AGE_BAND = "ageBand"


@strawberry.type(
    description="One group of enrolled people; the dimensions not grouped by are null."
)
class EnrollmentGroup:
    region_code: str | None = strawberry.field(description="The child region of the one asked.")
    program: ProgramCode | None
    status: EnrollmentStatus | None
    sex: Sex | None
    age_band: str | None = strawberry.field(description="0-17, 18-59, 60-79 or 80+ on `asOf`.")
    people: int = strawberry.field(description="Distinct people enrolled, own or via household.")
    enrollments: int = strawberry.field(description="Distinct enrollments (household ones once).")
    amount: float = strawberry.field(description="Sum of the enrollments' monthly amounts, yuan.")


REGION = "The region (or community) asked for; null: the province (CIVGRAPH_PROVINCE)."


def group_of(group: statistics.Group, region_length: int) -> EnrollmentGroup:
    keys = group.keys
    region = keys.get("region")
    return EnrollmentGroup(
        region_code=region.ljust(6, "0") if region and region_length < 6 else region,
        program=ProgramCode(keys["program"]) if keys.get("program") else None,
        status=EnrollmentStatus(keys["status"]) if keys.get("status") else None,
        sex=Sex(keys["sex"]) if keys.get("sex") else None,
        age_band=keys.get("ageBand"),
        people=group.people,
        enrollments=group.enrollments,
        amount=group.amount,
    )


@strawberry.type
class Views:
    @strawberry.field(
        description="Full-text search over names and addresses (cjk analyzer), best first. "
        "One character (a surname) finds the names that start with it, by name, each "
        "scoring 1: the analyzer indexes pairs of characters, so one alone matches no token."
    )
    async def search(
        self, info: Info, text: str, types: list[SearchType] | None = None, first: int = 20
    ) -> list[SearchHit]:
        labels = [Label(t.value) for t in types] if types else list(full_text.SEARCHABLE)
        hits = await full_text.search(info.context.scoped, text, labels, page_size(info, first))
        return [SearchHit(score=hit.score, entity=wrap(hit.label, hit.record)) for hit in hits]

    @strawberry.field(description="People enrolled, themselves or through their household, in at "
                      "least `minPrograms` of `programs` on `asOf` (default today).")  # fmt: skip
    async def program_overlap(
        self, info: Info, programs: list[ProgramCode],
        region_code: Annotated[DivisionCode | None, strawberry.argument(description=REGION)] = None,
        as_of: date | None = None, min_programs: int = 2, first: int = 20, after: str | None = None,
    ) -> ProgramOverlap:  # fmt: skip
        if min_programs < 1:
            raise UserError("minPrograms must be at least 1")
        scoped, day = info.context.scoped, as_of or date.today()
        prefix = info.context.region(region_code)
        codes = [p.value for p in programs]
        first = page_size(info, first)
        after_id = decode_cursor(after, 1)[0] if after else None
        page = (scoped, codes, prefix, day, min_programs, first, after_id)
        if selects(info, "count"):
            count, rows = await statistics.overlap_counted_page(*page)
        else:  # never shown: not asked for
            count, rows = 0, await statistics.overlap_page(*page)
        entries = [overlap_entry(row) for row in rows[:first]]
        end = rows[:first][-1]["person"]["id"] if rows[:first] else None
        return ProgramOverlap(
            count=count,
            entries=entries,
            page_info=PageInfo(
                has_next_page=len(rows) > first,
                end_cursor=encode_cursor(end) if end else None,
            ),
        )

    @strawberry.field(description="Enrolled people, enrollments and amounts in a region on `asOf`, "
                      "grouped by the dimensions asked (counted in the database).")  # fmt: skip
    async def enrollment_statistics(
        self, info: Info,
        region_code: Annotated[DivisionCode | None, strawberry.argument(description=REGION)] = None,
        as_of: date | None = None, programs: list[ProgramCode] | None = None,
        group_by: list[StatisticsDimension] | None = None,
    ) -> list[EnrollmentGroup]:  # fmt: skip
        scoped, prefix = info.context.scoped, info.context.region(region_code)
        codes = [p.value for p in programs] if programs else [p.value for p in ProgramCode]
        dimensions = frozenset(d.value for d in group_by or [StatisticsDimension.PROGRAM])
        groups = await statistics.enrollment_statistics(
            scoped, codes, prefix, as_of or date.today(), dimensions
        )
        length = statistics.child_code_length(scoped.narrow(prefix))
        return [group_of(group, length) for group in groups]


def overlap_entry(row: dict[str, Any]) -> OverlapEntry:
    person = Person.of(stored(Label.PERSON, row["person"]))
    return OverlapEntry(
        person=person, programs=[ProgramCode(code) for code in sorted(row["codes"])]
    )
