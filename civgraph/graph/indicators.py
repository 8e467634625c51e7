"""The work plan's numeric indicators, computed from the graph for a region and a year, with
the plan's targets (data: `PlanTarget` nodes, loaded from a file with the plan year) and
the previous year's value as baseline. docs/indicators.md documents each query.

A value is taken on the year's last day, or today for the year under way; a baseline is
the same query one year earlier. Facts the graph keeps without history (a facility's
beds and legal-person registration, an organization's status) are read as they are now,
for facilities and organizations in service by the day.
"""

from __future__ import annotations

import asyncio
import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import LiteralString

from civgraph.graph.catalog import Label
from civgraph.graph.driver import Graph
from civgraph.graph.identifiers import parse_division_code
from civgraph.graph.periods import in_effect
from civgraph.graph.scope import ASKED, NOTHING, Scoped, in_scope, within

TARGETS_FILE = Path(__file__).resolve().parent.parent / "data" / "plan_targets.csv"


class Unit(StrEnum):
    PERCENT = "PERCENT"
    COUNT = "COUNT"
    BEDS = "BEDS"
    YUAN = "YUAN"


class IndicatorStatus(StrEnum):
    MET = "MET"
    NOT_MET = "NOT_MET"
    NO_TARGET = "NO_TARGET"
    NO_DATA = "NO_DATA"


# Each statement returns one row: `numerator` and `denominator` (a share, in percent), or
# `value` alone. Parameters: $prefix (division-code prefix), $day, $year, $age.
# A county `r` of the region asked for, or the county holding it (a township, a community).
COUNTY_OF_REGION: LiteralString = (
    "(" + in_scope("r", Label.REGION, ASKED) + " OR " + within(ASKED, "r.code") + ")"
)
URBAN_FACILITY_COVERAGE: LiteralString = (
    "MATCH (c:Community {kind: 'URBAN'}) WHERE "
    + in_scope("c", Label.COMMUNITY, ASKED)
    + """
RETURN count(c) AS denominator,
       sum(CASE WHEN EXISTS { MATCH (f:Facility {kind: 'COMMUNITY_SERVICE_CENTER'})
                              WHERE f.divisionCode = c.code AND coalesce(f.openedOn, $day) <= $day }
           THEN 1 ELSE 0 END) AS numerator
"""
)
PLATFORM_COVERAGE: LiteralString = (
    "MATCH (c:Community) WHERE "
    + in_scope("c", Label.COMMUNITY, ASKED)
    + """
RETURN count(c) AS denominator,
       sum(CASE WHEN c.hasServicePlatform AND coalesce(c.platformSince, $day) <= $day
           THEN 1 ELSE 0 END) AS numerator
"""
)
VERIFICATION_MECHANISM: LiteralString = (
    "MATCH (r:Region {level: 'COUNTY'}) WHERE "
    + COUNTY_OF_REGION
    + """
RETURN count(r) AS denominator,
       sum(CASE WHEN EXISTS { MATCH (f:Facility {kind: 'VERIFICATION_CENTER'})
                              WHERE """
    + in_scope("f", Label.FACILITY, "r.code")
    + """
                                AND coalesce(f.openedOn, $day) <= $day }
           THEN 1 ELSE 0 END) AS numerator
"""
)
# From the year's enrollments (the `since` index), not the region's people: the planner
# prefers the division-code index, which for the province is everyone (1.4 s at 1M).
MEDICAL_ASSISTANCE: LiteralString = (
    """
MATCH (x:Person)-[e:ENROLLED_IN]->(:Program {code: 'MEDICAL_ASSISTANCE'})
USING INDEX e:ENROLLED_IN(since)
WHERE e.since >= date({year: $year, month: 1, day: 1}) AND e.since <= $day
  AND e.eligibleCost > 0 AND """
    + in_scope("x", Label.PERSON, ASKED)
    + """
RETURN sum(e.amount) AS numerator, sum(e.eligibleCost) AS denominator
"""
)
SOCIAL_WORK_AGENCIES: LiteralString = (
    """
MATCH (o:Organization {kind: 'SOCIAL_WORK_AGENCY'})
WHERE """
    + in_scope("o", Label.ORGANIZATION, ASKED)
    + """ AND o.status = 'ACTIVE'
  AND coalesce(o.registeredOn, $day) <= $day
RETURN count(o) AS value
"""
)
SOCIAL_ELDERLY_BEDS: LiteralString = (
    """
MATCH (f:Facility {kind: 'ELDERLY_CARE_HOME'})
WHERE """
    + in_scope("f", Label.FACILITY, ASKED)
    + """ AND f.ownership = 'SOCIAL'
  AND coalesce(f.openedOn, $day) <= $day
RETURN coalesce(sum(f.beds), 0) AS value
"""
)
NURSING_HOMES_REGISTERED: LiteralString = (
    """
MATCH (f:Facility {kind: 'RURAL_NURSING_HOME'})
WHERE """
    + in_scope("f", Label.FACILITY, ASKED)
    + """ AND coalesce(f.openedOn, $day) <= $day
RETURN count(f) AS denominator,
       sum(CASE WHEN f.legalPersonRegistered THEN 1 ELSE 0 END) AS numerator
"""
)


def standard(program: LiteralString) -> LiteralString:
    """The mean monthly 低保 standard of the region's counties (or the county holding it)."""
    return (
        "MATCH (r:Region {level: 'COUNTY'})-[e:SETS_STANDARD]->(:Program {code: '" + program
        + "'}) WHERE " + COUNTY_OF_REGION + " AND " + in_effect("e", "$day")
        + " RETURN avg(e.amount) AS value"
    )  # fmt: skip


# People of 80 or more (the allowance's age, a setting) in households on 低保 or on 特困 on
# the day, alive, and how many of them receive the old-age allowance. From the programs'
# enrollments: the region is tested by a plain comparison (`seek=False`), because with an
# indexable `STARTS WITH` the planner starts from the region's households and people, which
# for the province is everyone.
ALLOWANCE_COVERAGE: LiteralString = (
    """
CALL () {
  MATCH (g:Program)<-[e:ENROLLED_IN]-(h:Household)
  WHERE g.code IN ['DIBAO_URBAN', 'DIBAO_RURAL']
    AND """
    + in_scope("h", Label.HOUSEHOLD, ASKED, seek=False)
    + """
    AND e.status <> 'SUSPENDED' AND """
    + in_effect("e", "$day")
    + """
  MATCH (x:Person)-[m:MEMBER_OF]->(h)
  WHERE """
    + in_effect("m", "$day")
    + """
  RETURN x
  UNION
  MATCH (:Program {code: 'TEKUN'})<-[e:ENROLLED_IN]-(x:Person)
  WHERE """
    + in_scope("x", Label.PERSON, ASKED, seek=False)
    + """ AND e.status <> 'SUSPENDED'
    AND """
    + in_effect("e", "$day")
    + """
  RETURN x
}
WITH DISTINCT x
WHERE x.birthDate <= $day - duration({years: $age})
  AND (x.deathDate IS NULL OR x.deathDate > $day)
  AND NOT EXISTS { MATCH (x)-[c:CREMATED_AT]->() WHERE c.crematedOn <= $day }
RETURN count(x) AS denominator,
       sum(CASE WHEN EXISTS { MATCH (x)-[e:ENROLLED_IN]->(:Program {code: 'OLD_AGE_ALLOWANCE'})
                              WHERE e.status <> 'SUSPENDED' AND """
    + in_effect("e", "$day")
    + """ }
           THEN 1 ELSE 0 END) AS numerator
"""
)


@dataclass(frozen=True, slots=True)
class Indicator:
    code: str
    name: str
    unit: Unit
    basis: str  # the plan's words and section
    statement: LiteralString | None = None
    growth_of: str | None = None  # a growth indicator: percent change of this one in a year


INDICATORS: tuple[Indicator, ...] = (
    Indicator("URBAN_COMMUNITY_FACILITY_COVERAGE", "城市社区服务设施覆盖率", Unit.PERCENT,
              "Section 2: 社区服务体系建设", URBAN_FACILITY_COVERAGE),
    Indicator("URBAN_COMMUNITY_FACILITY_GROWTH", "城市社区服务设施覆盖率同比增长", Unit.PERCENT,
              "Section 2: 实现城市社区服务设施覆盖率同比增长10%",
              growth_of="URBAN_COMMUNITY_FACILITY_COVERAGE"),
    Indicator("SERVICE_PLATFORM_COVERAGE", "社区公共服务综合信息平台覆盖率", Unit.PERCENT,
              "Section 2: 争取综合信息平台覆盖率达到10%", PLATFORM_COVERAGE),
    Indicator("VERIFICATION_MECHANISM_COUNTIES", "完成家庭经济状况核对机制建设的县(市、区)",
              Unit.PERCENT, "Section 4: 力争年底前80%市、县(市、区)完成核对机制建设",
              VERIFICATION_MECHANISM),
    Indicator("MEDICAL_ASSISTANCE_RATIO", "政策范围内住院自付医疗费用救助比例", Unit.PERCENT,
              "Section 5: 救助比例达60%", MEDICAL_ASSISTANCE),
    Indicator("PRIVATE_SOCIAL_WORK_AGENCIES", "民办社会工作服务机构", Unit.COUNT,
              "Section 3: 力争全省民办社会工作服务机构达20家以上", SOCIAL_WORK_AGENCIES),
    Indicator("SOCIAL_ELDERLY_CARE_BEDS", "社会办养老机构床位数", Unit.BEDS,
              "Section 6: 力争社会办养老机构床位数达5万张", SOCIAL_ELDERLY_BEDS),
    Indicator("RURAL_NURSING_HOME_REGISTRATION", "农村五保供养机构法人登记率", Unit.PERCENT,
              "Section 6: 争取年末农村五保供养机构法人登记率达到70%", NURSING_HOMES_REGISTERED),
    Indicator("DIBAO_STANDARD_URBAN", "城市低保平均标准", Unit.YUAN,
              "Section 4: 低保标准", standard("DIBAO_URBAN")),
    Indicator("DIBAO_STANDARD_URBAN_GROWTH", "城市低保标准提高", Unit.PERCENT,
              "Section 4: 确保城乡低保标准提高10%以上", growth_of="DIBAO_STANDARD_URBAN"),
    Indicator("DIBAO_STANDARD_RURAL", "农村低保平均标准", Unit.YUAN,
              "Section 4: 低保标准", standard("DIBAO_RURAL")),
    Indicator("DIBAO_STANDARD_RURAL_GROWTH", "农村低保标准提高", Unit.PERCENT,
              "Section 4: 确保城乡低保标准提高10%以上", growth_of="DIBAO_STANDARD_RURAL"),
    Indicator("LOW_INCOME_ELDERLY_ALLOWANCE", "80周岁及以上低收入老年人高龄津贴覆盖率",
              Unit.PERCENT, "Section 6: 推动建立全省80周岁及以上低收入老年人高龄津贴制度",
              ALLOWANCE_COVERAGE),
)  # fmt: skip
BY_CODE = {indicator.code: indicator for indicator in INDICATORS}


@dataclass(frozen=True, slots=True)
class Target:
    indicator: str
    year: int
    region_code: str
    value: float
    each: bool  # applies to every region under region_code, not only to its total


@dataclass(frozen=True, slots=True)
class Measured:
    indicator: Indicator
    year: int
    value: float | None
    numerator: float | None
    denominator: float | None
    baseline: float | None
    target: Target | None

    @property
    def status(self) -> IndicatorStatus:
        if self.value is None:
            return IndicatorStatus.NO_DATA
        if self.target is None:
            return IndicatorStatus.NO_TARGET
        met = self.value >= self.target.value
        return IndicatorStatus.MET if met else IndicatorStatus.NOT_MET


def end_of(year: int, today: date) -> date:
    return min(date(year, 12, 31), today)


Raw = tuple[float | None, float | None, float | None]  # value, numerator, denominator


async def raw(scoped: Scoped, indicator: Indicator, prefix: str, year: int, today: date,
              age: int) -> Raw:  # fmt: skip
    """One indicator's value (numerator, denominator) for the region `prefix`, as far as the
    scope sees it, in `year`."""
    assert indicator.statement is not None
    rows = await scoped.read(
        indicator.statement, prefix=scoped.narrow(prefix), day=end_of(year, today), year=year,
        age=age,
    )  # fmt: skip
    row = rows[0] if rows else {}
    if "value" in row:
        return (None if row["value"] is None else round(float(row["value"]), 1)), None, None
    numerator, denominator = row.get("numerator"), row.get("denominator")
    if not denominator:
        return None, numerator, denominator
    return round(100 * (numerator or 0) / denominator, 1), numerator, denominator


def growth(now: float | None, before: float | None) -> float | None:
    if now is None or not before:
        return None
    return round(100 * (now / before - 1), 1)


async def measure(
    scoped: Scoped, prefix: str, year: int, today: date, age: int, targets: list[Target]
) -> list[Measured]:
    """Every indicator for the region `prefix` (as far as the scope sees it) in `year`, with
    baseline and target; none for a region outside the scope. The queries (this year, last
    year, and the year before for growths' baselines) run concurrently."""
    prefix = scoped.narrow(prefix)
    if prefix == NOTHING:
        return []
    years: dict[str, tuple[int, ...]] = dict.fromkeys(BY_CODE, (year, year - 1))
    for indicator in INDICATORS:
        if indicator.growth_of is not None:
            years[indicator.growth_of] = (year, year - 1, year - 2)
    wanted = [(i.code, when) for i in INDICATORS if i.statement for when in years[i.code]]
    found = await asyncio.gather(
        *(raw(scoped, BY_CODE[code], prefix, when, today, age) for code, when in wanted)
    )
    values: dict[tuple[str, int], Raw] = dict(zip(wanted, found, strict=True))
    for indicator in INDICATORS:
        if indicator.growth_of is not None:
            for when in (year, year - 1):
                now, before = (
                    values[indicator.growth_of, when][0],
                    values[indicator.growth_of, when - 1][0],
                )
                values[indicator.code, when] = (growth(now, before), now, before)
    return [
        Measured(indicator, year, *values[indicator.code, year],
                 baseline=values[indicator.code, year - 1][0],
                 target=target_for(targets, indicator.code, year, prefix))
        for indicator in INDICATORS
    ]  # fmt: skip


def target_for(targets: Iterable[Target], code: str, year: int, prefix: str) -> Target | None:
    """The region's own target, else the nearest enclosing region's that applies to each
    region under it."""

    def covers(t: Target) -> str:
        return parse_division_code(t.region_code).prefix

    candidates = [
        t for t in targets
        if t.indicator == code and t.year == year
        and (covers(t) == prefix or (t.each and prefix.startswith(covers(t))))
    ]  # fmt: skip
    return max(candidates, key=lambda t: len(covers(t)), default=None)


# --- targets -------------------------------------------------------------------------------

TARGET_COLUMNS = ("指标代码", "年度", "区划代码", "目标值", "适用")
APPLIES = {"各地": True, "合计": False}
LOAD: LiteralString = """
UNWIND $rows AS row
MERGE (t:PlanTarget {id: row.indicator + '|' + toString(row.year) + '|' + row.regionCode})
SET t += row, t.loadedAt = datetime(), t.file = $file
"""
READ: LiteralString = "MATCH (t:PlanTarget) WHERE t.year IN $years RETURN t {.*} AS target"
ANY: LiteralString = "MATCH (t:PlanTarget) RETURN count(t) > 0 AS loaded"


class BadTargets(ValueError):
    """A targets file that cannot be loaded; the message names the line."""


def read_targets(path: Path) -> list[Target]:
    """The targets of a CSV file (UTF-8; columns TARGET_COLUMNS; 适用 各地 or 合计)."""
    targets = []
    with path.open(encoding="utf-8-sig", newline="") as file:
        reader = csv.DictReader(file)
        missing = set(TARGET_COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise BadTargets(f"{path}: missing columns {', '.join(sorted(missing))}")
        for line, row in enumerate(reader, start=2):
            try:
                code, applies = row["指标代码"].strip(), row["适用"].strip()
                if code not in BY_CODE:
                    raise ValueError(f"unknown indicator {code!r}")
                if applies not in APPLIES:
                    raise ValueError(f"适用 must be 各地 or 合计, not {applies!r}")
                targets.append(Target(code, int(row["年度"]), row["区划代码"].strip(),
                                      float(row["目标值"]), APPLIES[applies]))  # fmt: skip
            except ValueError as error:
                raise BadTargets(f"{path}, line {line}: {error}") from error
    return targets


async def load_targets(graph: Graph, path: Path = TARGETS_FILE) -> int:
    """Loads (or replaces, by indicator, year and region) the targets of a file."""
    targets = read_targets(path)
    rows = [
        {"indicator": t.indicator, "year": t.year, "regionCode": t.region_code,
         "target": t.value, "each": t.each}
        for t in targets
    ]  # fmt: skip
    await graph.write(LOAD, rows=rows, file=path.name)
    return len(rows)


async def targets_loaded(graph: Graph) -> bool:
    return bool((await graph.read(ANY))[0]["loaded"])


async def stored_targets(graph: Graph, years: list[int]) -> list[Target]:
    rows = await graph.read(READ, years=years)
    return [
        Target(t["indicator"], t["year"], t["regionCode"], t["target"], t["each"])
        for t in (row["target"] for row in rows)
    ]
