"""Civil registries and facilities: marriages, cremations, vehicles and real estate,
care facilities and their residents, government-purchased service projects."""

from __future__ import annotations

from civgraph.graph import models as m
from civgraph.graph.catalog import Label, Rel, relationship
from civgraph.graph.identifiers import Sex
from civgraph.ingest.fields import (
    YES_NO,
    Column,
    coded,
    const,
    to_date,
    to_int,
    to_number,
    to_resident_id,
)
from civgraph.ingest.mappings.base import LinkMap, NodeMap, Source
from civgraph.ingest.mappings.identities import PERSON, RESIDENT, person, spouse

MARRIAGES = Source(
    name="marriages",
    title="婚姻登记",
    record_key=Column("登记证号"),
    links=(
        LinkMap(
            relationship(Rel.MARRIED_TO, Label.PERSON, Label.PERSON),
            source=Column("男方身份证号", to_resident_id),
            target=Column("女方身份证号", to_resident_id),
            since=Column("结婚登记日期", to_date),
            until=Column("离婚登记日期", to_date),
            identify=spouse("男方", Sex.MALE),
            identify_target=spouse("女方", Sex.FEMALE),
        ),
    ),
    depends_on=("household_registration",),
)

FACILITY_KINDS = {
    "养老机构": m.FacilityKind.ELDERLY_CARE_HOME,
    "敬老院": m.FacilityKind.RURAL_NURSING_HOME,
    "农村幸福院": m.FacilityKind.HAPPINESS_HOME,
    "儿童福利机构": m.FacilityKind.CHILD_WELFARE_HOME,
    "社区服务中心": m.FacilityKind.COMMUNITY_SERVICE_CENTER,
    "社区服务站": m.FacilityKind.COMMUNITY_SERVICE_CENTER,
    "慈善超市": m.FacilityKind.CHARITY_SUPERMARKET,
    "救助管理站": m.FacilityKind.RESCUE_STATION,
    "殡仪馆": m.FacilityKind.FUNERAL_HOME,
    "婚姻登记处": m.FacilityKind.MARRIAGE_REGISTRY,
    "孵化基地": m.FacilityKind.INCUBATION_BASE,
    "核对中心": m.FacilityKind.VERIFICATION_CENTER,
}
OWNERSHIP = {"公办": m.Ownership.PUBLIC, "社会办": m.Ownership.SOCIAL}

FACILITIES = Source(
    name="facilities",
    title="民政服务机构",
    record_key=Column("机构代码"),
    nodes=(
        NodeMap(
            m.FacilityFields,
            {
                "code": Column("机构代码"),
                "name": Column("名称"),
                "kind": Column("类型", coded(FACILITY_KINDS)),
                "beds": Column("床位数", to_int),
                "ownership": Column("性质", coded(OWNERSHIP)),
                "legal_person_registered": Column("法人登记", coded(YES_NO)),
                "address": Column("地址"),
                "opened_on": Column("启用日期", to_date),
                "division_code": Column("区划代码"),
            },
        ),
    ),
    links=(
        LinkMap(
            relationship(Rel.OPERATES, Label.ORGANIZATION, Label.FACILITY),
            source=Column("运营单位信用代码"),
            target=Column("机构代码"),
            since=Column("运营开始日期", to_date),
            optional=True,
        ),
    ),
    depends_on=("communities", "social_organizations", "enterprises"),
)

FACILITY_RESIDENTS = Source(
    name="facility_residents",
    title="机构入住人员",
    record_key=Column("记录号"),
    links=(
        LinkMap(
            relationship(Rel.RESIDENT_OF, Label.PERSON, Label.FACILITY),
            source=Column("身份证号", to_resident_id),
            target=Column("机构代码"),
            props=m.Residence,
            fields={"bed": Column("床位号")},
            since=Column("入住日期", to_date),
            until=Column("离开日期", to_date),
            identify=RESIDENT,
        ),
    ),
    depends_on=("household_registration", "facilities"),
)

CREMATIONS = Source(
    name="cremations",
    title="火化记录",
    record_key=Column("火化证号"),
    links=(
        LinkMap(
            relationship(Rel.CREMATED_AT, Label.PERSON, Label.FACILITY),
            source=Column("身份证号", to_resident_id),
            target=Column("殡仪馆代码"),
            props=m.Cremation,
            fields={"cremated_on": Column("火化日期", to_date)},
            identify=RESIDENT,
        ),
    ),
    depends_on=("household_registration", "facilities"),
)


def asset_register(name: str, title: str, kind: m.AssetKind, key: str, owner: str) -> Source:
    """A register of assets and their owners (`owner`: 所有人, 权利人), named by ID number
    or by `<owner>姓名`, `<owner>性别` and `<owner>出生日期`."""
    return Source(
        name=name,
        title=title,
        record_key=Column(key),
        nodes=(
            NodeMap(
                m.AssetFields,
                {"registration": Column(key), "kind": const(kind), "description": Column("描述")},
            ),
        ),
        links=(
            LinkMap(
                relationship(Rel.OWNS, Label.PERSON, Label.ASSET),
                source=Column(f"{owner}身份证号", to_resident_id),
                target=Column(key),
                since=Column("登记日期", to_date),
                until=Column("注销日期", to_date),
                identify=person(owner),
            ),
        ),
        depends_on=("household_registration",),
    )


VEHICLES = asset_register("vehicles", "机动车登记", m.AssetKind.VEHICLE, "号牌号码", "所有人")
PROPERTIES = asset_register(
    "properties", "不动产登记", m.AssetKind.REAL_ESTATE, "不动产权证号", "权利人"
)

SERVICE_PROJECTS = Source(
    name="service_projects",
    title="政府购买服务项目",
    record_key=Column("项目编号"),
    nodes=(
        NodeMap(
            m.ServiceProjectFields,
            {
                "code": Column("项目编号"),
                "name": Column("项目名称"),
                "year": Column("年度", to_int),
                "amount": Column("金额", to_number),
                "division_code": Column("区划代码"),
            },
        ),
    ),
    links=(
        LinkMap(
            relationship(Rel.FUNDS, Label.ORGANIZATION, Label.SERVICE_PROJECT),
            source=Column("购买单位信用代码"),
            target=Column("项目编号"),
            props=m.Funding,
            fields={"amount": Column("金额", to_number)},
        ),
        LinkMap(
            relationship(Rel.DELIVERS, Label.ORGANIZATION, Label.SERVICE_PROJECT),
            source=Column("承接单位信用代码"),
            target=Column("项目编号"),
        ),
        LinkMap(
            relationship(Rel.DELIVERED_IN, Label.SERVICE_PROJECT, Label.COMMUNITY),
            source=Column("项目编号"),
            target=Column("服务社区代码"),
            optional=True,
        ),
    ),
    depends_on=("communities", "social_organizations"),
)

# 社区工作者名册: who serves each community, in which role, employed by whom; a social
# worker's qualification (职业资格) is the person's.
SERVICE_ROLES = {
    "社会工作者": m.ServiceRole.SOCIAL_WORKER,
    "经办人员": m.ServiceRole.CASE_OFFICER,
    "村(居)委会成员": m.ServiceRole.COMMITTEE_MEMBER,
    "居委会委员": m.ServiceRole.COMMITTEE_MEMBER,
    "村委会委员": m.ServiceRole.COMMITTEE_MEMBER,
}
QUALIFICATIONS = {
    "助理社会工作师": m.SocialWorkerLevel.ASSISTANT,
    "社会工作师": m.SocialWorkerLevel.INTERMEDIATE,
    "高级社会工作师": m.SocialWorkerLevel.SENIOR,
}
COMMUNITY_WORKERS = Source(
    name="community_workers",
    title="社区工作者名册",
    record_key=Column("记录号"),
    nodes=(
        NodeMap(
            m.PersonFields,
            {
                "id_number": Column("身份证号", to_resident_id),
                "name": Column("姓名"),
                "social_worker_level": Column("职业资格", coded(QUALIFICATIONS)),
            },
            when=Column("身份证号"),  # without one, the person is resolved (no qualification)
        ),
    ),
    links=(
        LinkMap(
            relationship(Rel.SERVES, Label.PERSON, Label.COMMUNITY),
            source=Column("身份证号", to_resident_id),
            target=Column("社区代码"),
            props=m.Service,
            fields={"role": Column("角色", coded(SERVICE_ROLES))},
            since=Column("任职日期", to_date),
            until=Column("离任日期", to_date),
            identify=PERSON,
        ),
        LinkMap(
            relationship(Rel.EMPLOYED_BY, Label.PERSON, Label.ORGANIZATION),
            source=Column("身份证号", to_resident_id),
            target=Column("用人单位信用代码"),
            props=m.Employment,
            fields={"position": Column("角色")},
            since=Column("任职日期", to_date),
            until=Column("离任日期", to_date),
            optional=True,  # committee members are elected, not employed
            identify=PERSON,
        ),
    ),
    depends_on=("household_registration", "communities", "social_organizations"),
)

# 志愿者注册: volunteers registered with a community.
VOLUNTEERS = Source(
    name="volunteers",
    title="志愿者注册",
    record_key=Column("记录号"),
    links=(
        LinkMap(
            relationship(Rel.VOLUNTEERS_FOR, Label.PERSON, Label.COMMUNITY),
            source=Column("身份证号", to_resident_id),
            target=Column("社区代码"),
            since=Column("注册日期", to_date),
            until=Column("注销日期", to_date),
            identify=PERSON,
        ),
    ),
    depends_on=("household_registration", "communities"),
)

# 社会组织进社区服务备案: social organizations serving a community.
COMMUNITY_SERVICES = Source(
    name="community_services",
    title="社会组织进社区服务备案",
    record_key=Column("备案号"),
    links=(
        LinkMap(
            relationship(Rel.SERVES, Label.ORGANIZATION, Label.COMMUNITY),
            source=Column("统一社会信用代码"),
            target=Column("社区代码"),
            props=m.Service,
            fields={"role": const(m.ServiceRole.SERVICE_PROVIDER)},
            since=Column("开始日期", to_date),
            until=Column("结束日期", to_date),
        ),
    ),
    depends_on=("communities", "social_organizations"),
)
