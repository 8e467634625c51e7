"""Relationship types: a relationship's own properties, its period and provenance, and the
entities at both ends (built by the node types that read them)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from civgraph.graph import models
from civgraph.schema.enums import (
    EnrollmentStatus,
    MemberRelation,
    PostRank,
    ServiceRole,
    Via,
)
from civgraph.schema.scalars import Provenance

if TYPE_CHECKING:
    from civgraph.schema.nodes import (
        Asset,
        Community,
        Facility,
        Household,
        Organization,
        Person,
        Program,
        ServiceProject,
    )

NODES = "civgraph.schema.nodes"
PersonT = Annotated["Person", strawberry.lazy(NODES)]
HouseholdT = Annotated["Household", strawberry.lazy(NODES)]
OrganizationT = Annotated["Organization", strawberry.lazy(NODES)]
FacilityT = Annotated["Facility", strawberry.lazy(NODES)]
CommunityT = Annotated["Community", strawberry.lazy(NODES)]
ProgramT = Annotated["Program", strawberry.lazy(NODES)]
ProjectT = Annotated["ServiceProject", strawberry.lazy(NODES)]
AssetT = Annotated["Asset", strawberry.lazy(NODES)]
Party = Annotated[
    Annotated["Person", strawberry.lazy(NODES)] | Annotated["Organization", strawberry.lazy(NODES)],
    strawberry.union("Party", description="A person or an organization."),
]
Beneficiary = Annotated[
    Annotated["Person", strawberry.lazy(NODES)] | Annotated["Household", strawberry.lazy(NODES)],
    strawberry.union("Beneficiary", description="A person or a household enrolled in a program."),
]
VolunteerTarget = Annotated[
    Annotated["Organization", strawberry.lazy(NODES)]
    | Annotated["Community", strawberry.lazy(NODES)],
    strawberry.union("VolunteerTarget", description="An organization or a community."),
]


def period(link: models.Link) -> dict[str, Any]:
    """The fields every relationship type shares."""
    return {
        "since": link.since,
        "until": link.until,
        "provenance": Provenance(
            source=link.source,
            record_key=link.record_key,
            first_seen=link.first_seen,
            last_seen=link.last_seen,
        ),
    }


def props(link: models.Link, model: type[models.LinkFields]) -> Any:
    return model.model_validate(link.props, context=models.STORED_CONTEXT)


SINCE = "Start of the period (inclusive); null when not recorded."
UNTIL = "End of the period (inclusive); null while it lasts."


@strawberry.interface(description="A relationship with a period and a provenance.")
class Period:
    since: date | None = strawberry.field(description=SINCE)
    until: date | None = strawberry.field(description=UNTIL)
    provenance: Provenance


@strawberry.type(description="Membership of a person in a household (MEMBER_OF).")
class Membership(Period):
    relation: MemberRelation = strawberry.field(description="Relation to the head (与户主关系).")
    person: PersonT
    household: HouseholdT

    @classmethod
    def make(cls, link: models.Link, person: Any, household: Any) -> Membership:
        relation = props(link, models.Membership).relation
        return cls(**period(link), relation=relation, person=person, household=household)


@strawberry.type(description="Enrollment of a person or household in a program (ENROLLED_IN).")
class Enrollment(Period):
    status: EnrollmentStatus
    amount: float | None = strawberry.field(description="Amount paid, yuan a month.")
    case_no: str | None = strawberry.field(description="Case number (案号).")
    region_code: str = strawberry.field(description="The county that enrolled and pays.")
    relative_filed: bool | None
    eligible_cost: float | None
    via: Via = strawberry.field(
        description="PERSON: the beneficiary's own; HOUSEHOLD: the household's benefit."
    )
    program: ProgramT
    beneficiary: Beneficiary

    @classmethod
    def make(cls, link: models.Link, via: str, program: Any, beneficiary: Any) -> Enrollment:
        """`via`: a `Via` or its name (as a relation's part gives it)."""
        fields = props(link, models.Enrollment)
        return cls(
            **period(link), status=fields.status, amount=fields.amount, case_no=fields.case_no,
            region_code=fields.region_code, relative_filed=fields.relative_filed,
            eligible_cost=fields.eligible_cost, via=Via(via),
            program=program, beneficiary=beneficiary,
        )  # fmt: skip


@strawberry.type(description="A post held in an organization (HOLDS_POST): office, leadership, "
                 "enterprise legal representative, director or supervisor.")  # fmt: skip
class Post(Period):
    title: str
    rank: PostRank
    leading: bool = strawberry.field(description="A leadership post (领导职务).")
    approval_filed: bool | None = strawberry.field(
        description="Approved or filed under cadre-management rules (审批/备案); null when "
        "the source does not say."
    )
    paid: bool | None = strawberry.field(
        description="Receives pay or allowances from the organization; null when the source "
        "does not say."
    )
    person: PersonT
    organization: OrganizationT

    @classmethod
    def make(cls, link: models.Link, person: Any, organization: Any) -> Post:
        f = props(link, models.Post)
        return cls(
            **period(link), title=f.title, rank=f.rank, leading=f.leading,
            approval_filed=f.approval_filed, paid=f.paid, person=person, organization=organization,
        )  # fmt: skip


@strawberry.type(description="An investment in an organization (INVESTED_IN).")
class Investment(Period):
    share_percent: float | None
    amount: float | None = strawberry.field(description="Subscribed capital, yuan.")
    investor: Party
    organization: OrganizationT

    @classmethod
    def make(cls, link: models.Link, investor: Any, organization: Any) -> Investment:
        f = props(link, models.Investment)
        return cls(
            **period(link), share_percent=f.share_percent, amount=f.amount,
            investor=investor, organization=organization,
        )  # fmt: skip


@strawberry.type(description="Employment (EMPLOYED_BY).")
class Employment(Period):
    position: str | None
    public_payroll: bool = strawberry.field(description="On the public payroll (财政供养).")
    person: PersonT
    organization: OrganizationT

    @classmethod
    def make(cls, link: models.Link, person: Any, organization: Any) -> Employment:
        f = props(link, models.Employment)
        return cls(
            **period(link), position=f.position, public_payroll=f.public_payroll,
            person=person, organization=organization,
        )  # fmt: skip


@strawberry.type(description="Service to a community (SERVES) by a person or an organization.")
class CommunityService(Period):
    role: ServiceRole
    provider: Party
    community: CommunityT

    @classmethod
    def make(cls, link: models.Link, provider: Any, community: Any) -> CommunityService:
        f = props(link, models.Service)
        return cls(**period(link), role=f.role, provider=provider, community=community)


@strawberry.type(description="Supervision by a supervising agency (业务主管单位, SUPERVISED_BY).")
class Supervision(Period):
    organization: OrganizationT
    supervisor: OrganizationT

    @classmethod
    def make(cls, link: models.Link, organization: Any, supervisor: Any) -> Supervision:
        return cls(**period(link), organization=organization, supervisor=supervisor)


@strawberry.type(description="Operation of a facility by an organization (OPERATES).")
class Operation(Period):
    operator: OrganizationT
    facility: FacilityT

    @classmethod
    def make(cls, link: models.Link, operator: Any, facility: Any) -> Operation:
        return cls(**period(link), operator=operator, facility=facility)


@strawberry.type(description="Residence in a care facility (RESIDENT_OF).")
class FacilityResidence(Period):
    bed: str | None
    person: PersonT
    facility: FacilityT

    @classmethod
    def make(cls, link: models.Link, person: Any, facility: Any) -> FacilityResidence:
        f = props(link, models.Residence)
        return cls(**period(link), bed=f.bed, person=person, facility=facility)


@strawberry.type(description="Residence in a community (RESIDES_IN).")
class CommunityResidence(Period):
    person: PersonT
    community: CommunityT

    @classmethod
    def make(cls, link: models.Link, person: Any, community: Any) -> CommunityResidence:
        return cls(**period(link), person=person, community=community)


@strawberry.type(description="A donation (DONATED_TO).")
class Donation:
    amount: float = strawberry.field(description="Yuan.")
    donated_on: date
    provenance: Provenance
    donor: Party
    recipient: OrganizationT

    @classmethod
    def make(cls, link: models.Link, donor: Any, recipient: Any) -> Donation:
        f = props(link, models.Donation)
        p = period(link)
        return cls(
            amount=f.amount, donated_on=f.donated_on, provenance=p["provenance"],
            donor=donor, recipient=recipient,
        )  # fmt: skip


@strawberry.type(description="Volunteering (志愿服务, VOLUNTEERS_FOR).")
class Volunteering(Period):
    person: PersonT
    target: VolunteerTarget

    @classmethod
    def make(cls, link: models.Link, person: Any, target: Any) -> Volunteering:
        return cls(**period(link), person=person, target=target)


@strawberry.type(description="Funding of a government-purchased service project (FUNDS).")
class Funding:
    amount: float = strawberry.field(description="Yuan.")
    provenance: Provenance
    funder: OrganizationT
    project: ProjectT

    @classmethod
    def make(cls, link: models.Link, funder: Any, project: Any) -> Funding:
        f = props(link, models.Funding)
        return cls(
            amount=f.amount, provenance=period(link)["provenance"], funder=funder, project=project
        )


@strawberry.type(description="A marriage on the register (MARRIED_TO); `until` is the divorce.")
class Marriage(Period):
    spouse: PersonT

    @classmethod
    def make(cls, link: models.Link, spouse: Any) -> Marriage:
        return cls(**period(link), spouse=spouse)


@strawberry.type(
    description="Entity resolution's grey band (POSSIBLY_SAME): a person known only from a "
    "record without an ID number, and someone it may be, for an investigator to judge."
)
class PossibleMatch:
    score: float = strawberry.field(description="Entity resolution's score (0 to 1).")
    match_key: str = strawberry.field(
        description="The evidence, readable: `name~typo+birthDate+sex+community`."
    )
    provenance: Provenance
    person: PersonT = strawberry.field(description="The other person.")

    @classmethod
    def make(cls, link: models.Link, person: Any) -> PossibleMatch:
        return cls(
            score=float(str(link.props["score"])), match_key=str(link.props["matchKey"]),
            provenance=period(link)["provenance"], person=person,
        )  # fmt: skip


@strawberry.type(
    description="Entity resolution's grey band for organizations (POSSIBLY_SAME): one known "
    "only from a record without a credit code, and one it may be, for an investigator to judge."
)
class PossibleOrganizationMatch:
    score: float = strawberry.field(description="Entity resolution's score (0 to 1).")
    match_key: str = strawberry.field(description="The evidence, readable: `name~variant+city`.")
    provenance: Provenance
    organization: OrganizationT = strawberry.field(description="The other organization.")

    @classmethod
    def make(cls, link: models.Link, organization: Any) -> PossibleOrganizationMatch:
        return cls(
            score=float(str(link.props["score"])), match_key=str(link.props["matchKey"]),
            provenance=period(link)["provenance"], organization=organization,
        )  # fmt: skip


@strawberry.type(description="A cremation record (火化, CREMATED_AT).")
class Cremation:
    cremated_on: date
    provenance: Provenance
    person: PersonT
    facility: FacilityT

    @classmethod
    def make(cls, link: models.Link, person: Any, facility: Any) -> Cremation:
        f = props(link, models.Cremation)
        return cls(
            cremated_on=f.cremated_on, provenance=period(link)["provenance"],
            person=person, facility=facility,
        )  # fmt: skip


@strawberry.type(description="Ownership of a vehicle or real estate (OWNS).")
class AssetOwnership(Period):
    owner: Party
    asset: AssetT

    @classmethod
    def make(cls, link: models.Link, owner: Any, asset: Any) -> AssetOwnership:
        return cls(**period(link), owner=owner, asset=asset)
