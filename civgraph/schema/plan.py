"""The views the department is judged by: three-society linkage (三社联动) of communities and
regions, the linkage graph, and the work plan's indicators against their targets."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry import relay

from civgraph.graph import indicators, linkage
from civgraph.graph.catalog import Label
from civgraph.graph.changes import pruned_through
from civgraph.graph.indicators import IndicatorStatus, Unit
from civgraph.graph.linkage import Element, Status
from civgraph.resolvers.errors import UserError
from civgraph.schema.context import Info
from civgraph.schema.investigations import Neighborhood, bounded, evidence_link
from civgraph.schema.reading import wrap
from civgraph.schema.scalars import DivisionCode
from civgraph.schema.views import REGION

T = TypeVar("T")

strawberry.enum(Element, name="LinkageElement", description="An element of three-society "
                "linkage: ORGANIZATION, SOCIAL_WORKER, SERVICE_PROJECT.")  # fmt: skip
strawberry.enum(Status, name="LinkageStatus", description="LINKED (all three elements), "
                "PARTIAL (some), NONE.")  # fmt: skip
strawberry.enum(Unit, name="IndicatorUnit", description="PERCENT, COUNT, BEDS or YUAN.")
strawberry.enum(IndicatorStatus, description="MET, NOT_MET (against the target), NO_TARGET, "
                "NO_DATA (nothing to compute it from).")  # fmt: skip


@strawberry.type(description="A social worker assigned to a community (SERVES as SOCIAL_WORKER).")
class AssignedWorker:
    person: relay.Node = strawberry.field(description="The social worker.")
    since: date | None = strawberry.field(description="Assigned since.")
    licensed: bool = strawberry.field(
        description="Holds a social-work qualification (职业资格; `socialWorkerLevel`)."
    )
    employer: relay.Node | None = strawberry.field(
        description="Who employs them on the day (EMPLOYED_BY); null: nobody on record."
    )


@strawberry.type(description="A government-purchased service project delivered in a community.")
class LinkedProject:
    project: relay.Node = strawberry.field(description="The project (year, amount).")
    funder: relay.Node | None = strawberry.field(description="Who bought it (FUNDS).")
    provider: relay.Node | None = strawberry.field(description="Who delivers it (DELIVERS).")


@strawberry.type(description="A community's three-society linkage on a day (三社联动).")
class CommunityLinkage:
    as_of: date = strawberry.field(description="The day; projects are those of its year.")
    status: Status = strawberry.field(description="LINKED, PARTIAL or NONE.")
    missing: list[Element] = strawberry.field(description="The elements it lacks.")
    organizations: list[relay.Node] = strawberry.field(
        description="Social organizations serving it on the day, or delivering a project "
        "there in the year."
    )
    social_workers: list[AssignedWorker] = strawberry.field(
        description="Social workers assigned to it on the day."
    )
    projects: list[LinkedProject] = strawberry.field(
        description="Service projects delivered there in the year."
    )
    volunteers: int = strawberry.field(description="Volunteers registered with it on the day.")

    @classmethod
    def of(cls, found: linkage.Linkage) -> CommunityLinkage:
        return cls(
            as_of=found.as_of, status=found.status, missing=found.missing,
            organizations=[wrap(Label.ORGANIZATION, o) for o in found.organizations],
            social_workers=[
                AssignedWorker(
                    person=wrap(Label.PERSON, w.person), since=w.since, licensed=w.licensed,
                    employer=wrap(Label.ORGANIZATION, w.employer) if w.employer else None,
                )
                for w in found.workers
            ],
            projects=[
                LinkedProject(
                    project=wrap(Label.SERVICE_PROJECT, p.project),
                    funder=wrap(Label.ORGANIZATION, p.funder) if p.funder else None,
                    provider=wrap(Label.ORGANIZATION, p.provider) if p.provider else None,
                )
                for p in found.projects
            ],
            volunteers=found.volunteers,
        )  # fmt: skip


async def community_linkage(
    info: Info, community_id: str, as_of: date | None
) -> CommunityLinkage | None:
    found = await linkage.community_linkage(
        info.context.scoped, community_id, as_of or date.today()
    )
    return CommunityLinkage.of(found) if found else None


@strawberry.type(description="Communities by linkage status.")
class LinkageTally:
    communities: int = strawberry.field(description="Communities counted.")
    linked: int = strawberry.field(description="With all three elements.")
    partial: int = strawberry.field(description="With some.")
    none: int = strawberry.field(description="With none.")
    linked_share: float | None = strawberry.field(
        description="Linked, in percent of the communities; null without communities."
    )
    without_organization: int = strawberry.field(description="Lacking a social organization.")
    without_social_worker: int = strawberry.field(description="Lacking a social worker.")
    without_project: int = strawberry.field(description="Lacking a service project.")

    @classmethod
    def of(cls, tally: linkage.Tally) -> LinkageTally:
        without = tally.without
        return cls(
            communities=tally.communities, linked=tally.linked, partial=tally.partial,
            none=tally.none, linked_share=tally.linked_share,
            without_organization=without[Element.ORGANIZATION],
            without_social_worker=without[Element.SOCIAL_WORKER],
            without_project=without[Element.SERVICE_PROJECT],
        )  # fmt: skip


@strawberry.type(description="A region's linkage tally.")
class RegionLinkage:
    region_code: str = strawberry.field(description="The region (or community) code.")
    name: str | None = strawberry.field(description="Its name.")
    tally: LinkageTally = strawberry.field(description="Its communities by linkage status.")


@strawberry.type(description="A year's linkage tally.")
class LinkageYear:
    year: int
    tally: LinkageTally = strawberry.field(description="The region's communities that year.")


@strawberry.type(description="A community with few linkage elements.")
class WeakCommunity:
    community: relay.Node
    status: Status
    missing: list[Element] = strawberry.field(description="The elements it lacks.")
    volunteers: int = strawberry.field(description="Volunteers registered with it.")


@strawberry.type(description="Three-society linkage coverage of a region in a year.")
class LinkageCoverage:
    year: int
    region: RegionLinkage = strawberry.field(description="The region's total.")
    children: list[RegionLinkage] = strawberry.field(
        description="Each child region's (cities, counties, townships, or communities)."
    )
    trend: list[LinkageYear] = strawberry.field(description="The region's total by year.")
    weakest: list[WeakCommunity] = strawberry.field(
        description="The communities with the fewest elements, then the fewest volunteers."
    )


@strawberry.type(description="A work-plan indicator for a region and year.")
class PlanIndicator:
    code: str = strawberry.field(description="Stable code; docs/indicators.md has the query.")
    name: str = strawberry.field(description="The plan's name for it.")
    unit: Unit = strawberry.field(description="What `value` counts.")
    basis: str = strawberry.field(description="The plan's words, and its section.")
    year: int
    value: float | None = strawberry.field(description="The year's value; null: no data.")
    numerator: float | None = strawberry.field(
        description="For a share: what is counted (for a growth: this year's value)."
    )
    denominator: float | None = strawberry.field(
        description="For a share: out of what (for a growth: last year's value)."
    )
    baseline: float | None = strawberry.field(description="The previous year's value.")
    target: float | None = strawberry.field(description="The plan's target for the year.")
    target_region_code: str | None = strawberry.field(
        description="The region the target was set for."
    )
    status: IndicatorStatus

    @classmethod
    def of(cls, m: indicators.Measured) -> PlanIndicator:
        i = m.indicator
        return cls(
            code=i.code, name=i.name, unit=i.unit, basis=i.basis, year=m.year, value=m.value,
            numerator=m.numerator, denominator=m.denominator, baseline=m.baseline,
            target=m.target.value if m.target else None,
            target_region_code=m.target.region_code if m.target else None, status=m.status,
        )  # fmt: skip


def year_of(year: int | None) -> int:
    today = date.today()
    if year is None:
        return today.year
    if not 2000 <= year <= today.year:
        raise UserError(f"year must be between 2000 and {today.year}, not {year}")
    return year


class Recent:
    """Answers kept per process while the graph has not changed (the change feed's last
    transaction number is part of the key) and for at most CIVGRAPH_DASHBOARD_CACHE_SECONDS:
    a dashboard calls the same views on every page load."""

    LIMIT = 256  # entries; the oldest go first

    def __init__(self) -> None:
        self.entries: dict[tuple[Any, ...], tuple[float, Any]] = {}

    async def get(self, info: Info, key: tuple[Any, ...], compute: Callable[[], Awaitable[T]]) -> T:
        seconds = info.context.settings.dashboard_cache_seconds
        if seconds == 0:
            return await compute()
        _, last = await pruned_through(info.context.graph)
        key = (*key, last)
        now = time.monotonic()
        kept = self.entries.get(key)
        if kept is not None and now - kept[0] < seconds:
            answer: T = kept[1]
            return answer
        answer = await compute()
        self.entries[key] = (now, answer)
        while len(self.entries) > self.LIMIT:
            del self.entries[next(iter(self.entries))]
        return answer


RECENT = Recent()


@strawberry.type
class Plan:
    @strawberry.field(
        description="Three-society linkage in a region and year: totals, each child region, "
        "the trend over `years` years, and the `weakest` communities."
    )
    async def linkage_coverage(
        self, info: Info,
        region_code: Annotated[DivisionCode | None, strawberry.argument(description=REGION)] = None,
        year: int | None = None, years: int = 3, weakest: int = 10,
    ) -> LinkageCoverage:  # fmt: skip
        prefix, chosen, today = info.context.region(region_code), year_of(year), date.today()
        years, weakest = bounded(years, 1, 10, "years"), bounded(weakest, 0, 100, "weakest")
        scoped = info.context.scoped
        found = await RECENT.get(
            info, ("linkage", prefix, scoped.narrow(prefix), chosen, today, years, weakest),
            lambda: linkage.coverage(scoped, prefix, chosen, today, years=years, weakest=weakest),
        )  # fmt: skip

        def area(a: linkage.Area) -> RegionLinkage:
            return RegionLinkage(region_code=a.code, name=a.name, tally=LinkageTally.of(a.tally))

        return LinkageCoverage(
            year=found.year, region=area(found.region),
            children=[area(child) for child in found.children],
            trend=[LinkageYear(year=y, tally=LinkageTally.of(t)) for y, t in found.trend],
            weakest=[
                WeakCommunity(
                    community=wrap(Label.COMMUNITY, w.community),
                    status=linkage.status_of(w.present),
                    missing=linkage.missing(w.present), volunteers=w.volunteers,
                )
                for w in found.weakest
            ],
        )  # fmt: skip

    @strawberry.field(
        description="The linkage graph of a community or township on `asOf`: organizations "
        "and social workers serving it, the workers' employers, the year's service projects "
        "with funder and provider, volunteers; at most `limit` (≤ 2000) relationships."
    )
    async def linkage_graph(
        self, info: Info, region_code: DivisionCode, as_of: date | None = None, limit: int = 500
    ) -> Neighborhood:
        if len(region_code.prefix) < 9:
            raise UserError("regionCode: a township (9 digits) or community (12 digits)")
        found = await linkage.linkage_graph(
            info.context.scoped, region_code.prefix, as_of or date.today(),
            bounded(limit, 1, 2000, "limit"),
        )  # fmt: skip
        return Neighborhood(links=[evidence_link(link) for link in found.links],
                            truncated=found.truncated)  # fmt: skip

    @strawberry.field(
        description="The work plan's indicators for a region in a year: value, the previous "
        "year's, the plan's target and whether it is met (docs/indicators.md)."
    )
    async def plan_indicators(
        self,
        info: Info,
        region_code: Annotated[DivisionCode | None, strawberry.argument(description=REGION)] = None,
        year: int | None = None,
    ) -> list[PlanIndicator]:
        prefix, chosen, today = info.context.region(region_code), year_of(year), date.today()
        scoped, age = info.context.scoped, info.context.settings.old_age_allowance_age
        targets = await indicators.stored_targets(info.context.graph, [chosen])  # published
        measured = await RECENT.get(
            info, ("indicators", scoped.narrow(prefix), chosen, today, age, tuple(targets)),
            lambda: indicators.measure(scoped, prefix, chosen, today, age, targets),
        )  # fmt: skip
        return [PlanIndicator.of(m) for m in measured]
