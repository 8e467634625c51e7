"""Rules of the 核对 (household economic-status verification, work plan section 4) over the
assisted: undeclared means, hidden spouses, officers' relatives.

The assisted on the day in the region: the members then of households on a means-tested
program (低保, urban or rural), and people on one themselves (特困; or 低保 enrolled to a
person) with their household then, if any. A program family counts once: a household on
urban and rural 低保 at once (a duplicate enrollment, its own rule) is assisted once.
"""

from __future__ import annotations

from typing import LiteralString

from civgraph.graph.catalog import Label
from civgraph.graph.periods import in_effect
from civgraph.graph.programs import MEANS_TESTED, family
from civgraph.graph.rules.base import Rule, RuleQuery
from civgraph.graph.rules.signals import MEANS, MEANS_OF_X, branches
from civgraph.graph.scope import ASKED, in_scope

ASSISTED: LiteralString = (
    "CALL () { MATCH (g:Program)<-[d:ENROLLED_IN]-(h:Household) "
    "WHERE g.code IN " + MEANS_TESTED + " AND d.status = 'ACTIVE' AND " + in_effect("d") + " "
    "AND " + in_scope("h", Label.HOUSEHOLD, ASKED) + " "
    "MATCH (x:Person)-[m:MEMBER_OF]->(h) WHERE " + in_effect("m") + " "
    "RETURN x, h, g, d, m "
    "UNION MATCH (g:Program)<-[d:ENROLLED_IN]-(x:Person) "
    "WHERE g.code IN " + MEANS_TESTED + " AND d.status = 'ACTIVE' AND " + in_effect("d") + " "
    "AND " + in_scope("x", Label.PERSON, ASKED) + " "
    "OPTIONAL MATCH (x)-[m:MEMBER_OF]->(h:Household) WHERE " + in_effect("m") + " "
    "RETURN x, h, g, d, m } "
    "WITH x, h, g, d, m, " + family("g") + " AS family ORDER BY d.key, g.code "
    "WITH x, family, collect({h: h, g: g, d: d, m: m})[0] AS first "
    "WITH x, family, first.h AS h, first.g AS g, first.d AS d, first.m AS m "
)  # fmt: skip
# The assisted's entities: the person, the household (none for a person without one), the
# program.
ASSISTED_ENTITIES: LiteralString = (
    "[e IN [x {.*, label: 'Person'}, h {.*, label: 'Household'}, g {.*, label: 'Program'}] "
    "WHERE e IS NOT NULL]"
)
ASSISTED_KEY: LiteralString = "x.id + '|' + coalesce(h.id, '-') + '|' + family"

ASSISTED_MEANS = RuleQuery(
    rule=Rule.ASSISTED_MEANS,
    basis="The 核对 checks (work plan section 4): a member of a household on 低保, or a person "
    "on 特困, who runs or owns part of an active enterprise, owns a vehicle or more than one "
    "property, or is on the public payroll has means the household did not declare.",
    match=ASSISTED + MEANS_OF_X,
    carried="x, h, g, d, m, family, kind, signals, sure, possible",
    key=ASSISTED_KEY + " + '|' + kind",
    imports="d, m, signals, possible",
    relationships="[d, m] + signals + possible",
    returns="left(coalesce(h.divisionCode, x.divisionCode), 6) AS region, "
    + ASSISTED_ENTITIES + " AS entities, "
    "{signal: kind, program: g.code, family: family} AS detail, sure AS confidence",
)  # fmt: skip

# Assisted members married on the day to someone outside the household (for a person
# without one, to anyone), with the spouse's own means signals as evidence.
HIDDEN_SPOUSE = RuleQuery(
    rule=Rule.HIDDEN_SPOUSE,
    basis="A married applicant's spouse belongs in the household's means test (核对), and is a "
    "特困 person's legal supporter; a spouse on the marriage register but outside the "
    "assisted household is hidden.",
    match=ASSISTED + "MATCH (x)-[r:MARRIED_TO]-(s:Person) WHERE " + in_effect("r") + " "
    "AND (h IS NULL OR NOT EXISTS { (s)-[n:MEMBER_OF]->(h) WHERE " + in_effect("n") + " }) "
    "CALL (s) { WITH s AS y CALL (y) { " + branches(MEANS) + " } "
    "RETURN collect(kind) AS means, collect(r) AS assets } ",
    carried="x, h, g, d, m, family, r, s, means, assets",
    key=ASSISTED_KEY + " + '|' + s.id",
    imports="d, m, r, assets",
    relationships="[d, m, r] + assets",
    returns="left(coalesce(h.divisionCode, x.divisionCode), 6) AS region, "
    "[e IN [x {.*, label: 'Person'}, s {.*, label: 'Person'}, h {.*, label: 'Household'}, "
    "g {.*, label: 'Program'}] WHERE e IS NOT NULL] AS entities, "
    "{program: g.code, family: family, spouseSignals: means} AS detail, 1.0 AS confidence",
)  # fmt: skip

# Assisted households with a member who serves a community as case officer or committee
# member on the day, another member (the relative), and no 近亲属备案.
OFFICERS_RELATIVES = RuleQuery(
    rule=Rule.OFFICERS_RELATIVES,
    basis="Applications from relatives of case officers and village or residents' committee "
    "members are registered and filed as such (最低生活保障审核审批办法, 近亲属备案); an assisted "
    "household with an officer among its members and no filing is not.",
    match=ASSISTED + "WITH x, h, g, d, m, family WHERE h IS NOT NULL "
    "AND NOT coalesce(d.relativeFiled, false) "
    "MATCH (x)-[r:SERVES]->(c:Community) WHERE r.role IN ['CASE_OFFICER', 'COMMITTEE_MEMBER'] "
    "AND " + in_effect("r") + " "
    "WITH x, h, g, d, m, family, r, c, COUNT { (o:Person)-[n:MEMBER_OF]->(h) "
    "WHERE o <> x AND " + in_effect("n") + " } AS relatives WHERE relatives > 0 ",
    carried="x, h, g, d, m, family, r, c, relatives",
    key="h.id + '|' + x.id + '|' + c.id",
    imports="d, m, r",
    relationships="[d, m, r]",
    returns="left(h.divisionCode, 6) AS region, [x {.*, label: 'Person'}, "
    "h {.*, label: 'Household'}, c {.*, label: 'Community'}, g {.*, label: 'Program'}] "
    "AS entities, {role: r.role, relatives: relatives, program: g.code} AS detail, "
    "1.0 AS confidence",
)  # fmt: skip

RULES = (ASSISTED_MEANS, HIDDEN_SPOUSE, OFFICERS_RELATIVES)
