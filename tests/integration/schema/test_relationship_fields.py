"""Every relationship field, on the demo dataset (which has every relationship type):
each resolves without error and finds something somewhere."""

from __future__ import annotations

from typing import Any

import pytest

from civgraph.auth.principal import Principal, Role
from civgraph.graph.driver import Graph
from civgraph.resolvers.context import build_context
from civgraph.schema.schema import build_schema
from civgraph.settings import Settings

P = "provenance { source }"
FIELDS: dict[str, dict[str, str]] = {
    "regions": {
        "parent": "parent { code }",
        "children": "children { code }",
        "communities": "communities { code }",
        "organizations": "organizations(first: 50) { items { uscc } }",
    },
    "communities": {
        "township": "township { code }",
        "households": "households(first: 5) { items { number } }",
        "residents": "residents(first: 5) { items { since person { name } } }",
        "facilities": "facilities { code }",
        "servingOrganizations": f"servingOrganizations {{ role {P} provider {{ __typename }} }}",
        "staff": "staff { role provider { ... on Person { name } } }",
        "serviceProjects": "serviceProjects { code }",
        "volunteers": "volunteers { person { name } target { __typename } }",
    },
    "households": {
        "community": "community { code }",
        "members": "members { relation person { name } household { number } }",
        "benefits": "benefits { status amount via program { code } beneficiary { __typename } }",
    },
    "people": {
        "households": "households { relation household { number } }",
        "programs": "programs { via program { code } }",
        "posts": "posts { title leading organization { name } }",
        "employers": "employers { publicPayroll organization { name } }",
        "investments": "investments { sharePercent organization { name } }",
        "facilityResidences": "facilityResidences { facility { name } }",
        "residences": "residences { community { code } }",
        "assets": "assets { asset { registration } }",
        "marriages": "marriages { since spouse { name } }",
        "cremation": "cremation { crematedOn facility { name } }",
        "services": "services { role community { code } }",
        "volunteering": "volunteering { target { __typename } }",
        "donations": "donations { amount recipient { name } }",
    },
    "organizations": {
        "officers": "officers(first: 50) { items { title person { name } } }",
        "supervisors": "supervisors { supervisor { name } }",
        "supervised": "supervised { organization { name } }",
        "facilities": "facilities { facility { name } }",
        "fundedProjects": "fundedProjects { amount project { code } }",
        "deliveredProjects": "deliveredProjects { code }",
        "investors": "investors { investor { __typename } }",
        "investments": "investments { organization { name } }",
        "employees": "employees(first: 50) { items { person { name } } }",
        "servedCommunities": "servedCommunities { community { code } }",
        "donationsReceived": "donationsReceived { amount donor { __typename } }",
        "volunteers": "volunteers { person { name } }",
        "assets": "assets { asset { registration } }",
        "region": "region { code }",
        "possiblySame": "possiblySame { score matchKey organization { name uscc } }",
    },
    "facilities": {
        "operators": "operators { operator { name } }",
        "community": "community { code }",
        "residents": "residents(first: 50) { items { person { name } } }",
        "cremations": "cremations(first: 50) { items { person { name } } }",
    },
    "programs": {"enrollments": "enrollments(first: 50) { items { beneficiary { __typename } } }"},
    "serviceProjects": {
        "funders": "funders { funder { name } }",
        "providers": "providers { name }",
        "communities": "communities { code }",
    },
    "assets": {"owners": "owners { owner { __typename } }"},
}
CASES = [(root, field) for root, fields in FIELDS.items() for field in fields]

ADMIN = Principal("tests (synthetic)", Role.ADMIN)


def found(value: Any) -> bool:
    """Whether a field's value (a list, a page, an object or null) holds anything."""
    if isinstance(value, dict) and "items" in value:
        return bool(value["items"])
    return bool(value)


@pytest.mark.parametrize(("root", "field"), CASES)
async def test_each_relationship_field_resolves_and_finds_something(
    demo_graph: Graph, root: str, field: str
) -> None:
    query = f"{{ {root}(first: 100) {{ nodes {{ {FIELDS[root][field]} }} }} }}"

    result = await build_schema().execute(
        query, context_value=build_context(demo_graph, Settings(), principal=ADMIN)
    )

    assert result.errors is None, result.errors
    assert result.data is not None
    values = [node[field] for node in result.data[root]["nodes"]]
    assert any(found(value) for value in values), f"{root}.{field} found nothing in 100 nodes"
