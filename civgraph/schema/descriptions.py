"""Descriptions for fields whose meaning is the same wherever they appear (name,
provenance, page plumbing, filter operators, the ends of a relationship), filled into the
built schema where a field has none; a test keeps every type and field described."""

from __future__ import annotations

from graphql import GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType, GraphQLSchema

COMMON: dict[str, str] = {
    "name": "Name (姓名/名称).",
    "address": "Address as registered (地址).",
    "phone": "Phone number (联系电话).",
    "kind": "Kind; see the enum for the department's terms.",
    "level": "Level in the division tree.",
    "status": "Status; see the enum.",
    "code": "Code identifying it (its natural key).",
    "provenance": "The source registry and record this came from, first and last seen.",
    "divisionCode": "The most specific division code of where it is (6, 9 or 12 digits).",
    "registeredOn": "Date of registration (登记日期).",
    "grade": "Third-party evaluation grade (评估等级), if evaluated.",
    "ownership": "Publicly (公办) or socially (社会办) run.",
    "year": "Year.",
    "description": "Free-text description from the registry.",
    "beneficiary": "Who is enrolled: a person or a household.",
    "firstSeen": "When a load first saw this record.",
    "lastSeen": "When a load last saw this record.",
    "items": "The relationships on this page.",
    "pageInfo": "Where this page ends and whether another follows.",
    "edges": "The nodes of this page, each with its cursor.",
    "cursor": "Pass as `after` to continue after this node.",
    "node": "The node.",
    "hasNextPage": "Whether another page follows.",
    "person": "The person.",
    "household": "The household.",
    "organization": "The organization.",
    "facility": "The facility.",
    "community": "The community.",
    "program": "The program.",
    "project": "The service project.",
    "asset": "The asset.",
    "spouse": "The other party of the marriage.",
    "supervisor": "The supervising agency (业务主管单位).",
    "operator": "The operating organization.",
    "funder": "The funding organization.",
    "investor": "The investing person or organization.",
    "owner": "The owning person or organization.",
    "provider": "The person or organization providing the service.",
    "donor": "The donating person or organization.",
    "recipient": "The receiving organization.",
    "target": "The organization or community volunteered for.",
    "role": "Role in the community (社工, 经办人员, 村(居)委会成员, service provider).",
    "title": "Title of the post (职务).",
    "rank": "Cadre rank (职级) of the post.",
    "position": "Position held.",
    "bed": "Bed number.",
    "sharePercent": "Share of the capital, percent.",
    "crematedOn": "Date of cremation.",
    "donatedOn": "Date of the donation.",
    "score": "Relevance (Lucene score); higher is better.",
    "entity": "The matching entity, as its own type.",
    "sex": "Sex.",
    "eq": "Equal to.",
    "in": "Equal to one of.",
    "contains": "Contains this text.",
    "startsWith": "Starts with this text.",
    "gte": "At least (inclusive).",
    "lte": "At most (inclusive).",
    "from": "First day (inclusive); open when null.",
    "to": "Last day (inclusive); open when null.",
    "programs": "Any of these programs.",
    "during": "In effect at some time in this period.",
    "enrolledIn": "Enrolled in programs.",
    "idNumber": "Resident identity number (居民身份证号码).",
    "uscc": "Unified social credit code (统一社会信用代码).",
    "number": "Household number (户号).",
    "birthDate": "Date of birth.",
    "industryAssociation": "Industry associations (行业协会商会) only, or none of them.",
    "charityCertified": "Recognised charitable organizations only, or none of them.",
    "legalPersonRegistered": "Registered as a legal person (法人登记), or not.",
    "hasServicePlatform": "Has a community public-service information platform, or not.",
    "beds": "Number of beds.",
    "registration": "Plate number or property certificate number.",
    "sequence": "1, 2, 3, … in the order sent.",
    "at": "Server time when sent.",
    # mutations
    "message": "What went wrong, readable.",
    "id": "Its id (a global id for an entity).",
    "version": "Goes up with every write that changes a field (optimistic concurrency).",
    "expected": "The version the caller gave.",
    "actual": "The version stored.",
    "field": "The input field, as the schema names it.",
    "value": "The value given.",
    "reason": "Why it is not valid.",
    "problems": "Every problem found, one per field.",
    "since": "Start of the period (inclusive).",
    "until": "End of the period (inclusive).",
    "type": "The relationship type, as the catalog names it.",
    "properties": "Its properties (JSON: name → value).",
    "amount": "Amount in yuan (a month, for an enrollment).",
    "regionCode": "The county that enrolled (and pays).",
    "caseNo": "Case number (案号).",
    "relativeFiled": "The beneficiary is a relative of a case officer or committee member, and "
    "the application was filed as such (近亲属备案); null where the roll does not say.",
    "platformSince": "When its information platform went into service (平台建成日期).",
    "openedOn": "When it went into service (启用日期).",
    "eligibleCost": "The in-policy out-of-pocket cost a medical-assistance case covers part of "
    "(政策范围内自付费用, yuan).",
    "fundingAccount": "The bank account its funds go through (经费账户).",
    "parentCode": "The code of the region one level up; null for the province.",
    "townshipCode": "The code of the township (街道/镇/乡) it belongs to.",
    "communityCode": "The code of the community it is registered in.",
    "deathDate": "Date of death, when registered.",
    "socialWorkerLevel": "Social-worker licence level, if licensed.",
    "relation": "Relation to the head of household (与户主关系).",
    "leading": "A leading post (领导职务).",
    "approvalFiled": "Approved or filed under cadre management rules (审批/备案).",
    "paid": "Receives pay or allowances from the organization.",
    "publicPayroll": "On the public payroll (财政供养).",
}
TYPES: dict[str, str] = {
    "Query": "Reads: lookups, connections, cross-program views.",
    "Mutation": "Writes: create, upsert, update and delete per entity type; link, end and "
    "unlink per relationship type. Each is one transaction with its change events.",
    "Subscription": "Streams over graphql-transport-ws.",
}


def describe(schema: GraphQLSchema) -> GraphQLSchema:
    """Fills the common descriptions into fields (and root types) that have none."""
    for name, graphql_type in schema.type_map.items():
        if name in TYPES and not graphql_type.description:
            graphql_type.description = TYPES[name]
        if name.endswith("Result") and not graphql_type.description:
            graphql_type.description = "The payload, or why nothing was written."
        if isinstance(
            graphql_type, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType
        ):
            for field_name, field in graphql_type.fields.items():
                if not field.description and field_name in COMMON:
                    field.description = COMMON[field_name]
    return schema
