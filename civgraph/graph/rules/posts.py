"""Rules on posts (work plan section 1): serving cadres leading social organizations,
retired cadres' posts against the provisions, industry associations not decoupled."""

from __future__ import annotations

from typing import LiteralString

from civgraph.graph.catalog import Label
from civgraph.graph.periods import in_effect, not_ended
from civgraph.graph.rules.base import Rule, RuleQuery, confidence, possibly
from civgraph.graph.scope import ASKED, in_scope

SOCIAL: LiteralString = (
    "['SOCIAL_GROUP', 'PRIVATE_NON_ENTERPRISE', 'FOUNDATION', 'SOCIAL_WORK_AGENCY']"
)
GOVERNMENT: LiteralString = "['GOVERNMENT_AGENCY', 'PARTY_ORGAN']"
# Social organization `s` lies in the region asked for.
IN_REGION: LiteralString = in_scope("s", Label.ORGANIZATION, ASKED)
# A leading cadre post `c`: in a government agency or party organ `a`, with a rank.
CADRE: LiteralString = "c.leading AND c.rank <> 'NONE' AND a.kind IN " + GOVERNMENT

# Leading cadre posts held on the day, and the leading posts in the region's social
# organizations of the same people (or of someone possibly the same: a roster row without an
# ID number). Starts from the cadre posts (few, indexed by type). The evidence imports `s` and
# `a`: unbound, its supervision pattern matched every SUPERVISED_BY of the graph.
CONCURRENT_POSTS = RuleQuery(
    rule=Rule.CONCURRENT_POSTS,
    basis="Serving party and government leading cadres may not concurrently lead social "
    "organizations (从严控制和规范管理党政机关领导干部兼任社会组织领导职务的暂行规定, work plan "
    "section 1).",
    match="MATCH (x:Person)-[c:HOLDS_POST]->(a:Organization) WHERE " + CADRE + " AND "
    + in_effect("c") + " MATCH " + possibly("x", "y", "same") + "-[o:HOLDS_POST]->(s:Organization) "
    "WHERE o.leading AND s.kind IN " + SOCIAL + " AND " + IN_REGION + " AND "
    + in_effect("o") + " ",
    carried="x, y, same, s, o, a, c",
    key="x.id + '|' + s.id + '|' + a.id + CASE WHEN y = x THEN '' ELSE '~' + y.id END",
    imports="o, c, s, a, same",
    relationships="[c, o] + same + COLLECT { MATCH (s)-[v:SUPERVISED_BY]->(a) RETURN v }",
    returns="left(s.divisionCode, 6) AS region, [e IN [x {.*, label: 'Person'}, "
    "a {.*, label: 'Organization'}, s {.*, label: 'Organization'}, "
    "CASE WHEN y <> x THEN y {.*, label: 'Person'} END] WHERE e IS NOT NULL] AS entities, "
    "{supervisedByTheAgency: EXISTS { (s)-[:SUPERVISED_BY]->(a) }, "
    "approvalFiled: o.approvalFiled, paid: o.paid} AS detail, "
    + confidence("same") + " AS confidence",
)  # fmt: skip

# The region's industry associations (division-code range) still tied to an agency on the
# day: supervised by it, officered by its serving officials, at its address or paid through
# its account.
NOT_DECOUPLED = RuleQuery(
    rule=Rule.NOT_DECOUPLED,
    basis="Industry associations and chambers of commerce are decoupled from administrative "
    "organs (脱钩, work plan section 1): no supervising agency, no serving officials among "
    "their officers, no shared premises or funding account.",
    match="MATCH (s:Organization) WHERE " + IN_REGION + " "
    "AND s.industryAssociation AND s.status = 'ACTIVE' "
    "CALL (s) { OPTIONAL MATCH (s)-[r:SUPERVISED_BY]->(a:Organization) "
    "WHERE a.kind IN " + GOVERNMENT + " AND " + in_effect("r") + " "
    "RETURN collect(r) AS supervision } "
    "CALL (s) { OPTIONAL MATCH (x:Person)-[o:HOLDS_POST]->(s) WHERE " + in_effect("o") + " "
    "AND EXISTS { (x)-[c:HOLDS_POST]->(a:Organization) WHERE " + CADRE + " AND "
    + in_effect("c") + " } RETURN collect(o) AS officials } "
    "CALL (s) { OPTIONAL MATCH (a:Organization) WHERE a.kind IN " + GOVERNMENT + " "
    "AND (a.address = s.address OR a.fundingAccount = s.fundingAccount) "
    "WITH s, collect(a) AS agencies "
    "RETURN [a IN agencies WHERE a.address = s.address | a.uscc] AS premises, "
    "[a IN agencies WHERE a.fundingAccount = s.fundingAccount | a.uscc] AS accounts } "
    "WITH s, supervision, officials, premises, accounts, [reason IN ["
    "CASE WHEN size(supervision) > 0 THEN 'SUPERVISED' END, "
    "CASE WHEN size(officials) > 0 THEN 'OFFICIALS' END, "
    "CASE WHEN size(premises) > 0 THEN 'SHARED_ADDRESS' END, "
    "CASE WHEN size(accounts) > 0 THEN 'SHARED_FUNDING' END] WHERE reason IS NOT NULL] "
    "AS reasons WHERE size(reasons) > 0 ",
    carried="s, supervision, officials, premises, accounts, reasons",
    key="s.id",
    imports="supervision, officials",
    relationships="supervision + officials",
    returns="left(s.divisionCode, 6) AS region, [s {.*, label: 'Organization'}] AS entities, "
    "{reasons: reasons, agenciesAtTheAddress: premises, agenciesSharingTheAccount: accounts} "
    "AS detail, 1.0 AS confidence",
)  # fmt: skip

# The region's social organizations' leaders on the day whose cadre posts have all ended,
# with the provisions each breaks. A provision the source does not state (filed? paid?) is
# unknown, not broken.
RETIRED_CADRE_POSTS = RuleQuery(
    rule=Rule.RETIRED_CADRE_POSTS,
    basis="Retired leading cadres may lead a social organization only within the same "
    "provisions: under the age limit, one post, not within the cooling-off years in the sector "
    "they governed, approved and filed, unpaid.",
    match="MATCH (s:Organization) WHERE " + IN_REGION + " AND s.kind IN "
    + SOCIAL + " MATCH (x:Person)-[o:HOLDS_POST]->(s) WHERE o.leading AND " + in_effect("o")
    + " MATCH (x)-[c:HOLDS_POST]->(a:Organization) WHERE " + CADRE + " AND c.until < $asOf "
    "AND NOT EXISTS { (x)-[k:HOLDS_POST]->(b:Organization) WHERE k.leading "
    "AND k.rank <> 'NONE' AND b.kind IN " + GOVERNMENT + " AND " + not_ended("k") + " } "
    "WITH x, c, a ORDER BY c.until DESC "
    "WITH x, collect({c: c, a: a})[0] AS last WITH x, last.c AS c, last.a AS a "
    "CALL (x, c, a) { MATCH (x)-[o:HOLDS_POST]->(s:Organization) "
    "WHERE o.leading AND s.kind IN " + SOCIAL + " AND " + in_effect("o") + " "
    "OPTIONAL MATCH (s)-[v:SUPERVISED_BY]->(a) "
    "WHERE o.since <= c.until + duration({years: $coolingYears}) "
    "RETURN collect(DISTINCT o) AS posts, collect(v) AS sector } "
    "WITH x, c, a, posts, sector, [breach IN ["
    "CASE WHEN duration.between(x.birthDate, $asOf).years > $retiredAge THEN 'OVER_AGE' END, "
    "CASE WHEN size(posts) > 1 THEN 'MULTIPLE_POSTS' END, "
    "CASE WHEN size(sector) > 0 THEN 'RECENT_SAME_SECTOR' END, "
    "CASE WHEN any(o IN posts WHERE o.approvalFiled = false) THEN 'UNFILED' END, "
    "CASE WHEN any(o IN posts WHERE o.paid) THEN 'PAID' END"
    "] WHERE breach IS NOT NULL] AS breaches WHERE size(breaches) > 0 ",
    carried="x, c, a, posts, sector, breaches",
    key="x.id",
    imports="c, posts, sector",
    relationships="[c] + posts + sector",
    returns="left(x.divisionCode, 6) AS region, "
    "[x {.*, label: 'Person'}, a {.*, label: 'Organization'}] AS entities, "
    "{breaches: breaches, retiredOn: c.until} AS detail, 1.0 AS confidence",
)  # fmt: skip

RULES = (CONCURRENT_POSTS, NOT_DECOUPLED, RETIRED_CADRE_POSTS)
