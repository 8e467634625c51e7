"""Declarative mappings from registry exports to the graph: a new registry is a new
`Source`, not new code.

A source maps each row to nodes (a record model filled from columns) and relationships
(between natural keys, with their own properties and period). Column names are those of
the department's exports (Chinese); `docs/ingest.md` lists them per source.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from civgraph.graph import models as m
from civgraph.graph.catalog import Label, Rel, RelSpec, relationship
from civgraph.ingest.fields import Column, coded, to_date, to_number, to_resident_id


@dataclass(frozen=True, slots=True)
class NodeMap:
    """One node per row: `model`'s fields filled from columns."""

    model: type[m.NodeFields]
    fields: Mapping[str, Column]


@dataclass(frozen=True, slots=True)
class LinkMap:
    """One relationship per row, between the nodes with these natural keys."""

    spec: RelSpec
    source: Column
    target: Column
    props: type[m.LinkFields] | None = None
    fields: Mapping[str, Column] = field(default_factory=dict)
    since: Column | None = None
    until: Column | None = None


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    title: str  # the registry's name, in Chinese
    record_key: Column  # what identifies a row in the registry
    nodes: tuple[NodeMap, ...] = ()
    links: tuple[LinkMap, ...] = ()
    depends_on: tuple[str, ...] = ()  # sources whose nodes its relationships point at


def division_level(code: str) -> m.RegionLevel:
    if len(code) == 9:
        return m.RegionLevel.TOWNSHIP
    if code.endswith("0000"):
        return m.RegionLevel.PROVINCE
    return m.RegionLevel.CITY if code.endswith("00") else m.RegionLevel.COUNTY


def parent_code(code: str) -> str | None:
    if len(code) == 9:
        return code[:6]
    if code.endswith("0000"):
        return None
    return code[:2] + "0000" if code.endswith("00") else code[:4] + "00"


COMMUNITY_KINDS = {"居委会": m.CommunityKind.URBAN, "村委会": m.CommunityKind.VILLAGE}
HOUSEHOLD_KINDS = {"城镇": m.HouseholdKind.URBAN, "农村": m.HouseholdKind.RURAL}
ENROLLMENT_STATUSES = {
    "在保": m.EnrollmentStatus.ACTIVE,
    "暂停": m.EnrollmentStatus.SUSPENDED,
    "停保": m.EnrollmentStatus.ENDED,
}

# 行政区划: regions down to townships (one row each, parents first).
REGIONS = Source(
    name="regions",
    title="行政区划",
    record_key=Column("代码"),
    nodes=(
        NodeMap(
            m.RegionFields,
            {
                "code": Column("代码"),
                "name": Column("名称"),
                "level": Column("代码", division_level),
                "parent_code": Column("代码", parent_code),
            },
        ),
    ),
)

# 统计用区划 (村/居委会): communities.
COMMUNITIES = Source(
    name="communities",
    title="村(居)委会",
    record_key=Column("代码"),
    nodes=(
        NodeMap(
            m.CommunityFields,
            {
                "code": Column("代码"),
                "name": Column("名称"),
                "kind": Column("类别", coded(COMMUNITY_KINDS)),
                "township_code": Column("代码", lambda code: code[:9]),
                "has_service_platform": Column("信息平台", coded({"是": True, "否": False})),
            },
        ),
    ),
    depends_on=("regions",),
)

RELATIONS = {
    "户主": m.MemberRelation.HEAD,
    "配偶": m.MemberRelation.SPOUSE,
    "子": m.MemberRelation.CHILD,
    "女": m.MemberRelation.CHILD,
    "子女": m.MemberRelation.CHILD,
    "父母": m.MemberRelation.PARENT,
    "父亲": m.MemberRelation.PARENT,
    "母亲": m.MemberRelation.PARENT,
    "孙子女": m.MemberRelation.GRANDCHILD,
    "兄弟姐妹": m.MemberRelation.SIBLING,
    "其他": m.MemberRelation.OTHER,
}

# 户籍: one row per person, with their household.
HOUSEHOLD_REGISTRATION = Source(
    name="household_registration",
    title="户籍登记",
    record_key=Column("身份证号"),
    nodes=(
        NodeMap(
            m.HouseholdFields,
            {
                "number": Column("户号"),
                "address": Column("住址"),
                "community_code": Column("社区代码"),
                "kind": Column("户别", coded(HOUSEHOLD_KINDS)),
            },
        ),
        NodeMap(
            m.PersonFields,
            {
                "id_number": Column("身份证号", to_resident_id),
                "name": Column("姓名"),
                "phone": Column("联系电话"),
                "address": Column("住址"),
            },
        ),
    ),
    links=(
        LinkMap(
            relationship(Rel.MEMBER_OF, Label.PERSON, Label.HOUSEHOLD),
            source=Column("身份证号", to_resident_id),
            target=Column("户号"),
            props=m.Membership,
            fields={"relation": Column("与户主关系", coded(RELATIONS))},
            since=Column("入户日期", to_date),
        ),
    ),
    depends_on=("communities",),
)

# 低保: household enrollments.
DIBAO = Source(
    name="dibao",
    title="最低生活保障对象名册",
    record_key=Column("救助证号"),
    links=(
        LinkMap(
            relationship(Rel.ENROLLED_IN, Label.HOUSEHOLD, Label.PROGRAM),
            source=Column("户号"),
            target=Column("保障类别", coded({"城市": "DIBAO_URBAN", "农村": "DIBAO_RURAL"})),
            props=m.Enrollment,
            fields={
                "status": Column("状态", coded(ENROLLMENT_STATUSES)),
                "amount": Column("月保障金", to_number),
                "case_no": Column("救助证号"),
                "region_code": Column("审批区县"),
            },
            since=Column("开始日期", to_date),
            until=Column("终止日期", to_date),
        ),
    ),
    depends_on=("household_registration",),
)

SOURCES: dict[str, Source] = {
    source.name: source for source in (REGIONS, COMMUNITIES, HOUSEHOLD_REGISTRATION, DIBAO)
}
