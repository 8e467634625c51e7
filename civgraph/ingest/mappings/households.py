"""Household registration (户籍) and the household-level benefit, 低保."""

from __future__ import annotations

from civgraph.graph import models as m
from civgraph.graph.catalog import Label, Rel, relationship
from civgraph.ingest.fields import YES_NO, Column, coded, to_date, to_number, to_resident_id
from civgraph.ingest.mappings.base import LinkMap, NodeMap, Source

HOUSEHOLD_KINDS = {"城镇": m.HouseholdKind.URBAN, "农村": m.HouseholdKind.RURAL}
ENROLLMENT_STATUSES = {
    "在保": m.EnrollmentStatus.ACTIVE,
    "暂停": m.EnrollmentStatus.SUSPENDED,
    "停保": m.EnrollmentStatus.ENDED,
}

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
                "relative_filed": Column("近亲属备案", coded(YES_NO)),
            },
            since=Column("开始日期", to_date),
            until=Column("终止日期", to_date),
        ),
    ),
    depends_on=("household_registration",),
)
