"""Organizations and the people in them: social-organization registry, enterprise
registry, leading-cadre roster, public-employee payroll, officers and investors."""

from __future__ import annotations

from civgraph.graph import models as m
from civgraph.graph.catalog import Label, Rel, relationship
from civgraph.ingest.fields import (
    YES_NO,
    Column,
    coded,
    const,
    to_date,
    to_number,
    to_resident_id,
)
from civgraph.ingest.mappings.base import LinkMap, NodeMap, Source
from civgraph.ingest.mappings.identities import PERSON
from civgraph.ingest.mappings.identities import organization as named_organization

ORGANIZATION_KINDS = {
    "社会团体": m.OrganizationKind.SOCIAL_GROUP,
    "民办非企业单位": m.OrganizationKind.PRIVATE_NON_ENTERPRISE,
    "社会服务机构": m.OrganizationKind.PRIVATE_NON_ENTERPRISE,
    "基金会": m.OrganizationKind.FOUNDATION,
    "社会工作服务机构": m.OrganizationKind.SOCIAL_WORK_AGENCY,
    "机关": m.OrganizationKind.GOVERNMENT_AGENCY,
    "党的机关": m.OrganizationKind.PARTY_ORGAN,
    "事业单位": m.OrganizationKind.PUBLIC_INSTITUTION,
}
STATUSES = {
    "正常": m.OrganizationStatus.ACTIVE,
    "存续": m.OrganizationStatus.ACTIVE,
    "撤销": m.OrganizationStatus.REVOKED,
    "吊销": m.OrganizationStatus.REVOKED,
    "注销": m.OrganizationStatus.DEREGISTERED,
}
GRADES = {f"{n}A": getattr(m.EvaluationGrade, f"GRADE_{n}A") for n in range(1, 6)}
# 职级: each level under the names rosters give it (省部级, 厅局级 / 厅级 / 局级, 县处级 / 处级
# / 县级, 乡科级 / 科级 / 乡级), as a level, its principal or deputy (正厅级, 副处级) and the
# 职 forms (厅局级正职, 乡科级副职, 科级副职). Principal and deputy are one rank here.
LEVELS = {
    m.PostRank.PROVINCIAL: ("省部", "部", "省"),
    m.PostRank.BUREAU: ("厅局", "厅", "局"),
    m.PostRank.DIVISION: ("县处", "处", "县"),
    m.PostRank.SECTION: ("乡科", "科", "乡"),
}
RANKS = {
    form: rank
    for rank, names in LEVELS.items()
    for name in names
    for form in (f"{name}级", f"正{name}级", f"副{name}级", f"{name}级正职", f"{name}级副职")
}
HOLDS_POST = relationship(Rel.HOLDS_POST, Label.PERSON, Label.ORGANIZATION)


def organization(kind: Column, fields: dict[str, Column]) -> NodeMap:
    return NodeMap(
        m.OrganizationFields,
        {
            "uscc": Column("统一社会信用代码"),
            "name": Column("名称"),
            "kind": kind,
            "status": Column("状态", coded(STATUSES)),
            "registered_on": Column("登记日期", to_date),
            "address": Column("住所"),
            "division_code": Column("区划代码"),
            **fields,
        },
    )


# 社会组织登记 (and the registries of agencies, party organs and public institutions).
SOCIAL_ORGANIZATIONS = Source(
    name="social_organizations",
    title="社会组织及机关事业单位登记",
    record_key=Column("统一社会信用代码"),
    nodes=(
        organization(
            Column("类型", coded(ORGANIZATION_KINDS)),
            {
                "industry_association": Column("行业协会商会", coded(YES_NO)),
                "charity_certified": Column("慈善组织", coded(YES_NO)),
                "grade": Column("评估等级", coded(GRADES)),
                "funding_account": Column("经费账户"),
            },
        ),
    ),
    links=(
        LinkMap(
            relationship(Rel.SUPERVISED_BY, Label.ORGANIZATION, Label.ORGANIZATION),
            source=Column("统一社会信用代码"),
            target=Column("业务主管单位信用代码"),
            since=Column("登记日期", to_date),
            optional=True,  # decoupled organizations have no supervising agency
        ),
    ),
    depends_on=("regions",),
)

ENTERPRISES = Source(
    name="enterprises",
    title="企业登记",
    record_key=Column("统一社会信用代码"),
    nodes=(organization(const(m.OrganizationKind.ENTERPRISE), {}),),
    depends_on=("regions",),
)


def posts(
    name: str,
    title: str,
    fields: dict[str, Column],
    depends_on: tuple[str, ...],
    kind: m.OrganizationKind,
) -> Source:
    """A roster of posts: who holds which post in which organization, since when; the
    person is named by ID number or 姓名, 性别 and 出生日期, the organization by credit code
    or 单位名称 and 区划代码 (an organization of `kind` of its own when not found)."""
    return Source(
        name=name,
        title=title,
        record_key=Column("记录号"),
        links=(
            LinkMap(
                HOLDS_POST,
                source=Column("身份证号", to_resident_id),
                target=Column("单位信用代码"),
                props=m.Post,
                fields={"title": Column("职务"), **fields},
                since=Column("任职日期", to_date),
                until=Column("离任日期", to_date),
                identify=PERSON,
                identify_target=named_organization(kind),
            ),
        ),
        depends_on=depends_on,
    )


# 领导干部名册: serving and retired party and government leading cadres.
CADRES = posts(
    "cadres",
    "党政领导干部名册",
    {"rank": Column("职级", coded(RANKS)), "leading": const(True)},
    ("household_registration", "social_organizations"),
    m.OrganizationKind.GOVERNMENT_AGENCY,
)
# 社会组织负责人: officers of social organizations, with the concurrent-post facts.
ORGANIZATION_OFFICERS = posts(
    "organization_officers",
    "社会组织负责人",
    {
        "leading": Column("领导职务", coded(YES_NO)),
        "approval_filed": Column("已审批备案", coded(YES_NO)),
        "paid": Column("领取报酬", coded(YES_NO)),
    },
    ("household_registration", "social_organizations"),
    m.OrganizationKind.SOCIAL_GROUP,
)
# 企业法定代表人、董事、监事.
ENTERPRISE_OFFICERS = posts(
    "enterprise_officers",
    "企业主要人员",
    {},
    ("household_registration", "enterprises"),
    m.OrganizationKind.ENTERPRISE,
)

ENTERPRISE_INVESTORS = Source(
    name="enterprise_investors",
    title="企业股东(自然人)",
    record_key=Column("记录号"),
    links=(
        LinkMap(
            relationship(Rel.INVESTED_IN, Label.PERSON, Label.ORGANIZATION),
            source=Column("身份证号", to_resident_id),
            target=Column("统一社会信用代码"),
            props=m.Investment,
            fields={
                "share_percent": Column("出资比例", to_number),
                "amount": Column("认缴出资额", to_number),
            },
            since=Column("出资日期", to_date),
            identify=PERSON,
            identify_target=named_organization(m.OrganizationKind.ENTERPRISE, "企业名称"),
        ),
    ),
    depends_on=("household_registration", "enterprises"),
)

# 财政供养人员: the public-employee payroll.
PAYROLL = Source(
    name="payroll",
    title="财政供养人员名册",
    record_key=Column("记录号"),
    links=(
        LinkMap(
            relationship(Rel.EMPLOYED_BY, Label.PERSON, Label.ORGANIZATION),
            source=Column("身份证号", to_resident_id),
            target=Column("单位信用代码"),
            props=m.Employment,
            fields={"position": Column("岗位"), "public_payroll": const(True)},
            since=Column("入职日期", to_date),
            until=Column("离职日期", to_date),
            identify=PERSON,
            identify_target=named_organization(m.OrganizationKind.PUBLIC_INSTITUTION),
        ),
    ),
    depends_on=("household_registration", "social_organizations"),
)
