"""What the relationship fields of the node types read: the hops of each field (type, field)
and how its items are named. The read planner compiles them into its statement; where it
does not, the fields read them through DataLoaders (civgraph/resolvers/related.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import LiteralString

from civgraph.graph.catalog import Label, Rel, RelSpec, relationship
from civgraph.graph.links import LinkQuery

L, R = Label, Rel


@dataclass(frozen=True, slots=True)
class Part:
    """Relationships of one type from the near node to nodes of one label."""

    rel: Rel
    near: Label
    far: Label
    outgoing: bool = True
    via: str | None = None  # an Enrollment's `via` (GraphQL enum name)
    through: RelSpec | None = None  # a first hop to the node these start from

    @property
    def spec(self) -> RelSpec:
        source, target = (self.near, self.far) if self.outgoing else (self.far, self.near)
        return relationship(self.rel, source, target)

    def links(self, as_of: date | None, first: int, after: tuple[str, str] | None) -> LinkQuery:
        """How the DataLoader path reads these relationships."""
        return LinkQuery(self.spec, self.outgoing, as_of, first, after)


@dataclass(frozen=True, slots=True)
class Relation:
    """A relationship field: its parts, read in order and concatenated; its items are edges
    naming the near and far nodes (`near`, `far`: the edge type's field names), or the far
    nodes themselves (`edge` False)."""

    parts: tuple[Part, ...]
    edge: bool = True
    near: str | None = None
    far: str | None = None
    role_filter: bool = False  # takes `role`, kept on the relationship's `role`
    by_score: bool = False  # best first: by the relationship's `score`, descending


@dataclass(frozen=True, slots=True)
class Lookup:
    """A node field read by natural key from a property of the near node."""

    label: Label
    by: LiteralString


def one(
    rel: Rel, start: Label, end: Label, outgoing: bool = True, *, near: str, far: str
) -> Relation:
    """Relationships of one type to one label, as edges naming both ends."""
    return Relation((Part(rel, start, end, outgoing),), near=near, far=far)


def nodes(rel: Rel, start: Label, end: Label, outgoing: bool = True) -> Relation:
    """Relationships of one type to one label, as the nodes at their other end."""
    return Relation((Part(rel, start, end, outgoing),), edge=False)


MEMBERSHIP = relationship(R.MEMBER_OF, L.PERSON, L.HOUSEHOLD)

RELATIONS: dict[tuple[str, str], Relation] = {
    ("Region", "children"): nodes(R.PART_OF, L.REGION, L.REGION, False),
    ("Region", "communities"): nodes(R.PART_OF, L.REGION, L.COMMUNITY, False),
    ("Region", "organizations"): nodes(R.LOCATED_IN, L.REGION, L.ORGANIZATION, False),
    ("Community", "households"): nodes(R.REGISTERED_IN, L.COMMUNITY, L.HOUSEHOLD, False),
    ("Community", "residents"): one(R.RESIDES_IN, L.COMMUNITY, L.PERSON, False,
                                    near="community", far="person"),
    ("Community", "facilities"): nodes(R.LOCATED_IN, L.COMMUNITY, L.FACILITY, False),
    ("Community", "servingOrganizations"): one(R.SERVES, L.COMMUNITY, L.ORGANIZATION, False,
                                               near="community", far="provider"),
    ("Community", "serviceProjects"): nodes(R.DELIVERED_IN, L.COMMUNITY, L.SERVICE_PROJECT,
                                            False),
    ("Community", "volunteers"): one(R.VOLUNTEERS_FOR, L.COMMUNITY, L.PERSON, False,
                                     near="target", far="person"),
    ("Household", "members"): one(R.MEMBER_OF, L.HOUSEHOLD, L.PERSON, False,
                                  near="household", far="person"),
    ("Household", "benefits"): Relation(
        (Part(R.ENROLLED_IN, L.HOUSEHOLD, L.PROGRAM, via="HOUSEHOLD"),),
        near="beneficiary", far="program",
    ),
    ("Person", "households"): one(R.MEMBER_OF, L.PERSON, L.HOUSEHOLD,
                                  near="person", far="household"),
    ("Person", "programs"): Relation(
        (
            Part(R.ENROLLED_IN, L.PERSON, L.PROGRAM, via="PERSON"),
            Part(R.ENROLLED_IN, L.HOUSEHOLD, L.PROGRAM, via="HOUSEHOLD", through=MEMBERSHIP),
        ),
        near="beneficiary", far="program",
    ),
    ("Person", "posts"): one(R.HOLDS_POST, L.PERSON, L.ORGANIZATION,
                             near="person", far="organization"),
    ("Person", "employers"): one(R.EMPLOYED_BY, L.PERSON, L.ORGANIZATION,
                                 near="person", far="organization"),
    ("Person", "investments"): one(R.INVESTED_IN, L.PERSON, L.ORGANIZATION,
                                   near="investor", far="organization"),
    ("Person", "facilityResidences"): one(R.RESIDENT_OF, L.PERSON, L.FACILITY,
                                          near="person", far="facility"),
    ("Person", "residences"): one(R.RESIDES_IN, L.PERSON, L.COMMUNITY,
                                  near="person", far="community"),
    ("Person", "assets"): one(R.OWNS, L.PERSON, L.ASSET, near="owner", far="asset"),
    ("Person", "marriages"): Relation(
        (Part(R.MARRIED_TO, L.PERSON, L.PERSON), Part(R.MARRIED_TO, L.PERSON, L.PERSON, False)),
        far="spouse",
    ),
    ("Person", "cremation"): one(R.CREMATED_AT, L.PERSON, L.FACILITY,
                                 near="person", far="facility"),
    ("Person", "services"): one(R.SERVES, L.PERSON, L.COMMUNITY,
                                near="provider", far="community"),
    ("Person", "volunteering"): Relation(
        (Part(R.VOLUNTEERS_FOR, L.PERSON, L.ORGANIZATION),
         Part(R.VOLUNTEERS_FOR, L.PERSON, L.COMMUNITY)),
        near="person", far="target",
    ),
    ("Person", "donations"): one(R.DONATED_TO, L.PERSON, L.ORGANIZATION,
                                 near="donor", far="recipient"),
    ("Organization", "officers"): one(R.HOLDS_POST, L.ORGANIZATION, L.PERSON, False,
                                      near="organization", far="person"),
    ("Organization", "supervisors"): one(R.SUPERVISED_BY, L.ORGANIZATION, L.ORGANIZATION,
                                         near="organization", far="supervisor"),
    ("Organization", "supervised"): one(R.SUPERVISED_BY, L.ORGANIZATION, L.ORGANIZATION, False,
                                        near="supervisor", far="organization"),
    ("Organization", "facilities"): one(R.OPERATES, L.ORGANIZATION, L.FACILITY,
                                        near="operator", far="facility"),
    ("Organization", "fundedProjects"): one(R.FUNDS, L.ORGANIZATION, L.SERVICE_PROJECT,
                                            near="funder", far="project"),
    ("Organization", "deliveredProjects"): nodes(R.DELIVERS, L.ORGANIZATION,
                                                 L.SERVICE_PROJECT),
    ("Organization", "investors"): Relation(
        (Part(R.INVESTED_IN, L.ORGANIZATION, L.PERSON, False),
         Part(R.INVESTED_IN, L.ORGANIZATION, L.ORGANIZATION, False)),
        near="organization", far="investor",
    ),
    ("Organization", "investments"): one(R.INVESTED_IN, L.ORGANIZATION, L.ORGANIZATION,
                                         near="investor", far="organization"),
    ("Organization", "employees"): one(R.EMPLOYED_BY, L.ORGANIZATION, L.PERSON, False,
                                       near="organization", far="person"),
    ("Organization", "servedCommunities"): one(R.SERVES, L.ORGANIZATION, L.COMMUNITY,
                                               near="provider", far="community"),
    ("Organization", "donationsReceived"): Relation(
        (Part(R.DONATED_TO, L.ORGANIZATION, L.PERSON, False),
         Part(R.DONATED_TO, L.ORGANIZATION, L.ORGANIZATION, False)),
        near="recipient", far="donor",
    ),
    ("Organization", "volunteers"): one(R.VOLUNTEERS_FOR, L.ORGANIZATION, L.PERSON, False,
                                        near="target", far="person"),
    ("Organization", "assets"): one(R.OWNS, L.ORGANIZATION, L.ASSET, near="owner", far="asset"),
    ("Organization", "region"): nodes(R.LOCATED_IN, L.ORGANIZATION, L.REGION),
    ("Facility", "operators"): one(R.OPERATES, L.FACILITY, L.ORGANIZATION, False,
                                   near="facility", far="operator"),
    ("Facility", "community"): nodes(R.LOCATED_IN, L.FACILITY, L.COMMUNITY),
    ("Facility", "residents"): one(R.RESIDENT_OF, L.FACILITY, L.PERSON, False,
                                   near="facility", far="person"),
    ("Facility", "cremations"): one(R.CREMATED_AT, L.FACILITY, L.PERSON, False,
                                    near="facility", far="person"),
    ("ServiceProject", "funders"): one(R.FUNDS, L.SERVICE_PROJECT, L.ORGANIZATION, False,
                                       near="project", far="funder"),
    ("ServiceProject", "providers"): nodes(R.DELIVERS, L.SERVICE_PROJECT, L.ORGANIZATION,
                                           False),
    ("ServiceProject", "communities"): nodes(R.DELIVERED_IN, L.SERVICE_PROJECT, L.COMMUNITY),
    ("Asset", "owners"): Relation(
        (Part(R.OWNS, L.ASSET, L.PERSON, False), Part(R.OWNS, L.ASSET, L.ORGANIZATION, False)),
        near="asset", far="owner",
    ),
}  # fmt: skip

# Community.staff: the people serving it, narrowed by `role`.
RELATIONS["Community", "staff"] = Relation(
    (Part(R.SERVES, L.COMMUNITY, L.PERSON, False),),
    near="community", far="provider", role_filter=True,
)  # fmt: skip

# Entity resolution's open questions, either side, best first.
for owner, label, far in (("Person", L.PERSON, "person"),
                          ("Organization", L.ORGANIZATION, "organization")):  # fmt: skip
    RELATIONS[owner, "possiblySame"] = Relation(
        (Part(R.POSSIBLY_SAME, label, label), Part(R.POSSIBLY_SAME, label, label, False)),
        far=far, by_score=True,
    )  # fmt: skip

# Program.enrollments, of people or of households as the program's `beneficiary` says: a
# value the planner does not have when it plans, so only the DataLoader path reads these.
ENROLLMENTS: dict[Label, Relation] = {
    label: Relation(
        (Part(R.ENROLLED_IN, L.PROGRAM, label, False, via=via),),
        near="program", far="beneficiary",
    )
    for label, via in ((L.PERSON, "PERSON"), (L.HOUSEHOLD, "HOUSEHOLD"))
}  # fmt: skip

LOOKUPS: dict[tuple[str, str], Lookup] = {
    ("Region", "parent"): Lookup(L.REGION, "parentCode"),
    ("Community", "township"): Lookup(L.REGION, "townshipCode"),
    ("Household", "community"): Lookup(L.COMMUNITY, "communityCode"),
}
