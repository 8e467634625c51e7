"""Rules on facilities (养老机构管理办法, work plan section 6): residents beyond the beds."""

from __future__ import annotations

from civgraph.graph.catalog import Label
from civgraph.graph.periods import in_effect
from civgraph.graph.rules.base import Rule, RuleQuery
from civgraph.graph.scope import ASKED, in_scope

# Facilities of the region by division code (a range index), with the residents on the day
# counted against the beds (at most 50 stays as evidence).
OVER_CAPACITY = RuleQuery(
    rule=Rule.OVER_CAPACITY,
    basis="A care facility may not house more residents than its registered beds "
    "(养老机构管理办法, the work plan's section 6).",
    match="MATCH (f:Facility) WHERE " + in_scope("f", Label.FACILITY, ASKED) + " "
    "CALL (f) { MATCH (f)<-[r:RESIDENT_OF]-(:Person) WHERE " + in_effect("r") + " "
    "RETURN count(r) AS residents, collect(r)[..50] AS stays } "
    "WITH f, residents, stays WHERE residents > coalesce(f.beds, 0) ",
    carried="f, residents, stays",
    key="f.id",
    imports="stays",
    relationships="stays",
    returns="left(f.divisionCode, 6) AS region, [f {.*, label: 'Facility'}] AS entities, "
    "{beds: f.beds, residents: residents} AS detail, 1.0 AS confidence",
)

RULES = (OVER_CAPACITY,)
