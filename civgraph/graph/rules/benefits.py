"""Rules on who is paid (社会救助暂行办法): benefits after death, one beneficiary paid twice,
one person in two households, the old-age allowance under age.

A person's benefits are their own enrollments and those of the households they belong to,
for the time they belong: 低保 is enrolled by the household, so a rule that asks what a
person is paid must look through their memberships (`via` in the detail says which).
"""

from __future__ import annotations

from typing import LiteralString

from civgraph.graph.catalog import Label
from civgraph.graph.periods import in_effect
from civgraph.graph.programs import family
from civgraph.graph.rules.base import Rule, RuleQuery, confidence
from civgraph.graph.scope import ASKED, in_scope

# Two periods `a` and `b` overlap (either end may be open).
OVERLAP: LiteralString = (
    "(a.since IS NULL OR b.until IS NULL OR a.since <= b.until) "
    "AND (b.since IS NULL OR a.until IS NULL OR b.since <= a.until)"
)


def in_payment(e: LiteralString) -> LiteralString:
    """Enrollment `e` is in payment by the day: active, and started (or without a start)."""
    return e + ".status = 'ACTIVE' AND coalesce(" + e + ".since, $asOf) <= $asOf"


IN_PAYMENT: LiteralString = in_payment("e")
# Person (or household) `p` lies in the region asked for.
IN_REGION: LiteralString = in_scope("p", Label.PERSON, ASKED)


def dead(person: LiteralString, day: LiteralString) -> LiteralString:
    """`person` died (a registered death or a cremation) on or before `day`."""
    return (
        "(coalesce(" + person + ".deathDate <= " + day + ", false) OR EXISTS { (" + person
        + ")-[k:CREMATED_AT]->() WHERE k.crematedOn <= " + day + " })"
    )  # fmt: skip


# Person `p`, who died on `died`, still counts for household `h` (membership `m`): a member
# that day, and either still a member on `$asOf` or no living member is left then (the
# household is paid for no one). The verification report uses the same condition.
DEAD_MEMBER: LiteralString = (
    in_effect("m", "died") + " AND (" + in_effect("m") + " OR NOT EXISTS { "
    "MATCH (o:Person)-[n:MEMBER_OF]->(h) WHERE o <> p AND " + in_effect("n")
    + " AND NOT " + dead("o", "$asOf") + " })"
)  # fmt: skip

# Deaths come from cremations (a relationship type: its lookup index) — of the person, or of a
# record's entity possibly the same as them (lower confidence) — and registered death dates
# (a range index), narrowed to the region; then the person's enrollments in payment past
# the death, own and through the households they still count in.
BENEFITS_AFTER_DEATH = RuleQuery(
    rule=Rule.BENEFITS_AFTER_DEATH,
    basis="Benefits stop at the beneficiary's death (社会救助暂行办法; the work plan's 核对 "
    "mechanism): an enrollment in payment after a cremation or a registered death is paid to "
    "no one entitled, and a household's is paid for a member who is no more.",
    match="CALL () { MATCH (c:Person)-[r:CREMATED_AT]->(:Facility) WHERE r.crematedOn <= $asOf "
    "MATCH (c)-[same:POSSIBLY_SAME*0..1]-(p:Person) WHERE " + IN_REGION + " "
    "RETURN p, r.crematedOn AS died, r, same "
    "UNION MATCH (p:Person) WHERE p.deathDate <= $asOf AND " + IN_REGION + " "
    "RETURN p, p.deathDate AS died, null AS r, [] AS same } "
    "WITH p, died, r, same, " + confidence("same") + " AS sure ORDER BY sure DESC, died "
    "WITH p, collect({died: died, same: same, sure: sure}) AS deaths, collect(r) AS records "
    "WITH p, deaths[0].died AS died, deaths[0].same AS same, deaths[0].sure AS sure, records "
    "CALL (p, died) { MATCH (p)-[e:ENROLLED_IN]->(g:Program) WHERE " + IN_PAYMENT + " "
    "AND (e.until IS NULL OR e.until > died) RETURN e, g, null AS h, null AS m "
    "UNION MATCH (p)-[m:MEMBER_OF]->(h:Household)-[e:ENROLLED_IN]->(g:Program) "
    "WHERE " + IN_PAYMENT + " AND (e.until IS NULL OR e.until > died) AND " + DEAD_MEMBER + " "
    "RETURN e, g, h, m } ",
    carried="p, died, same, sure, records, e, g, h, m",
    key="p.id + '|' + g.code + coalesce('|' + h.id, '') + '|' + e.key",
    imports="e, m, records, same",
    relationships="[e, m] + records + same",
    returns="left(p.divisionCode, 6) AS region, [x IN [p {.*, label: 'Person'}, "
    "g {.*, label: 'Program'}, h {.*, label: 'Household'}] WHERE x IS NOT NULL] AS entities, "
    "{died: died, program: g.code, family: " + family("g") + ", since: e.since, "
    "via: CASE WHEN h IS NULL THEN 'OWN' ELSE 'HOUSEHOLD' END} AS detail, sure AS confidence",
)  # fmt: skip


def paid(
    n: LiteralString,
    holder: LiteralString,
    e: LiteralString,
    g: LiteralString,
    m: LiteralString,
) -> LiteralString:
    """Benefit `n` as a map: enrollment `e` of `holder` in program `g`, received through
    membership `m` (null: the holder's own) for the part of the enrollment the member
    belonged (the periods' intersection)."""
    return (
        "{holder: " + holder + ", e: " + e + ", g: " + g + ", m: " + m + ", "
        "family: " + family(g) + ", id: " + holder + ".id + '>' + " + g + ".code + '@' + "
        + e + ".key, since: CASE WHEN " + m + " IS NULL OR " + m + ".since IS NULL THEN "
        + e + ".since WHEN " + e + ".since IS NULL OR " + m + ".since > " + e + ".since THEN "
        + m + ".since ELSE " + e + ".since END, until: CASE WHEN " + m + " IS NULL OR " + m
        + ".until IS NULL THEN " + e + ".until WHEN " + e + ".until IS NULL OR " + m
        + ".until < " + e + ".until THEN " + m + ".until ELSE " + e + ".until END} AS " + n
    )  # fmt: skip


SAME_FAMILY: LiteralString = family("g1") + " = " + family("g2")
BOTH_IN_PAYMENT: LiteralString = in_payment("e1") + " AND " + in_payment("e2")


# The pairs of benefits a beneficiary `p` of the region is paid in one family, as maps `a`
# and `b`: one holder's two enrollments (from two regions, or in two programs of the family);
# a person's own and a household's while a member; two households' while a member of both.
# Plain patterns over the region's people and households (as index-backed as the rule was
# before households counted), and a subquery only for members of an enrolled household.
def own_pairs(label: LiteralString) -> LiteralString:
    return (
        "MATCH (p:" + label + ") WHERE " + IN_REGION + " "
        "MATCH (p)-[e1:ENROLLED_IN]->(g1:Program) MATCH (p)-[e2:ENROLLED_IN]->(g2:Program) "
        "WHERE e1 <> e2 AND " + BOTH_IN_PAYMENT + " AND " + SAME_FAMILY + " "
        "AND (e1.regionCode <> e2.regionCode OR g1 <> g2) "
        "AND g1.code + '@' + e1.key < g2.code + '@' + e2.key "
        "RETURN p, " + paid("a", "p", "e1", "g1", "null") + ", "
        + paid("b", "p", "e2", "g2", "null")
    )  # fmt: skip


PAIRS: LiteralString = (
    "CALL () { " + own_pairs("Person") + " UNION ALL " + own_pairs("Household") + " "
    "UNION ALL MATCH (p:Person) WHERE " + IN_REGION + " "
    "MATCH (p)-[m2:MEMBER_OF]->(h2:Household)-[e2:ENROLLED_IN]->(g2:Program) "
    "WHERE " + in_payment("e2") + " "
    "CALL (p, m2, h2, e2, g2) { "
    "MATCH (p)-[e1:ENROLLED_IN]->(g1:Program) WHERE " + in_payment("e1") + " AND "
    + SAME_FAMILY + " RETURN " + paid("a", "p", "e1", "g1", "null") + " "
    "UNION MATCH (p)-[m1:MEMBER_OF]->(h1:Household)-[e1:ENROLLED_IN]->(g1:Program) "
    "WHERE h1.id < h2.id AND " + in_payment("e1") + " AND " + SAME_FAMILY + " "
    "RETURN " + paid("a", "h1", "e1", "g1", "m1") + " } "
    "RETURN p, a, " + paid("b", "h2", "e2", "g2", "m2") + " } "
)  # fmt: skip
# A benefit through a membership exists only for the time the member belonged.
BELONGED: LiteralString = (
    "(a.since IS NULL OR a.until IS NULL OR a.since <= a.until) "
    "AND (b.since IS NULL OR b.until IS NULL OR b.since <= b.until)"
)

# People and households of the region (division-code ranges) paid twice by one program
# family for overlapping periods: one holder's two enrollments from two regions or in two
# programs (urban and rural 低保), or a person's benefits from two holders (their own and
# their household's, or two households').
DUPLICATE_ENROLLMENT = RuleQuery(
    rule=Rule.DUPLICATE_ENROLLMENT,
    basis="One beneficiary, one benefit per program family: the same person or household "
    "enrolled twice (by two regions, or in urban and rural 低保), or counted in two assisted "
    "households, for overlapping periods is paid twice (社会救助暂行办法).",
    match=PAIRS + "WITH p, a, b WHERE " + BELONGED + " AND " + OVERLAP + " ",
    carried="p, a, b, a.g AS ga, b.g AS gb, a.holder AS ha, b.holder AS hb",
    key="p.id + '|' + a.family + '|' + CASE WHEN a.id < b.id THEN a.id + '|' + b.id "
    "ELSE b.id + '|' + a.id END",
    imports="a, b",
    relationships="[a.e, b.e, a.m, b.m]",
    returns="left(p.divisionCode, 6) AS region, [x IN [p {.*, label: labels(p)[0]}, "
    "ga {.*, label: 'Program'}, CASE WHEN gb <> ga THEN gb {.*, label: 'Program'} END, "
    "CASE WHEN ha <> p THEN ha {.*, label: 'Household'} END, "
    "CASE WHEN hb <> p AND hb <> ha THEN hb {.*, label: 'Household'} "
    "END] WHERE x IS NOT NULL] AS entities, "
    "{program: ga.code, programs: [ga.code, gb.code], family: a.family, "
    "regions: [a.e.regionCode, b.e.regionCode], "
    "via: [CASE WHEN ha = p THEN 'OWN' ELSE 'HOUSEHOLD' END, "
    "CASE WHEN hb = p THEN 'OWN' ELSE 'HOUSEHOLD' END]} AS detail, 1.0 AS confidence",
)  # fmt: skip

# People of the region in two households for overlapping periods.
TWO_HOUSEHOLDS = RuleQuery(
    rule=Rule.TWO_HOUSEHOLDS,
    basis="A person is registered in one household at a time (户口登记条例); two at once lets "
    "a household's means test leave out a member.",
    match="MATCH (p:Person) WHERE " + IN_REGION + " "
    "MATCH (h1:Household)<-[a:MEMBER_OF]-(p)-[b:MEMBER_OF]->(h2:Household) "
    "WHERE h1.id < h2.id AND coalesce(a.since, $asOf) <= $asOf "
    "AND coalesce(b.since, $asOf) <= $asOf AND " + OVERLAP + " ",
    carried="p, h1, h2, a, b",
    key="p.id + '|' + h1.id + '|' + h2.id",
    imports="a, b",
    relationships="[a, b]",
    returns="left(p.divisionCode, 6) AS region, [p {.*, label: 'Person'}, "
    "h1 {.*, label: 'Household'}, h2 {.*, label: 'Household'}] AS entities, "
    "{households: [h1.number, h2.number]} AS detail, 1.0 AS confidence",
)  # fmt: skip

# The allowance's enrollments in effect on the day (one program node, its relationships),
# whose beneficiary is younger than the threshold. The allowance is paid to the person.
UNDER_AGE_ALLOWANCE = RuleQuery(
    rule=Rule.UNDER_AGE_ALLOWANCE,
    basis="The old-age allowance is for residents of at least the age the province sets (80, "
    "the work plan's section 6); the age is the ID number's birth date's.",
    match="MATCH (g:Program {code: 'OLD_AGE_ALLOWANCE'})<-[e:ENROLLED_IN]-(p:Person) "
    "WHERE e.status = 'ACTIVE' AND " + in_effect("e") + " AND " + IN_REGION + " "
    "AND p.birthDate > $asOf - duration({years: $minimumAge}) ",
    carried="p, g, e",
    key="p.id + '|' + e.key",
    imports="e",
    relationships="[e]",
    returns="left(p.divisionCode, 6) AS region, "
    "[p {.*, label: 'Person'}, g {.*, label: 'Program'}] AS entities, "
    "{birthDate: p.birthDate, age: duration.between(p.birthDate, $asOf).years, "
    "minimumAge: $minimumAge} AS detail, 1.0 AS confidence",
)  # fmt: skip

RULES = (BENEFITS_AFTER_DEATH, DUPLICATE_ENROLLMENT, TWO_HOUSEHOLDS, UNDER_AGE_ALLOWANCE)
