"""Investigation queries (investigators and admins): findings of the work plan's rules,
each with its evidence — entities, relationships with their periods, source records."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON
from strawberry.types.field import StrawberryField

from civgraph.graph import rules, tracing, verification
from civgraph.graph.catalog import Label, Rel
from civgraph.graph.changes import plain
from civgraph.graph.rules import BASIS, Finding, Rule, Thresholds
from civgraph.graph.rules import evidence as graph_evidence
from civgraph.graph.rules import reviews as graph_reviews
from civgraph.graph.rules.reviews import Review, ReviewStatus
from civgraph.graph.rules.signals import SignalKind
from civgraph.resolvers.cursors import decode_cursor, encode_cursor
from civgraph.resolvers.errors import UserError
from civgraph.resolvers.investigations import thresholds_of
from civgraph.schema.context import Info
from civgraph.schema.reading import decode_id, page_size, wrap
from civgraph.schema.scalars import DivisionCode, PageInfo, SourceRecord
from civgraph.schema.views import REGION

strawberry.enum(Rule, name="InvestigationRule", description="The rules investigations check.")
strawberry.enum(
    SignalKind, description="A cross-registry signal of the 核对 (household economic-status "
    "verification): ENTERPRISE_ROLE, INVESTMENT (in an active enterprise), VEHICLE, PROPERTY, "
    "PUBLIC_PAYROLL (财政供养) are means; OTHER_ENROLLMENT, CREMATION, MARRIAGE are shown."
)  # fmt: skip
strawberry.enum(
    ReviewStatus, description="An investigator's mark on a finding: UNDER_REVIEW, CONFIRMED, "
    "DISMISSED."
)  # fmt: skip


@strawberry.type(description="An investigator's mark on a finding, with the marks before it.")
class FindingReview:
    status: ReviewStatus = strawberry.field(description="The current mark.")
    note: str | None = strawberry.field(description="Why, in the investigator's words.")
    by: str = strawberry.field(description="Who marked it (`api-key:<id>` or `jwt:<sub>`).")
    at: datetime = strawberry.field(description="When.")
    history: JSON = strawberry.field(description="Every mark, oldest first: status, note, by, at.")

    @classmethod
    def of(cls, review: Review) -> FindingReview:
        return cls(status=review.status, note=review.note, by=review.by, at=review.at,
                   history=JSON(review.history))  # fmt: skip


@strawberry.type(description="A relationship that makes a finding true, with its period.")
class EvidenceLink:
    type: str = strawberry.field(description="The relationship type.")
    source: relay.Node = strawberry.field(description="The entity it goes from.")
    target: relay.Node = strawberry.field(description="The entity it goes to.")
    since: date | None = strawberry.field(description="Start of its period.")
    until: date | None = strawberry.field(description="End of its period; null: lasting.")
    properties: JSON = strawberry.field(description="Its properties (status, amount, …).")
    record: SourceRecord | None = strawberry.field(description="The source record that stated it.")


@strawberry.type(
    description="What a finding's evidence holds outside the reader's region: left out, "
    "counted, with the counties it lies in (docs/security.md)."
)
class WithheldEvidence:
    entities: int = strawberry.field(description="Entities left out.")
    links: int = strawberry.field(description="Relationships left out (an end outside).")
    region_codes: list[str] = strawberry.field(description="The counties they lie in.")


def withheld_of(withheld: graph_evidence.Withheld | None) -> WithheldEvidence | None:
    if withheld is None:
        return None
    return WithheldEvidence(entities=withheld.entities, links=withheld.links,
                            region_codes=withheld.region_codes)  # fmt: skip


@strawberry.type(description="One situation a rule says must not happen, with its evidence.")
class InvestigationFinding:
    rule: Rule = strawberry.field(description="The rule it breaks.")
    basis: str = strawberry.field(description="The rule's basis, in one line.")
    key: str = strawberry.field(description="Stable across runs: the same situation, same key.")
    region_code: str | None = strawberry.field(description="Where it is.")
    entities: list[relay.Node] = strawberry.field(description="The entities concerned.")
    evidence: list[EvidenceLink] = strawberry.field(
        description="The relationships that make it true."
    )
    sources: list[SourceRecord] = strawberry.field(description="The records behind them.")
    detail: JSON = strawberry.field(description="The rule's figures (dates, counts).")
    review: FindingReview | None = strawberry.field(
        description="The investigators' mark on it; null while unmarked."
    )
    confidence: float = strawberry.field(
        description="1.0 when every record in it was tied to its entity by a natural key or "
        "a confident match; otherwise the score of the possible match (`POSSIBLY_SAME`, in "
        "the evidence) it rests on: a lower-confidence finding to check."
    )
    withheld: WithheldEvidence | None = strawberry.field(
        description="Evidence outside the reader's region, left out; null: nothing was."
    )

    @classmethod
    def of(cls, finding: Finding, review: Review | None = None) -> InvestigationFinding:
        return cls(
            review=FindingReview.of(review) if review else None,
            rule=finding.rule, basis=BASIS[finding.rule], key=finding.key,
            region_code=finding.region_code,
            entities=[wrap(label, record) for label, record in finding.entities],
            evidence=[evidence_link(link) for link in finding.links],
            sources=[SourceRecord.of(ref) for ref in finding.records],
            detail=JSON(plain_map(finding.detail)), confidence=finding.confidence,
            withheld=withheld_of(finding.withheld),
        )  # fmt: skip


def plain_map(values: dict[str, Any]) -> dict[str, Any]:
    return {name: plain(value) for name, value in values.items()}


@strawberry.type(description="A page of findings.")
class FindingPage:
    findings: list[InvestigationFinding] = strawberry.field(description="This page's findings.")
    page_info: PageInfo
    query: strawberry.Private[tuple[Rule, str, date, Thresholds]]

    @strawberry.field(
        description="How many findings the rule has in the region on the day (one more "
        "matching of the rule: ask for it only when needed)."
    )
    async def total_count(self, info: Info) -> int:
        rule, prefix, as_of, thresholds = self.query
        return await rules.count_findings(info.context.scoped, rule, prefix, as_of, thresholds)


async def page(
    info: Info, rule: Rule, region_code: DivisionCode | None, as_of: date | None, first: int,
    after: str | None,
) -> FindingPage:  # fmt: skip
    prefix = info.context.region(region_code)
    first = page_size(info, first)
    after_key = decode_cursor(after, 1)[0] if after else None
    day, thresholds = as_of or date.today(), thresholds_of(info.context.settings)
    found = await rules.findings(
        info.context.scoped, rule, prefix, day, first + 1, after_key, thresholds
    )
    shown = found[:first]
    # the marks of the findings just read (in scope): keyed by them, they belong to no region
    marks = await graph_reviews.reviews(info.context.graph, rule, [f.key for f in shown])
    return FindingPage(
        query=(rule, prefix, day, thresholds),
        findings=[InvestigationFinding.of(f, marks.get(f.key)) for f in shown],
        page_info=PageInfo(
            has_next_page=len(found) > first,
            end_cursor=encode_cursor(shown[-1].key) if shown else None,
        ),
    )


strawberry.enum(Rel, name="RelationshipType", description="A relationship type of the catalog.")


@strawberry.type(description="One shortest connection: its entities in order, and the "
                 "relationships between them.")  # fmt: skip
class TracedPath:
    nodes: list[relay.Node] = strawberry.field(description="The entities, from one end on.")
    links: list[EvidenceLink] = strawberry.field(description="The relationships, in order.")


@strawberry.type(description="The relationships around an entity, bounded.")
class Neighborhood:
    links: list[EvidenceLink] = strawberry.field(description="The relationships found.")
    truncated: bool = strawberry.field(
        description="More relationships lie within the hops than `limit`."
    )


def evidence_link(link: graph_evidence.EvidenceLink) -> EvidenceLink:
    return EvidenceLink(
        type=link.type, source=wrap(link.source_label, link.source),
        target=wrap(link.target_label, link.target), since=link.since, until=link.until,
        properties=JSON(plain_map(link.properties)),
        record=SourceRecord.of(link.record) if link.record else None,
    )  # fmt: skip


def entity(global_id: str, field: str, label: Label | None = None) -> tuple[Label, str]:
    try:
        return decode_id(global_id, label)
    except ValueError as error:
        raise UserError(f"{field}: {error}") from error


def bounded(value: int, low: int, high: int, name: str) -> int:
    if not low <= value <= high:
        raise UserError(f"{name} must be between {low} and {high}, not {value}")
    return value


@strawberry.type
class Tracing:
    @strawberry.field(
        description="The shortest connections between two entities through the relationship "
        "types `via` (by default ties between people and organizations), in effect on `asOf`, "
        "at most `maxHops` (≤ 6) long (investigators)."
    )
    async def paths(
        self, info: Info, from_: Annotated[strawberry.ID, strawberry.argument(name="from")],
        to: strawberry.ID, max_hops: int = 4, via: list[Rel] | None = None,
        as_of: date | None = None, first: int = 10,
    ) -> list[TracedPath]:  # fmt: skip
        found = await tracing.paths(
            info.context.scoped, entity(from_, "from"), entity(to, "to"),
            hops=bounded(max_hops, 1, tracing.MAX_PATH_HOPS, "maxHops"),
            via=via or tracing.TIES, as_of=as_of or date.today(), limit=page_size(info, first),
        )  # fmt: skip
        return [
            TracedPath(nodes=[wrap(label, record) for label, record in path.nodes],
                       links=[evidence_link(link) for link in path.links])
            for path in found
        ]  # fmt: skip

    @strawberry.field(
        description="The relationships within `hops` (≤ 3) of an entity through `via`, in "
        "effect on `asOf`, at most `limit` (≤ 500) (investigators)."
    )
    async def neighborhood(
        self, info: Info, id: strawberry.ID, hops: int = 1, via: list[Rel] | None = None,
        as_of: date | None = None, limit: int = 100,
    ) -> Neighborhood:  # fmt: skip
        found = await tracing.neighborhood(
            info.context.scoped, entity(id, "id"),
            hops=bounded(hops, 1, tracing.MAX_NEIGHBORHOOD_HOPS, "hops"),
            via=via or tracing.TIES, as_of=as_of or date.today(),
            limit=bounded(limit, 1, 500, "limit"),
        )  # fmt: skip
        return Neighborhood(links=[evidence_link(link) for link in found.links],
                            truncated=found.truncated)  # fmt: skip


@strawberry.type(description="A cross-registry signal on a person.")
class MemberSignal:
    kind: SignalKind = strawberry.field(description="What kind of signal.")
    evidence: EvidenceLink = strawberry.field(description="The relationship, with its record.")
    confidence: float = strawberry.field(
        description="1.0 for the person's own; else the score of the possible match "
        "(`POSSIBLY_SAME`) whose record it is: the rules count it too, with lower confidence."
    )

    @classmethod
    def of(cls, signal: verification.Signal) -> MemberSignal:
        return cls(kind=signal.kind, evidence=evidence_link(signal.link),
                   confidence=signal.confidence)  # fmt: skip


@strawberry.type(
    description="A current spouse on the marriage register outside the household, with their "
    "own means (a spouse is part of the means test)."
)
class OutsideSpouse:
    person: relay.Node = strawberry.field(description="The spouse.")
    marriage: EvidenceLink = strawberry.field(description="The marriage, with its record.")
    signals: list[MemberSignal] = strawberry.field(description="The spouse's means signals.")


@strawberry.type(description="A member of the household on the day, with every signal.")
class MemberVerification:
    person: relay.Node = strawberry.field(description="The member.")
    signals: list[MemberSignal] = strawberry.field(description="What the registries say.")
    spouses_outside: int = strawberry.field(
        description="Current spouses on the marriage register who are not in the household."
    )
    outside_spouses: list[OutsideSpouse] = strawberry.field(
        description="Those spouses, each with the marriage and their own means signals."
    )


@strawberry.type(description="One 核对 check and whether the household passes it.")
class VerificationCheck:
    name: str = strawberry.field(description="The check.")
    passed: bool = strawberry.field(description="Whether the household passes it.")
    failing: int = strawberry.field(description="How many signals fail it.")


@strawberry.type(
    description="The household verification report (家庭经济状况核对): members, signals, "
    "enrollments, checks."
)
class VerificationReport:
    household: relay.Node = strawberry.field(description="The household.")
    as_of: date = strawberry.field(description="The day it describes.")
    members: list[MemberVerification] = strawberry.field(description="Its members that day.")
    enrollments: list[EvidenceLink] = strawberry.field(
        description="The household's enrollments in effect that day."
    )
    checks: list[VerificationCheck] = strawberry.field(
        description="The 核对 checks, judged on everything the registries hold (outside the "
        "reader's region too)."
    )
    withheld: WithheldEvidence | None = strawberry.field(
        description="Spouses and signals outside the reader's region, left out of `members` "
        "(counted in the checks); null: nothing was."
    )


@strawberry.type
class Verification:
    @strawberry.field(
        description="The verification report of a household on `asOf` (caseworkers, "
        "investigators); null outside the caller's region."
    )
    async def verification_report(
        self, info: Info, household_id: strawberry.ID, as_of: date | None = None
    ) -> VerificationReport | None:
        _, node_id = entity(household_id, "householdId", Label.HOUSEHOLD)
        report = await verification.verification_report(
            info.context.scoped, node_id, as_of or date.today()
        )
        if report is None:
            return None
        return VerificationReport(
            household=wrap(Label.HOUSEHOLD, report.household),
            as_of=report.as_of,
            members=[MemberVerification(
                person=wrap(Label.PERSON, m.person),
                signals=[MemberSignal.of(s) for s in m.signals],
                spouses_outside=m.spouses_outside,
                outside_spouses=[OutsideSpouse(
                    person=wrap(Label.PERSON, o.person), marriage=evidence_link(o.marriage),
                    signals=[MemberSignal.of(s) for s in o.signals],
                ) for o in m.outside_spouses],
            ) for m in report.members],
            enrollments=[evidence_link(link) for link in report.enrollments],
            checks=[VerificationCheck(name=c.name, passed=c.passed, failing=c.failing)
                    for c in report.checks],
            withheld=withheld_of(report.withheld),
        )  # fmt: skip


# The rules' root fields: name, rule, description (the role is in auth/policy.py).
RULE_FIELDS: tuple[tuple[str, Rule, str], ...] = (
    ("concurrent_posts", Rule.CONCURRENT_POSTS,
     "Serving leading cadres who also lead a social organization (兼任)."),
    ("not_decoupled", Rule.NOT_DECOUPLED,
     "Industry associations not decoupled from government: supervised by an agency, serving "
     "officials among their officers, at an agency's address or paid through its funding "
     "account (脱钩)."),
    ("retired_cadre_posts", Rule.RETIRED_CADRE_POSTS,
     "Retired leading cadres leading social organizations against the provisions: over "
     "CIVGRAPH_RETIRED_CADRE_AGE, several posts, within CIVGRAPH_COOLING_OFF_YEARS in the "
     "sector they governed, unfiled, paid."),
    ("benefits_after_death", Rule.BENEFITS_AFTER_DEATH,
     "Enrollments in payment after the beneficiary's cremation or registered death."),
    ("duplicate_enrollments", Rule.DUPLICATE_ENROLLMENT,
     "People or households enrolled in one program by two regions for overlapping periods."),
    ("two_households", Rule.TWO_HOUSEHOLDS,
     "People members of two households for overlapping periods."),
    ("under_age_allowance", Rule.UNDER_AGE_ALLOWANCE,
     "Old-age allowance paid to people younger than CIVGRAPH_OLD_AGE_ALLOWANCE_AGE by their "
     "ID number's birth date."),
    ("assisted_means", Rule.ASSISTED_MEANS,
     "Members of households on 低保, and people on 特困, with undeclared means: enterprise "
     "roles or shares, vehicles, several properties, the public payroll (核对)."),
    ("hidden_spouses", Rule.HIDDEN_SPOUSE,
     "Members of households on 低保, and people on 特困, married to someone outside the "
     "household."),
    ("officers_relatives", Rule.OFFICERS_RELATIVES,
     "Households on 低保 with a case officer or village/residents' committee member among "
     "their members and no 近亲属备案."),
    ("over_capacity", Rule.OVER_CAPACITY,
     "Care facilities housing more residents than their beds."),
)  # fmt: skip


def rule_field(rule: Rule, description: str) -> StrawberryField:
    async def resolve(
        info: Info,
        region_code: Annotated[DivisionCode | None, strawberry.argument(description=REGION)] = None,
        as_of: date | None = None, first: int = 20, after: str | None = None,
    ) -> FindingPage:  # fmt: skip
        return await page(info, rule, region_code, as_of, first, after)

    field: StrawberryField = strawberry.field(  # type: ignore[assignment]
        resolver=resolve,
        description=f"{description} Findings of {rule.value} in the region on `asOf` "
        "(investigators).",
    )
    return field


class Investigations(Tracing, Verification):
    """Tracing, verification and the rules' fields (from RULE_FIELDS, set below)."""


for name, rule, text in RULE_FIELDS:
    setattr(Investigations, name, rule_field(rule, text))
strawberry.type(Investigations)  # after the fields are set: decorating reads them


async def review_finding(
    info: Info, rule: Rule, key: str, status: ReviewStatus, note: str | None = None
) -> FindingReview:
    principal = info.context.principal
    by = principal.actor if principal else "anonymous"
    marked = await graph_reviews.review(info.context.graph, rule, key, status, note, by)
    return FindingReview.of(marked)


REVIEW_FINDING: StrawberryField = strawberry.mutation(  # type: ignore[assignment]
    resolver=review_finding,
    name="reviewFinding",
    description="Marks a finding (by rule and key) confirmed, dismissed or under review; "
    "earlier marks are kept (investigators).",
)
