"""Three-society linkage (三社联动, work plan section 3): whether a community has social
organizations serving it, social workers assigned to it and government-purchased service
projects delivered there, on a day and in a year; coverage by region; the linkage graph.

The three elements of a community's linkage:
- ORGANIZATION: a social organization serving it on the day (`SERVES`, 社会组织进社区服务备案)
  or delivering a service project there in the year;
- SOCIAL_WORKER: a person serving it as social worker on the day (`SERVES`, role
  SOCIAL_WORKER, 社区工作者名册), licensed or not;
- SERVICE_PROJECT: a government-purchased service project delivered there in the year.
LINKED: all three; PARTIAL: some (the missing ones named); NONE: none. Volunteers are
counted but are not an element: the plan has social workers lead them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any, LiteralString

from civgraph.graph.catalog import Label
from civgraph.graph.models import Stored, stored
from civgraph.graph.periods import in_effect
from civgraph.graph.rules.evidence import EvidenceLink, link_of
from civgraph.graph.rules.posts import SOCIAL
from civgraph.graph.scope import ASKED, NOTHING, Scope, Scoped, in_scope
from civgraph.graph.tracing import LINK


class Element(StrEnum):
    ORGANIZATION = "ORGANIZATION"
    SOCIAL_WORKER = "SOCIAL_WORKER"
    SERVICE_PROJECT = "SERVICE_PROJECT"


class Status(StrEnum):
    LINKED = "LINKED"
    PARTIAL = "PARTIAL"
    NONE = "NONE"


def status_of(present: set[Element]) -> Status:
    if len(present) == len(Element):
        return Status.LINKED
    return Status.PARTIAL if present else Status.NONE


# Relationship `r` in effect on `day` (a variable: each year has its own).
ON_DAY: LiteralString = in_effect("r", "day")
# Community `c`'s three elements on `day` in `year` (both variables in scope).
ELEMENTS: LiteralString = (
    "EXISTS { MATCH (o:Organization)-[r:SERVES]->(c) WHERE o.kind IN " + SOCIAL + " AND "
    + ON_DAY + " } OR EXISTS { MATCH (:Organization)-[:DELIVERS]->(p:ServiceProject)"
    "-[:DELIVERED_IN]->(c) WHERE p.year = year } AS organizations, "
    "EXISTS { MATCH (:Person)-[r:SERVES {role: 'SOCIAL_WORKER'}]->(c) WHERE " + ON_DAY + " } "
    "AS workers, "
    "EXISTS { MATCH (p:ServiceProject)-[:DELIVERED_IN]->(c) WHERE p.year = year } AS projects"
)  # fmt: skip
# The year's day: its last, or `$today` for the year under way.
DAY: LiteralString = (
    "CASE WHEN date({year: year, month: 12, day: 31}) > $today THEN $today "
    "ELSE date({year: year, month: 12, day: 31}) END AS day"
)


def found(organizations: bool, workers: bool, projects: bool) -> set[Element]:
    """The elements a community has."""
    flags = {
        Element.ORGANIZATION: organizations,
        Element.SOCIAL_WORKER: workers,
        Element.SERVICE_PROJECT: projects,
    }
    return {element for element, flag in flags.items() if flag}


def present(row: dict[str, Any]) -> set[Element]:
    """The elements of a row with ELEMENTS' columns."""
    return found(row["organizations"], row["workers"], row["projects"])


def missing(elements: set[Element]) -> list[Element]:
    return [element for element in Element if element not in elements]


# Volunteers registered with community `c` on `day`.
VOLUNTEERS: LiteralString = (
    "COUNT { (:Person)-[r:VOLUNTEERS_FOR]->(c) WHERE " + ON_DAY + " } AS volunteers"
)


# --- one community -----------------------------------------------------------------------

COMMUNITY: LiteralString = (
    "MATCH (c:Community {id: $id}) WHERE " + in_scope("c", Label.COMMUNITY) + " "
    "WITH c, $year AS year, $day AS day "
    "CALL (c, day) { OPTIONAL MATCH (o:Organization)-[r:SERVES]->(c) "
    "  WHERE o.kind IN " + SOCIAL + " AND " + ON_DAY + " "
    "  WITH r WHERE r IS NOT NULL RETURN collect(" + LINK + ") AS serving } "
    "CALL (c, year) { OPTIONAL MATCH (p:ServiceProject)-[:DELIVERED_IN]->(c) WHERE p.year = year "
    "  OPTIONAL MATCH (funder:Organization)-[:FUNDS]->(p) "
    "  OPTIONAL MATCH (provider:Organization)-[:DELIVERS]->(p) "
    "  WITH p, funder, provider WHERE p IS NOT NULL "
    "  RETURN collect({project: p {.*}, funder: funder {.*}, provider: provider {.*}}) "
    "  AS projects } "
    "CALL (c, day) { OPTIONAL MATCH (w:Person)-[r:SERVES {role: 'SOCIAL_WORKER'}]->(c) "
    "  WHERE " + ON_DAY + " "
    "  OPTIONAL MATCH (w)-[e:EMPLOYED_BY]->(employer:Organization) "
    "  WHERE " + in_effect("e", "$day") + " "
    "  WITH w, r, collect(employer {.*})[0] AS employer WHERE w IS NOT NULL "
    "  RETURN collect({worker: w {.*}, since: r.since, employer: employer}) AS workers } "
    "RETURN c {.*} AS community, serving, projects, workers, " + VOLUNTEERS
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Project:
    project: Stored
    funder: Stored | None
    provider: Stored | None


@dataclass(frozen=True, slots=True)
class Worker:
    person: Stored
    since: date | None
    employer: Stored | None

    @property
    def licensed(self) -> bool:
        return getattr(self.person, "social_worker_level", None) is not None


@dataclass(frozen=True, slots=True)
class Linkage:
    community: Stored
    as_of: date
    organizations: list[Stored]  # serving on the day, or providers of the year's projects
    serving: list[EvidenceLink]  # the organizations' SERVES relationships
    workers: list[Worker]
    projects: list[Project]
    volunteers: int
    present: set[Element]  # judged on everything, whatever a reader may see of it

    def seen_from(self, scope: Scope) -> Linkage:
        """The linkage as a reader scoped to `scope` sees it: organizations, social workers,
        employers, projects, funders and providers outside it left out, as relationships to
        entities outside are everywhere (its status is still the community's)."""

        def shown(label: Label, node: Stored | None) -> Stored | None:
            return node if node is not None and scope.sees(label, node) else None

        org, person = Label.ORGANIZATION, Label.PERSON
        return replace(
            self,
            organizations=[o for o in self.organizations if scope.sees(org, o)],
            serving=[link for link in self.serving if scope.sees(org, link.source)],
            workers=[replace(w, employer=shown(org, w.employer)) for w in self.workers
                     if scope.sees(person, w.person)],
            projects=[replace(p, funder=shown(org, p.funder), provider=shown(org, p.provider))
                      for p in self.projects if scope.sees(Label.SERVICE_PROJECT, p.project)],
        )  # fmt: skip

    @property
    def status(self) -> Status:
        return status_of(self.present)

    @property
    def missing(self) -> list[Element]:
        return missing(self.present)


def maybe(label: Label, row: dict[str, Any] | None) -> Stored | None:
    return None if row is None else stored(label, row)


async def community_linkage(scoped: Scoped, community_id: str, as_of: date) -> Linkage | None:
    """The community's linkage on `as_of` (projects: of its year); None outside the scope."""
    rows = await scoped.read(COMMUNITY, id=community_id, day=as_of, year=as_of.year)
    if not rows:
        return None
    row = rows[0]
    serving = [link_of(link) for link in row["serving"]]
    projects = [
        Project(stored(Label.SERVICE_PROJECT, p["project"]),
                maybe(Label.ORGANIZATION, p["funder"]), maybe(Label.ORGANIZATION, p["provider"]))
        for p in row["projects"]
    ]  # fmt: skip
    organizations: dict[str, Stored] = {link.source.id: link.source for link in serving}
    for project in projects:
        if project.provider is not None:
            organizations.setdefault(project.provider.id, project.provider)
    workers = [
        Worker(stored(Label.PERSON, w["worker"]), w["since"],
               maybe(Label.ORGANIZATION, w["employer"]))
        for w in row["workers"]
    ]  # fmt: skip
    return Linkage(
        community=stored(Label.COMMUNITY, row["community"]),
        as_of=as_of,
        organizations=list(organizations.values()),
        serving=serving,
        workers=workers,
        projects=projects,
        volunteers=row["volunteers"],
        present=found(bool(organizations), bool(workers), bool(projects)),
    ).seen_from(scoped.scope)


# --- coverage ----------------------------------------------------------------------------

IN_REGION: LiteralString = in_scope("c", Label.COMMUNITY, ASKED)  # the region asked for

# The region's communities in each year, counted by status and child region.
COVERAGE: LiteralString = (
    "UNWIND $years AS year WITH year, " + DAY + " "
    "MATCH (c:Community) WHERE " + IN_REGION + " "
    "WITH year, day, c, substring(c.code, 0, $childLength) AS child "
    "WITH year, child, " + ELEMENTS + " "
    "RETURN year, child, organizations, workers, projects, count(*) AS communities"
)  # fmt: skip
# The year's communities with the fewest elements (then fewest volunteers) first.
WEAKEST: LiteralString = (
    "WITH $year AS year, $day AS day "
    "MATCH (c:Community) WHERE " + IN_REGION + " "
    "WITH c, year, day, " + ELEMENTS + " "
    "WITH c, day, organizations, workers, projects, "
    "toInteger(organizations) + toInteger(workers) + toInteger(projects) AS elements "
    "ORDER BY elements, c.code LIMIT $limit "
    "RETURN c {.*} AS community, organizations, workers, projects, " + VOLUNTEERS
)  # fmt: skip
NAMES: LiteralString = (
    "UNWIND $codes AS code OPTIONAL MATCH (r:Region {code: code}) "
    "OPTIONAL MATCH (c:Community {code: code}) RETURN code, coalesce(r.name, c.name) AS name"
)


@dataclass(frozen=True, slots=True)
class Tally:
    """Communities by status (and how many lack each element)."""

    communities: int = 0
    linked: int = 0
    partial: int = 0
    none: int = 0
    without: dict[Element, int] = field(default_factory=lambda: dict.fromkeys(Element, 0))

    def add(self, elements: set[Element], count: int) -> Tally:
        without = dict(self.without)
        for element in Element:
            if element not in elements:
                without[element] += count
        status = status_of(elements)
        return Tally(
            communities=self.communities + count,
            linked=self.linked + count * (status is Status.LINKED),
            partial=self.partial + count * (status is Status.PARTIAL),
            none=self.none + count * (status is Status.NONE),
            without=without,
        )

    @property
    def linked_share(self) -> float | None:
        return None if self.communities == 0 else round(100 * self.linked / self.communities, 1)


@dataclass(frozen=True, slots=True)
class Area:
    code: str
    name: str | None
    tally: Tally


@dataclass(frozen=True, slots=True)
class Weak:
    community: Stored
    present: set[Element]
    volunteers: int


@dataclass(frozen=True, slots=True)
class Coverage:
    region: Area
    year: int
    children: list[Area]
    trend: list[tuple[int, Tally]]  # earlier years first, the year last
    weakest: list[Weak]


def child_length(prefix: str) -> int:
    """How long a child region's code prefix is: city 4, county 6, township 9, community 12."""
    return {2: 4, 4: 6, 6: 9, 9: 12}.get(len(prefix), 12)


def child_code(prefix: str) -> str:
    return prefix.ljust(6, "0") if len(prefix) < 6 else prefix


def end_of(year: int, today: date) -> date:
    return min(date(year, 12, 31), today)


async def coverage(
    scoped: Scoped,
    prefix: str,
    year: int,
    today: date,
    *,
    years: int = 3,
    weakest: int = 10,
) -> Coverage:
    """Linkage in the region `prefix` (as far as the scope sees it) in `year` (and the
    `years` - 1 before it): totals, each child region's, and the `weakest` communities. A
    region outside the scope has no communities (and no name)."""
    span = list(range(year - years + 1, year + 1))
    seen = scoped.narrow(prefix)
    if seen == NOTHING:
        return Coverage(Area(child_code(prefix), None, Tally()), year, [],
                        [(y, Tally()) for y in span], [])  # fmt: skip
    prefix, length = seen, child_length(seen)
    rows = await scoped.read(COVERAGE, years=span, today=today, prefix=prefix, childLength=length)
    trend = dict.fromkeys(span, Tally())
    children: dict[str, Tally] = {}
    for row in rows:
        elements, count = present(row), row["communities"]
        trend[row["year"]] = trend[row["year"]].add(elements, count)
        if row["year"] == year:
            children[row["child"]] = children.get(row["child"], Tally()).add(elements, count)
    weak_rows = await scoped.read(
        WEAKEST, year=year, day=end_of(year, today), prefix=prefix, limit=weakest
    )
    codes = [child_code(prefix), *(child_code(child) for child in sorted(children))]
    names = {row["code"]: row["name"] for row in await scoped.read(NAMES, codes=codes)}
    return Coverage(
        region=Area(codes[0], names.get(codes[0]), trend[year]),
        year=year,
        children=[
            Area(child_code(child), names.get(child_code(child)), tally)
            for child, tally in sorted(children.items())
        ],
        trend=sorted(trend.items()),
        weakest=[
            Weak(stored(Label.COMMUNITY, row["community"]), present(row), row["volunteers"])
            for row in weak_rows
        ],
    )


# --- the linkage graph -------------------------------------------------------------------

GRAPH: LiteralString = (
    "MATCH (c:Community) WHERE " + IN_REGION + " "
    "WITH c, $year AS year, $day AS day "
    "CALL (c, day, year) { "
    "  MATCH (o:Organization)-[r:SERVES]->(c) WHERE o.kind IN " + SOCIAL + " AND " + ON_DAY + " "
    "  RETURN r "
    "  UNION "
    "  MATCH (:Person)-[r:SERVES {role: 'SOCIAL_WORKER'}]->(c) WHERE " + ON_DAY + " RETURN r "
    "  UNION "
    "  MATCH (w:Person)-[:SERVES {role: 'SOCIAL_WORKER'}]->(c) "
    "  MATCH (w)-[r:EMPLOYED_BY]->(:Organization) WHERE " + ON_DAY + " RETURN r "
    "  UNION "
    "  MATCH (p:ServiceProject)-[r:DELIVERED_IN]->(c) WHERE p.year = year RETURN r "
    "  UNION "
    "  MATCH (p:ServiceProject)-[:DELIVERED_IN]->(c) WHERE p.year = year "
    "  MATCH (:Organization)-[r:FUNDS|DELIVERS]->(p) RETURN r "
    "  UNION "
    "  MATCH (:Person)-[r:VOLUNTEERS_FOR]->(c) WHERE " + ON_DAY + " RETURN r "
    "} "
    "WITH DISTINCT r WITH r, startNode(r) AS a, endNode(r) AS b "
    "WHERE " + in_scope("a") + " AND " + in_scope("b") + " "  # the far ends too (a volunteer)
    "WITH r LIMIT $limit "
    "RETURN " + LINK + " AS link"
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class LinkageGraph:
    links: list[EvidenceLink]
    truncated: bool


async def linkage_graph(scoped: Scoped, prefix: str, as_of: date, limit: int) -> LinkageGraph:
    """The linkage relationships of the communities under `prefix` (a community's code, or
    a township's; as far as the scope sees it) on `as_of`: organizations and social workers
    serving them, the workers' employers, the year's projects with funder and provider,
    volunteers."""
    rows = await scoped.read(
        GRAPH, prefix=scoped.narrow(prefix), day=as_of, year=as_of.year, limit=limit + 1
    )
    links = [link_of(row["link"]) for row in rows]
    return LinkageGraph(links[:limit], truncated=len(links) > limit)
