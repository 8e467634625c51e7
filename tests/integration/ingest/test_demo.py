"""The demo dataset: every label and relationship of the catalog, the README's records, the
planted situations, and loading it twice.

Tests that only read share one load (the `demo` fixture); the others start empty (`graph`).
"""

from __future__ import annotations

from typing import Any, LiteralString

import pytest
import pytest_asyncio

from civgraph.graph.catalog import LABEL_TEXT, REL_TEXT, RELATIONSHIPS, Label, Rel, RelSpec
from civgraph.graph.driver import Graph
from civgraph.graph.migrations import has_data
from civgraph.ingest.demo import MEMBERS, Dataset, build_dataset, load_demo
from tests.builders import wipe

DATASET = build_dataset()

NODE_COUNTS: LiteralString = """
MATCH (n) WHERE NOT n:SchemaMigration
RETURN labels(n)[0] AS label, count(*) AS n ORDER BY label
"""
RELATIONSHIP_COUNTS: LiteralString = """
MATCH (s)-[r]->(t)
RETURN labels(s)[0] AS source, type(r) AS type, labels(t)[0] AS target, count(*) AS n
ORDER BY source, type, target
"""


def node_counts(dataset: Dataset) -> list[dict[str, Any]]:
    """What NODE_COUNTS reads after loading `dataset` into an empty graph."""
    counts: dict[str, int] = {}
    for batch in dataset.nodes:
        for node in batch:
            counts[LABEL_TEXT[node.label]] = counts.get(LABEL_TEXT[node.label], 0) + 1
    return [{"label": label, "n": n} for label, n in sorted(counts.items())]


@pytest_asyncio.fixture
async def demo(session_graph: Graph) -> Graph:
    """The session's graph holding just the demo: loaded by the first test that asks for it,
    and again whenever the graph holds anything else (another test emptied it)."""
    if await session_graph.read(NODE_COUNTS) != node_counts(DATASET):
        await wipe(session_graph)
        await load_demo(session_graph)
    return session_graph


def relationship_count(spec: RelSpec) -> LiteralString:
    return (
        "MATCH (:" + LABEL_TEXT[spec.source] + ")-[r:" + REL_TEXT[spec.rel] + "]->(:"
        + LABEL_TEXT[spec.target] + ") RETURN count(r) AS n"
    )  # fmt: skip


def placed(spec: RelSpec) -> int:
    """How many relationships of `spec` nodes.py draws from node properties: one for each
    node of the source label but the province, which has no parent."""
    nodes = [node for batch in DATASET.nodes for node in batch if node.label is spec.source]
    return len(nodes) - (spec.source is Label.REGION)


def resolved(spec: RelSpec) -> int:
    """The relationships of the demo's records without an ID number or credit code (a
    cremation, a post), and each one's possible match (entity resolution's grey band)."""
    stated = sum(stated is spec for stated, _ in DATASET.unkeyed)
    return stated + (spec.rel is Rel.POSSIBLY_SAME)


async def one(graph: Graph, query: LiteralString, **params: Any) -> Any:
    [row] = await graph.read(query, **params)
    return row["n"]


async def test_the_demo_loads_a_few_hundred_people_into_an_empty_database(graph: Graph) -> None:
    loaded = await load_demo(graph)

    assert await has_data(graph)
    assert loaded == await one(
        graph, "MATCH (p:Person) WHERE p.idNumber IS NOT NULL RETURN count(p) AS n"
    )
    assert 300 <= loaded <= 400


async def test_every_label_has_nodes(demo: Graph) -> None:
    counts = {row["label"]: row["n"] for row in await demo.read(NODE_COUNTS)}

    # and the change feed's outbox, which recorded the load (API keys and the audit log of
    # the session's servers, and plan targets other tests loaded, may be there too)
    found = set(counts) - {"ApiKey", "AuditEntry", "PlanTarget"}
    assert found == {LABEL_TEXT[label] for label in Label} | {"ChangeBatch", "ChangeSequence"}
    assert all(count > 0 for count in counts.values())


@pytest.mark.parametrize(
    "spec", RELATIONSHIPS, ids=[f"{s.source}-{s.rel}-{s.target}" for s in RELATIONSHIPS]
)
async def test_every_relationship_of_the_catalog_is_there(demo: Graph, spec: RelSpec) -> None:
    found = await one(demo, relationship_count(spec))

    # Every link the demo writes lands (an upsert skips links to missing nodes silently),
    # and every node placed by its own properties (PART_OF, REGISTERED_IN, LOCATED_IN) is.
    assert found > 0
    assert found == (len(DATASET.links[spec]) + resolved(spec) or placed(spec))


async def test_loading_the_demo_twice_changes_no_count(graph: Graph) -> None:
    await load_demo(graph)
    nodes, relationships = await graph.read(NODE_COUNTS), await graph.read(RELATIONSHIP_COUNTS)

    await load_demo(graph)

    assert await graph.read(NODE_COUNTS) == nodes
    assert await graph.read(RELATIONSHIP_COUNTS) == relationships


async def test_the_readme_region_has_its_township_community_and_households(demo: Graph) -> None:
    rows = await demo.read(
        "MATCH (county:Region {code: '340111'})<-[:PART_OF]-(township:Region)"
        "<-[:PART_OF]-(community:Community)<-[:REGISTERED_IN]-(h:Household)<-[:MEMBER_OF]-(p) "
        "WHERE h.number IN ['340111001001-0001', '340111001001-0002', '340111100201-0001'] "
        "RETURN county.name AS county, township.name AS township, community.name AS community, "
        "community.kind AS kind, p.name AS name ORDER BY p.name"
    )

    places = {(r["county"], r["township"], r["community"], r["kind"]) for r in rows}
    assert places == {
        ("包河区", "演示街道", "演示社区居委会", "URBAN"),
        ("包河区", "演示镇", "演示村村委会", "VILLAGE"),
    }
    assert sorted(r["name"] for r in rows) == sorted(member[0] for member in MEMBERS)


async def test_every_person_is_placed_by_their_household(demo: Graph) -> None:
    misplaced = await one(
        demo,
        "MATCH (p:Person) WHERE p.idNumber IS NOT NULL "
        "AND NOT EXISTS { (p)-[m:MEMBER_OF WHERE m.until IS NULL]->"
        "(h:Household) WHERE h.divisionCode = p.divisionCode } RETURN count(p) AS n",
    )

    assert misplaced == 0


async def test_some_benefits_are_still_paid_after_a_death(demo: Graph) -> None:
    paid = await one(
        demo,
        "MATCH (p:Person)-[e:ENROLLED_IN {status: 'ACTIVE'}]->(:Program) "
        "WHERE p.deathDate IS NOT NULL AND (e.until IS NULL OR e.until > p.deathDate) "
        "RETURN count(e) AS n",
    )

    assert paid >= 2


async def test_a_dibao_household_has_a_living_member_over_80(demo: Graph) -> None:
    households = await one(
        demo,
        "MATCH (h:Household)-[:ENROLLED_IN {status: 'ACTIVE'}]->(:Program {beneficiary: "
        "'HOUSEHOLD'}) MATCH (h)<-[:MEMBER_OF]-(p:Person) WHERE p.deathDate IS NULL "
        "AND p.birthDate <= date() - duration({years: 80}) RETURN count(DISTINCT h) AS n",
    )

    assert households >= 1


async def test_a_care_home_has_more_residents_than_beds(demo: Graph) -> None:
    rows = await demo.read(
        "MATCH (f:Facility)<-[r:RESIDENT_OF WHERE r.until IS NULL]-(:Person) "
        "WITH f, count(r) AS residents WHERE residents > f.beds "
        "RETURN f.kind AS kind, f.beds AS beds, residents"
    )

    assert rows == [{"kind": "ELDERLY_CARE_HOME", "beds": 6, "residents": 8}]


async def test_some_people_are_in_several_programs_at_once(demo: Graph) -> None:
    people = await one(
        demo,
        "MATCH (p:Person)-[a:ENROLLED_IN {status: 'ACTIVE'}]->(x:Program), "
        "(p)-[b:ENROLLED_IN {status: 'ACTIVE'}]->(y:Program) WHERE x.code < y.code "
        "RETURN count(DISTINCT p) AS n",
    )
    dibao_members_with_more = await one(
        demo,
        "MATCH (:Program {beneficiary: 'HOUSEHOLD'})<-[:ENROLLED_IN {status: 'ACTIVE'}]-"
        "(:Household)<-[:MEMBER_OF]-(p:Person)-[:ENROLLED_IN {status: 'ACTIVE'}]->(:Program) "
        "RETURN count(DISTINCT p) AS n",
    )

    assert people >= 2
    assert dibao_members_with_more >= 2


async def test_a_serving_cadre_leads_an_association_their_bureau_supervises(demo: Graph) -> None:
    rows = await demo.read(
        "MATCH (bureau:Organization {kind: 'GOVERNMENT_AGENCY'})<-[c:HOLDS_POST]-(p:Person)"
        "-[s:HOLDS_POST]->(o:Organization {kind: 'SOCIAL_GROUP'})-[v:SUPERVISED_BY]->(bureau) "
        "WHERE c.rank <> 'NONE' AND c.until IS NULL AND s.leading AND s.until IS NULL "
        "AND v.until IS NULL RETURN o.industryAssociation AS industry, s.approvalFiled AS filed"
    )

    assert rows == [{"industry": True, "filed": False}]


async def test_dibao_households_hide_a_company_a_car_two_homes_and_a_salary(demo: Graph) -> None:
    dibao: LiteralString = (
        "MATCH (:Program {beneficiary: 'HOUSEHOLD'})<-[:ENROLLED_IN {status: 'ACTIVE'}]-"
        "(:Household)<-[:MEMBER_OF]-(p:Person) "
    )

    legal_representatives = await one(
        demo,
        dibao
        + "MATCH (p)-[:HOLDS_POST {title: '法定代表人'}]->(:Organization {kind: 'ENTERPRISE'}) "
        "RETURN count(DISTINCT p) AS n",
    )
    car_owners = await one(
        demo, dibao + "MATCH (p)-[:OWNS]->(:Asset {kind: 'VEHICLE'}) RETURN count(DISTINCT p) AS n"
    )
    most_homes = await one(
        demo,
        dibao + "MATCH (p)-[:OWNS]->(a:Asset {kind: 'REAL_ESTATE'}) "
        "WITH p, count(DISTINCT a) AS homes RETURN max(homes) AS n",
    )
    on_the_payroll = await one(
        demo,
        dibao + "MATCH (p)-[:EMPLOYED_BY {publicPayroll: true}]->(:Organization) "
        "RETURN count(DISTINCT p) AS n",
    )

    assert (legal_representatives, car_owners, most_homes, on_the_payroll) == (1, 1, 2, 1)


def test_the_dataset_is_the_same_on_every_build() -> None:
    again = build_dataset()

    assert again.nodes == DATASET.nodes
    assert again.links == DATASET.links
