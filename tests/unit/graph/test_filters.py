from __future__ import annotations

from datetime import date

from civgraph.graph.catalog import Label, Rel, relationship
from civgraph.graph.filters import AnyOf, Compare, Op, Related, compile_conditions

ENROLLED = relationship(Rel.ENROLLED_IN, Label.HOUSEHOLD, Label.PROGRAM)
MEMBER_OF = relationship(Rel.MEMBER_OF, Label.PERSON, Label.HOUSEHOLD)


def test_values_travel_as_parameters_never_as_text() -> None:
    compiled = compile_conditions([Compare("name", Op.STARTS_WITH, "x' OR 1=1 //")])

    assert compiled.where == "n.name STARTS WITH $f0"
    assert compiled.params == {"f0": "x' OR 1=1 //"}


def test_a_relationship_filter_is_an_exists_subquery_with_its_period() -> None:
    condition = Related(
        ENROLLED,
        through=MEMBER_OF,
        other=[Compare("code", Op.IN, ["DIBAO_URBAN"])],
        during=(date(2024, 1, 1), date(2024, 12, 31)),
    )

    compiled = compile_conditions([condition, Compare("sex", Op.EQ, "MALE")])

    assert compiled.where == (
        "EXISTS { MATCH (n)-[h:MEMBER_OF]->(:Household)-[r:ENROLLED_IN]->(x:Program) "
        "WHERE x.code IN $f0 AND (r.since IS NULL OR r.since <= $f1) "
        "AND (r.until IS NULL OR r.until >= $f2) AND h.until IS NULL } AND n.sex = $f3"
    )
    assert compiled.params == {
        "f0": ["DIBAO_URBAN"],
        "f1": date(2024, 12, 31),
        "f2": date(2024, 1, 1),
        "f3": "MALE",
    }


def test_alternatives_are_grouped() -> None:
    compiled = compile_conditions(
        [AnyOf([Compare("deathDate", Op.IS_NULL), Compare("name", Op.EQ, "甲")])]
    )

    assert compiled.where == "(n.deathDate IS NULL OR n.name = $f0)"


def test_no_condition_matches_everything() -> None:
    assert compile_conditions([]).where == "true"
