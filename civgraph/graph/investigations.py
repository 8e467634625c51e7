"""Investigation rules: what the work plan says must not happen, found in the graph with the
evidence that makes each finding true — the entities, the relationships with their
periods, and the source records behind them.

Each rule is one Cypher statement over a region (a division-code prefix) on a day,
ordered by a stable finding key so that pages are keyset pages. Every rule starts from an
index (a relationship type, a division-code range) rather than from all people.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, LiteralString

from civgraph.graph.catalog import Label
from civgraph.graph.driver import Graph
from civgraph.graph.links import STANDARD
from civgraph.graph.models import Stored, stored
from civgraph.graph.periods import in_effect, not_ended
from civgraph.graph.provenance import SourceRef


def link_map(rel: LiteralString, record: LiteralString = "null") -> LiteralString:
    """A relationship `rel` as evidence (what `link_of` reads): its type, ends with their
    labels, properties, and the source record `record` (a map expression, or null)."""
    return (
        "{type: type(" + rel + "), from: labels(startNode(" + rel + "))[0], "
        "fromNode: properties(startNode(" + rel + ")), to: labels(endNode(" + rel + "))[0], "
        "toNode: properties(endNode(" + rel + ")), rel: properties(" + rel + "), "
        "record: " + record + "}"
    )  # fmt: skip


# The source record stating relationship `ev` (for `link_map`).
RECORD_OF: LiteralString = (
    "OPTIONAL MATCH (rec:SourceRecord {key: ev.source + ':' + ev.recordKey}) "
)


def evidence(variables: LiteralString, relationships: LiteralString) -> LiteralString:
    """A subquery giving `links`: each relationship of the list `relationships` (a list
    expression over `variables`, which the subquery imports) with its type, ends, period,
    properties and source record."""
    return (
        "CALL (" + variables + ") { "
        "UNWIND [ev IN " + relationships + " WHERE ev IS NOT NULL] AS ev "
        + RECORD_OF + "RETURN collect(" + link_map("ev", "rec {.*}") + ") AS links } "
    )  # fmt: skip


def page(
    keyed: LiteralString, variables: LiteralString, relationships: LiteralString
) -> LiteralString:
    """A rule's tail: the items of a WITH clause `keyed`, the last of them the finding key
    (`… AS key`), after `$after`, `$limit` of them by key, with the evidence (`links`)
    of `relationships` (see `evidence`)."""
    return (
        "WITH " + keyed + " AS key WHERE $after IS NULL OR key > $after "
        "ORDER BY key LIMIT $limit " + evidence(variables, relationships)
    )


class Rule(StrEnum):
    CONCURRENT_POSTS = "CONCURRENT_POSTS"
    RETIRED_CADRE_POSTS = "RETIRED_CADRE_POSTS"
    NOT_DECOUPLED = "NOT_DECOUPLED"
    BENEFITS_AFTER_DEATH = "BENEFITS_AFTER_DEATH"
    DUPLICATE_ENROLLMENT = "DUPLICATE_ENROLLMENT"
    TWO_HOUSEHOLDS = "TWO_HOUSEHOLDS"
    UNDER_AGE_ALLOWANCE = "UNDER_AGE_ALLOWANCE"
    ASSISTED_MEANS = "ASSISTED_MEANS"
    HIDDEN_SPOUSE = "HIDDEN_SPOUSE"
    OVER_CAPACITY = "OVER_CAPACITY"
    OFFICERS_RELATIVES = "OFFICERS_RELATIVES"


# One line each: the rule's basis.
BASIS: dict[Rule, str] = {
    Rule.CONCURRENT_POSTS: "Serving party and government leading cadres may not concurrently "
    "lead social organizations (从严控制和规范管理党政机关领导干部兼任社会组织领导职务的暂行规定, "
    "work plan section 1).",
    Rule.RETIRED_CADRE_POSTS: "Retired leading cadres may lead a social organization only within "
    "the same provisions: under the age limit, one post, not within the cooling-off years in "
    "the sector they governed, approved and filed, unpaid.",
    Rule.NOT_DECOUPLED: "Industry associations and chambers of commerce are decoupled from "
    "administrative organs (脱钩, work plan section 1): no supervising agency, no serving "
    "officials among their officers, no shared premises or funding account.",
    Rule.BENEFITS_AFTER_DEATH: "Benefits stop at the beneficiary's death (社会救助暂行办法; the "
    "work plan's 核对 mechanism): an enrollment in payment after a cremation or a registered "
    "death is paid to no one entitled.",
    Rule.DUPLICATE_ENROLLMENT: "One beneficiary, one enrollment per program: the same person "
    "enrolled by two regions for overlapping periods is paid twice (社会救助暂行办法).",
    Rule.TWO_HOUSEHOLDS: "A person is registered in one household at a time (户口登记条例); two "
    "at once lets a household's means test leave out a member.",
    Rule.UNDER_AGE_ALLOWANCE: "The old-age allowance is for residents of at least the age the "
    "province sets (80, the work plan's section 6); the age is the ID number's birth date's.",
    Rule.OVER_CAPACITY: "A care facility may not house more residents than its registered "
    "beds (养老机构管理办法, the work plan's section 6).",
    Rule.ASSISTED_MEANS: "The 核对 checks (work plan section 4): a member of a household on 低保, "
    "or a person on 特困, who runs or owns part of an active enterprise, owns a vehicle or more "
    "than one property, or is on the public payroll has means the household did not declare.",
    Rule.HIDDEN_SPOUSE: "A married applicant's spouse belongs in the household's means test "
    "(核对), and is a 特困 person's legal supporter; a spouse on the marriage register but "
    "outside the assisted household is hidden.",
    Rule.OFFICERS_RELATIVES: "Applications from relatives of case officers and village or "
    "residents' committee members are registered and filed as such (最低生活保障审核审批办法, "
    "近亲属备案); an assisted household with an officer among its members and no filing is not.",
}

# The assisted on the day in the region: households on 低保 and their members then, and
# people on 特困 with their household then (if any); from the program nodes' enrollments.
# A household or person enrolled twice (a duplicate enrollment) counts once.
ASSISTED: LiteralString = (
    """
CALL () {
  MATCH (g:Program)<-[d:ENROLLED_IN]-(h:Household)
  WHERE g.code IN ['DIBAO_URBAN', 'DIBAO_RURAL'] AND d.status = 'ACTIVE'
    AND """
    + in_effect("d")
    + """
    AND h.divisionCode STARTS WITH $prefix
  WITH g, h, d ORDER BY d.key
  WITH g, h, collect(d)[0] AS d
  MATCH (x:Person)-[m:MEMBER_OF]->(h)
  WHERE """
    + in_effect("m")
    + """
  RETURN x, h, g, d, m
  UNION
  MATCH (g:Program {code: 'TEKUN'})<-[d:ENROLLED_IN]-(x:Person)
  WHERE d.status = 'ACTIVE' AND """
    + in_effect("d")
    + """ AND x.divisionCode STARTS WITH $prefix
  WITH g, x, d ORDER BY d.key
  WITH g, x, collect(d)[0] AS d
  OPTIONAL MATCH (x)-[m:MEMBER_OF]->(h:Household)
  WHERE """
    + in_effect("m")
    + """
  RETURN x, h, g, d, m
}
"""
)
# The assisted's entities: the person, the household (none for a 特困 person without one),
# the program.
ASSISTED_ENTITIES: LiteralString = (
    "[e IN [x {.*, label: 'Person'}, h {.*, label: 'Household'}, g {.*, label: 'Program'}] "
    "WHERE e IS NOT NULL]"
)
NOT_ENDED: LiteralString = not_ended("r")

SOCIAL: LiteralString = (
    "['SOCIAL_GROUP', 'PRIVATE_NON_ENTERPRISE', 'FOUNDATION', 'SOCIAL_WORK_AGENCY']"
)
GOVERNMENT: LiteralString = "['GOVERNMENT_AGENCY', 'PARTY_ORGAN']"
# Leading posts in the region's social organizations, held on the day.
SOCIAL_POSTS: LiteralString = (
    "MATCH (s:Organization) WHERE s.divisionCode STARTS WITH $prefix AND s.kind IN " + SOCIAL
    + " MATCH (x:Person)-[o:HOLDS_POST]->(s) WHERE o.leading "
    "AND " + in_effect("o") + " "
)  # fmt: skip
# A leading cadre post: in a government agency or party organ, with a rank.
CADRE: LiteralString = "c.leading AND c.rank <> 'NONE' AND a.kind IN " + GOVERNMENT

# Two periods overlap (either end may be open).
OVERLAP: LiteralString = (
    "(a.since IS NULL OR b.until IS NULL OR a.since <= b.until) "
    "AND (b.since IS NULL OR a.until IS NULL OR b.since <= a.until)"
)

STATEMENTS: dict[Rule, LiteralString] = {
    # Leading cadre posts held on the day, and the same people's leading posts in the
    # region's social organizations (the planner starts from the organizations' division
    # codes). The evidence names `s` and `a`: unbound, its supervision subquery collected
    # every SUPERVISED_BY of the graph for each finding (7-11 s for the province).
    Rule.CONCURRENT_POSTS: """
MATCH (x:Person)-[c:HOLDS_POST]->(a:Organization)
WHERE """
    + CADRE
    + """ AND """
    + in_effect("c")
    + """
MATCH (x)-[o:HOLDS_POST]->(s:Organization)
WHERE o.leading AND s.kind IN """
    + SOCIAL
    + """ AND s.divisionCode STARTS WITH $prefix
  AND """
    + in_effect("o")
    + """
"""
    + page(
        "x, s, o, a, c, x.id + '|' + s.id + '|' + a.id",
        "o, c, s, a",
        "[c, o] + COLLECT { MATCH (s)-[v:SUPERVISED_BY]->(a) RETURN v }",
    )
    + """
RETURN key, s.divisionCode AS region,
       [x {.*, label: 'Person'}, a {.*, label: 'Organization'}, s {.*, label: 'Organization'}]
       AS entities, links,
       {supervisedByTheAgency: EXISTS { (s)-[:SUPERVISED_BY]->(a) },
        approvalFiled: o.approvalFiled, paid: o.paid} AS detail
""",
    # The region's industry associations (division-code range) still tied to an agency on
    # the day: supervised by it, officered by its serving officials, at its address or paid
    # through its account.
    Rule.NOT_DECOUPLED: """
MATCH (s:Organization) WHERE s.divisionCode STARTS WITH $prefix AND s.industryAssociation
  AND s.status = 'ACTIVE'
CALL (s) {
  OPTIONAL MATCH (s)-[r:SUPERVISED_BY]->(a:Organization)
  WHERE a.kind IN """
    + GOVERNMENT
    + """ AND """
    + in_effect("r")
    + """
  RETURN collect(r) AS supervision
}
CALL (s) {
  OPTIONAL MATCH (x:Person)-[o:HOLDS_POST]->(s)
  WHERE """
    + in_effect("o")
    + """
    AND EXISTS { (x)-[c:HOLDS_POST]->(a:Organization) WHERE """
    + CADRE
    + """
                 AND """
    + in_effect("c")
    + """ }
  RETURN collect(o) AS officials
}
CALL (s) {
  OPTIONAL MATCH (a:Organization) WHERE a.kind IN """
    + GOVERNMENT
    + """
    AND (a.address = s.address OR a.fundingAccount = s.fundingAccount)
  WITH s, collect(a) AS agencies
  RETURN [a IN agencies WHERE a.address = s.address | a.uscc] AS premises,
         [a IN agencies WHERE a.fundingAccount = s.fundingAccount | a.uscc] AS accounts
}
WITH s, supervision, officials, premises, accounts, [reason IN [
    CASE WHEN size(supervision) > 0 THEN 'SUPERVISED' END,
    CASE WHEN size(officials) > 0 THEN 'OFFICIALS' END,
    CASE WHEN size(premises) > 0 THEN 'SHARED_ADDRESS' END,
    CASE WHEN size(accounts) > 0 THEN 'SHARED_FUNDING' END
  ] WHERE reason IS NOT NULL] AS reasons
WHERE size(reasons) > 0
"""
    + page(
        "s, supervision, officials, premises, accounts, reasons, s.id",
        "supervision, officials",
        "supervision + officials",
    )
    + """
RETURN key, s.divisionCode AS region, [s {.*, label: 'Organization'}] AS entities,
       links, {reasons: reasons, agenciesAtTheAddress: premises,
               agenciesSharingTheAccount: accounts} AS detail
""",
    # The region's social organizations' leaders on the day whose cadre posts have all
    # ended, with the provisions each breaks.
    Rule.RETIRED_CADRE_POSTS: SOCIAL_POSTS
    + """
MATCH (x)-[c:HOLDS_POST]->(a:Organization) WHERE """
    + CADRE
    + """ AND c.until < $asOf
  AND NOT EXISTS { (x)-[k:HOLDS_POST]->(b:Organization)
                   WHERE k.leading AND k.rank <> 'NONE' AND b.kind IN """
    + GOVERNMENT
    + " AND "
    + not_ended("k")
    + """ }
WITH x, c, a ORDER BY c.until DESC
WITH x, collect({c: c, a: a})[0] AS last
WITH x, last.c AS c, last.a AS a
CALL (x, c, a) {
  MATCH (x)-[o:HOLDS_POST]->(s:Organization)
  WHERE o.leading AND s.kind IN """
    + SOCIAL
    + """ AND """
    + in_effect("o")
    + """
  WITH o, o.since <= c.until + duration({years: $coolingYears})
          AND EXISTS { (s)-[:SUPERVISED_BY]->(a) } AS soon
  RETURN collect(o) AS posts, any(flag IN collect(soon) WHERE flag) AS sameSectorSoon
}
WITH x, c, a, posts, [breach IN [
    CASE WHEN duration.between(x.birthDate, $asOf).years > $retiredAge THEN 'OVER_AGE' END,
    CASE WHEN size(posts) > 1 THEN 'MULTIPLE_POSTS' END,
    CASE WHEN sameSectorSoon THEN 'RECENT_SAME_SECTOR' END,
    CASE WHEN any(o IN posts WHERE NOT coalesce(o.approvalFiled, false)) THEN 'UNFILED' END,
    CASE WHEN any(o IN posts WHERE coalesce(o.paid, false)) THEN 'PAID' END
  ] WHERE breach IS NOT NULL] AS breaches
WHERE size(breaches) > 0
"""
    + page("x, c, a, posts, breaches, x.id", "c, posts", "[c] + posts")
    + """
RETURN key, x.divisionCode AS region,
       [x {.*, label: 'Person'}, a {.*, label: 'Organization'}] AS entities, links,
       {breaches: breaches, retiredOn: c.until} AS detail
""",
    # Deaths come from cremations (a relationship type: its lookup index) and registered
    # death dates (a range index), narrowed to the region; then each dead person's
    # enrollments in payment past the death.
    Rule.BENEFITS_AFTER_DEATH: """
CALL () {
  MATCH (p:Person)-[r:CREMATED_AT]->(:Facility)
  WHERE p.divisionCode STARTS WITH $prefix AND r.crematedOn <= $asOf
  RETURN p, r.crematedOn AS died, r
  UNION
  MATCH (p:Person) WHERE p.deathDate <= $asOf AND p.divisionCode STARTS WITH $prefix
  RETURN p, p.deathDate AS died, null AS r
}
WITH p, min(died) AS died, collect(r) AS deaths
MATCH (p)-[e:ENROLLED_IN]->(g:Program)
WHERE e.status = 'ACTIVE' AND (e.until IS NULL OR e.until > died)
  AND (e.since IS NULL OR e.since <= $asOf)
"""
    + page("p, died, deaths, e, g, p.id + '|' + g.code + '|' + e.key", "e, deaths", "[e] + deaths")
    + """
RETURN key, p.divisionCode AS region,
       [p {.*, label: 'Person'}, g {.*, label: 'Program'}] AS entities, links,
       {died: died, program: g.code, since: e.since} AS detail
""",
    # People and households of the region (division-code ranges) with two enrollments in
    # one program from two regions, both started by the day, for overlapping periods.
    Rule.DUPLICATE_ENROLLMENT: """
CALL () {
  MATCH (p:Person) WHERE p.divisionCode STARTS WITH $prefix RETURN p
  UNION
  MATCH (p:Household) WHERE p.divisionCode STARTS WITH $prefix RETURN p
}
MATCH (p)-[a:ENROLLED_IN]->(g:Program)<-[b:ENROLLED_IN]-(p)
WHERE a.regionCode < b.regionCode AND a.status = 'ACTIVE' AND b.status = 'ACTIVE'
  AND coalesce(a.since, $asOf) <= $asOf AND coalesce(b.since, $asOf) <= $asOf AND """
    + OVERLAP
    + """
"""
    + page("p, g, a, b, p.id + '|' + g.code + '|' + a.key + '|' + b.key", "a, b", "[a, b]")
    + """
RETURN key, p.divisionCode AS region,
       [p {.*, label: labels(p)[0]}, g {.*, label: 'Program'}] AS entities, links,
       {program: g.code, regions: [a.regionCode, b.regionCode]} AS detail
""",
    # People of the region in two households for overlapping periods.
    Rule.TWO_HOUSEHOLDS: """
MATCH (p:Person) WHERE p.divisionCode STARTS WITH $prefix
MATCH (h1:Household)<-[a:MEMBER_OF]-(p)-[b:MEMBER_OF]->(h2:Household)
WHERE h1.id < h2.id AND coalesce(a.since, $asOf) <= $asOf
  AND coalesce(b.since, $asOf) <= $asOf AND """
    + OVERLAP
    + """
"""
    + page("p, h1, h2, a, b, p.id + '|' + h1.id + '|' + h2.id", "a, b", "[a, b]")
    + """
RETURN key, p.divisionCode AS region,
       [p {.*, label: 'Person'}, h1 {.*, label: 'Household'}, h2 {.*, label: 'Household'}]
       AS entities, links, {households: [h1.number, h2.number]} AS detail
""",
    # The allowance's enrollments in effect on the day (one program node, its
    # relationships), whose beneficiary is younger than the threshold.
    Rule.UNDER_AGE_ALLOWANCE: """
MATCH (g:Program {code: 'OLD_AGE_ALLOWANCE'})<-[e:ENROLLED_IN]-(p:Person)
WHERE e.status = 'ACTIVE' AND """
    + in_effect("e")
    + """ AND p.divisionCode STARTS WITH $prefix
  AND p.birthDate > $asOf - duration({years: $minimumAge})
"""
    + page("p, g, e, p.id + '|' + e.key", "e", "[e]")
    + """
RETURN key, p.divisionCode AS region,
       [p {.*, label: 'Person'}, g {.*, label: 'Program'}] AS entities, links,
       {birthDate: p.birthDate, age: duration.between(p.birthDate, $asOf).years,
        minimumAge: $minimumAge} AS detail
""",
    # Each assisted member's signals, one finding per kind of signal.
    Rule.ASSISTED_MEANS: ASSISTED
    + """
CALL (x) {
  MATCH (x)-[r:HOLDS_POST]->(:Organization {kind: 'ENTERPRISE', status: 'ACTIVE'})
  WHERE """
    + NOT_ENDED
    + """ RETURN 'ENTERPRISE_ROLE' AS kind, collect(r) AS signals
  UNION
  MATCH (x)-[r:INVESTED_IN]->(:Organization {kind: 'ENTERPRISE', status: 'ACTIVE'})
  WHERE """
    + NOT_ENDED
    + """ RETURN 'INVESTOR' AS kind, collect(r) AS signals
  UNION
  MATCH (x)-[r:OWNS]->(:Asset {kind: 'VEHICLE'}) WHERE """
    + NOT_ENDED
    + """
  RETURN 'VEHICLE' AS kind, collect(r) AS signals
  UNION
  MATCH (x)-[r:OWNS]->(:Asset {kind: 'REAL_ESTATE'}) WHERE """
    + NOT_ENDED
    + """
  WITH collect(r) AS signals WHERE size(signals) > 1
  RETURN 'PROPERTIES' AS kind, signals
  UNION
  MATCH (x)-[r:EMPLOYED_BY]->() WHERE r.publicPayroll AND """
    + NOT_ENDED
    + """
  RETURN 'PAYROLL' AS kind, collect(r) AS signals
}
WITH x, h, g, d, m, kind, signals WHERE size(signals) > 0
"""
    + page(
        "x, h, g, d, m, kind, signals, "
        "x.id + '|' + coalesce(h.id, '-') + '|' + g.code + '|' + kind",
        "d, m, signals",
        "[d, m] + signals",
    )
    + """
RETURN key, coalesce(h.divisionCode, x.divisionCode) AS region, """
    + ASSISTED_ENTITIES
    + """ AS entities,
       links, {signal: kind, program: g.code} AS detail
""",
    # Assisted members with a current marriage to someone outside the household.
    Rule.HIDDEN_SPOUSE: ASSISTED
    + """
MATCH (x)-[r:MARRIED_TO]-(s:Person) WHERE """
    + NOT_ENDED
    + """
  AND (h IS NULL
       OR NOT EXISTS { (s)-[n:MEMBER_OF]->(h) WHERE """
    + not_ended("n")
    + """ })
"""
    + page(
        "x, h, g, d, m, r, s, x.id + '|' + coalesce(h.id, '-') + '|' + s.id", "d, m, r", "[d, m, r]"
    )
    + """
RETURN key, coalesce(h.divisionCode, x.divisionCode) AS region,
       [e IN [x {.*, label: 'Person'}, s {.*, label: 'Person'}, h {.*, label: 'Household'},
              g {.*, label: 'Program'}] WHERE e IS NOT NULL] AS entities,
       links, {program: g.code} AS detail
""",
    # Assisted households (on 低保) with a member who serves a community as case officer or
    # committee member on the day, another member (the relative), and no 近亲属备案.
    Rule.OFFICERS_RELATIVES: ASSISTED
    + """
WITH x, h, g, d, m WHERE h IS NOT NULL AND NOT coalesce(d.relativeFiled, false)
MATCH (x)-[r:SERVES]->(c:Community)
WHERE r.role IN ['CASE_OFFICER', 'COMMITTEE_MEMBER']
  AND coalesce(r.since, $asOf) <= $asOf AND """
    + NOT_ENDED
    + """
WITH x, h, g, d, m, r, c, COUNT { (o:Person)-[n:MEMBER_OF]->(h)
     WHERE o <> x AND """
    + in_effect("n")
    + """
   } AS relatives
WHERE relatives > 0
"""
    + page("x, h, g, d, m, r, c, relatives, h.id + '|' + x.id + '|' + c.id", "d, m, r", "[d, m, r]")
    + """
RETURN key, h.divisionCode AS region,
       [x {.*, label: 'Person'}, h {.*, label: 'Household'}, c {.*, label: 'Community'},
        g {.*, label: 'Program'}] AS entities, links,
       {role: r.role, relatives: relatives, program: g.code} AS detail
""",
    # Facilities of the region by division code (a range index), with the residents on
    # the day counted against the beds.
    Rule.OVER_CAPACITY: """
MATCH (f:Facility) WHERE f.divisionCode STARTS WITH $prefix AND ($after IS NULL OR f.id > $after)
CALL (f) {
  MATCH (f)<-[r:RESIDENT_OF]-(:Person)
  WHERE """
    + in_effect("r")
    + """
  RETURN count(r) AS residents, collect(r)[..50] AS stays
}
WITH f, residents, stays WHERE residents > coalesce(f.beds, 0)
ORDER BY f.id LIMIT $limit
"""
    + evidence("stays", "stays")
    + """
RETURN f.id AS key, f.divisionCode AS region, [f {.*, label: 'Facility'}] AS entities,
       links, {beds: f.beds, residents: residents} AS detail
""",
}


@dataclass(frozen=True, slots=True)
class EvidenceLink:
    """A relationship that makes a finding true, with its record."""

    type: str
    source_label: Label
    source: Stored
    target_label: Label
    target: Stored
    since: date | None
    until: date | None
    properties: dict[str, Any]
    record: SourceRef | None


@dataclass(frozen=True, slots=True)
class Finding:
    rule: Rule
    key: str  # stable: the same situation has the same key in every run
    region_code: str | None
    entities: list[tuple[Label, Stored]]
    links: list[EvidenceLink]
    detail: dict[str, Any]

    @property
    def records(self) -> list[SourceRef]:
        """The source records behind the finding's relationships, once each."""
        seen: dict[tuple[str, str], SourceRef] = {}
        for link in self.links:
            if link.record is not None:
                seen.setdefault((link.record.source, link.record.record_key), link.record)
        return list(seen.values())


HIDDEN = STANDARD | {"version"}  # shown as the link's own fields, not its properties


def record_of(row: dict[str, Any] | None) -> SourceRef | None:
    if row is None:
        return None
    return SourceRef(
        source=row["source"], record_key=row["recordKey"], file=row.get("file"),
        line=row.get("line"), first_seen=row["firstSeen"], last_seen=row["lastSeen"],
        match_key="evidence", score=1.0,
    )  # fmt: skip


def node_of(row: dict[str, Any]) -> tuple[Label, Stored]:
    """An entity as a statement returns it: its properties and `label`."""
    label = Label(row["label"])
    return label, stored(label, row)


def link_of(row: dict[str, Any]) -> EvidenceLink:
    rel = row["rel"]
    source_label, target_label = Label(row["from"]), Label(row["to"])
    return EvidenceLink(
        type=row["type"],
        source_label=source_label,
        source=stored(source_label, row["fromNode"]),
        target_label=target_label,
        target=stored(target_label, row["toNode"]),
        since=rel.get("since"),
        until=rel.get("until"),
        properties={k: v for k, v in rel.items() if k not in HIDDEN},
        record=record_of(row.get("record")),
    )


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The rules' numbers, from settings (never literals in the rules)."""

    old_age_allowance_age: int = 80
    retired_cadre_age: int = 70
    cooling_off_years: int = 3


DEFAULTS = Thresholds()


async def findings(
    graph: Graph,
    rule: Rule,
    prefix: str,
    as_of: date,
    first: int,
    after: str | None = None,
    thresholds: Thresholds = DEFAULTS,
) -> list[Finding]:
    """Up to `first` findings of `rule` in the region `prefix` on `as_of`, after the key
    `after`, by key."""
    rows = await graph.read(
        STATEMENTS[rule], prefix=prefix, asOf=as_of, after=after, limit=first,
        minimumAge=thresholds.old_age_allowance_age, retiredAge=thresholds.retired_cadre_age,
        coolingYears=thresholds.cooling_off_years,
    )  # fmt: skip
    return [
        Finding(
            rule=rule,
            key=row["key"],
            region_code=row["region"],
            entities=[node_of(e) for e in row["entities"]],
            links=[link_of(link) for link in row["links"]],
            detail=row["detail"],
        )
        for row in rows
    ]


class ReviewStatus(StrEnum):
    UNDER_REVIEW = "UNDER_REVIEW"
    CONFIRMED = "CONFIRMED"
    DISMISSED = "DISMISSED"


@dataclass(frozen=True, slots=True)
class Review:
    """An investigator's mark on a finding, with the marks before it."""

    status: ReviewStatus
    note: str | None
    by: str
    at: datetime
    history: list[dict[str, Any]]


REVIEW: LiteralString = """
MERGE (v:FindingReview {id: $rule + ':' + $key})
ON CREATE SET v.rule = $rule, v.key = $key, v.history = []
SET v.status = $status, v.note = $note, v.by = $by, v.at = $at,
    v.history = v.history + [$entry]
RETURN v {.*} AS review
"""
REVIEWS: LiteralString = """
UNWIND $ids AS id MATCH (v:FindingReview {id: id}) RETURN v {.*} AS review
"""


def review_of(row: dict[str, Any]) -> Review:
    return Review(
        status=ReviewStatus(row["status"]),
        note=row.get("note"),
        by=row["by"],
        at=row["at"],
        history=[json.loads(entry) for entry in row.get("history") or []],
    )


async def review(
    graph: Graph, rule: Rule, key: str, status: ReviewStatus, note: str | None, by: str
) -> Review:
    """Marks a finding (its rule and key) confirmed, dismissed or under review; earlier
    marks are kept in its history."""
    at = datetime.now(UTC)  # one clock for the mark and its history entry
    entry = json.dumps(
        {"status": status.value, "note": note, "by": by, "at": at.isoformat()},
        ensure_ascii=False,
    )
    rows = await graph.write(REVIEW, rule=rule.value, key=key, status=status.value, note=note,
                             by=by, at=at, entry=entry)  # fmt: skip
    return review_of(rows[0]["review"])


async def reviews(graph: Graph, rule: Rule, keys: list[str]) -> dict[str, Review]:
    """The marks on findings of `rule`, by finding key."""
    rows = await graph.read(REVIEWS, ids=[f"{rule.value}:{key}" for key in keys])
    return {row["review"]["key"]: review_of(row["review"]) for row in rows}
