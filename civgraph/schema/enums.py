"""Enums shared by the API and the graph layer, with the department's terms as descriptions.

`strawberry.enum` registers the graph layer's own classes (and returns them), so the names
below are plain aliases and values pass between the layers unchanged.
"""

from __future__ import annotations

from enum import StrEnum

import strawberry

from civgraph.graph import identifiers, models
from civgraph.graph.changes import Operation

DESCRIPTIONS: dict[type[StrEnum], str] = {
    identifiers.Sex: "Sex as the resident identity number encodes it.",
    models.RegionLevel: "Level in the administrative division tree (行政区划).",
    models.CommunityKind: "URBAN: residents' committee (居委会); "
    "VILLAGE: villagers' committee (村委会).",
    models.HouseholdKind: "Urban or rural household registration (城镇/农村户口).",
    models.MemberRelation: "Relation to the head of household (与户主关系).",
    models.SocialWorkerLevel: "Social-worker licence: ASSISTANT 助理社会工作师, "
    "INTERMEDIATE 社会工作师, SENIOR 高级社会工作师.",
    models.OrganizationKind: "SOCIAL_GROUP 社会团体, PRIVATE_NON_ENTERPRISE 民办非企业单位, "
    "FOUNDATION 基金会, SOCIAL_WORK_AGENCY 社会工作服务机构, GOVERNMENT_AGENCY 政府部门, "
    "PARTY_ORGAN 党的机关, PUBLIC_INSTITUTION 事业单位, ENTERPRISE 企业.",
    models.OrganizationStatus: "Registration status (登记状态).",
    models.EvaluationGrade: "Third-party evaluation grade (评估等级), 1A to 5A.",
    models.FacilityKind: "ELDERLY_CARE_HOME 养老机构, RURAL_NURSING_HOME 敬老院, HAPPINESS_HOME "
    "农村幸福院, CHILD_WELFARE_HOME 儿童福利机构, COMMUNITY_SERVICE_CENTER 社区服务中心/站, "
    "CHARITY_SUPERMARKET 慈善超市, RESCUE_STATION 救助管理站, FUNERAL_HOME 殡仪馆, "
    "MARRIAGE_REGISTRY 婚姻登记处, INCUBATION_BASE 孵化基地.",
    models.Ownership: "PUBLIC: publicly run (公办); SOCIAL: socially run (社会办).",
    models.ProgramCode: "DIBAO_URBAN/DIBAO_RURAL minimum living guarantee (城市/农村低保), TEKUN "
    "extreme-poverty support (特困供养), TEMPORARY_ASSISTANCE 临时救助, MEDICAL_ASSISTANCE "
    "医疗救助, ORPHAN_SUPPORT 孤儿基本生活保障, OLD_AGE_ALLOWANCE 高龄津贴, CARE_SUBSIDY 护理补贴, "
    "BURIAL_SUBSIDY 惠民殡葬补贴, SOCIAL_WORK_SERVICE 社会工作服务, CHARITY_AID 慈善救助.",
    models.Beneficiary: "Whether a program enrolls households or persons.",
    models.EnrollmentStatus: "ACTIVE 在保, SUSPENDED 暂停, ENDED 停保.",
    models.AssetKind: "VEHICLE 车辆, REAL_ESTATE 不动产.",
    models.ServiceRole: "SOCIAL_WORKER 社工, CASE_OFFICER 经办人员, "
    "COMMITTEE_MEMBER 村(居)委会成员, "
    "SERVICE_PROVIDER an organization serving the community.",
    models.PostRank: "Cadre rank (职级): PROVINCIAL 省部级, BUREAU 厅局级, DIVISION 县处级, "
    "SECTION 乡科级; NONE for posts outside the cadre system.",
}


class Via(StrEnum):
    PERSON = "PERSON"
    HOUSEHOLD = "HOUSEHOLD"


DESCRIPTIONS[Via] = "PERSON: the beneficiary's own enrollment; HOUSEHOLD: their household's."

DESCRIPTIONS[Operation] = (
    "What a change did: a node created, updated or deleted; a relationship created, updated, "
    "ended (its period got an end date) or deleted; INITIAL_LOAD: the graph was loaded anew "
    "(`civgraph load --initial`), history begins there and a consumer reads the graph again."
)

# GraphQL names that differ from the class name (`Beneficiary` is the union of Person and
# Household).
NAMES: dict[type[StrEnum], str] = {
    models.Beneficiary: "BeneficiaryKind",
    Operation: "ChangeOperation",
}

for enum_class, description in DESCRIPTIONS.items():
    strawberry.enum(enum_class, name=NAMES.get(enum_class), description=description)

Sex = identifiers.Sex
RegionLevel = models.RegionLevel
CommunityKind = models.CommunityKind
HouseholdKind = models.HouseholdKind
MemberRelation = models.MemberRelation
SocialWorkerLevel = models.SocialWorkerLevel
OrganizationKind = models.OrganizationKind
OrganizationStatus = models.OrganizationStatus
EvaluationGrade = models.EvaluationGrade
FacilityKind = models.FacilityKind
Ownership = models.Ownership
ProgramCode = models.ProgramCode
BeneficiaryKind = models.Beneficiary
EnrollmentStatus = models.EnrollmentStatus
AssetKind = models.AssetKind
ServiceRole = models.ServiceRole
PostRank = models.PostRank
ChangeOperation = Operation
