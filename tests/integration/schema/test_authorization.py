"""Every role against every root query field and mutation, derived from the schema and run
in-process against the real graph: the policy is what the API enforces, before anything
executes."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    Undefined,
    get_named_type,
    is_leaf_type,
)

from civgraph.auth import policy
from civgraph.auth.principal import Principal, Role
from civgraph.graph.driver import Graph
from civgraph.resolvers.context import build_context
from civgraph.schema.schema import build_schema
from civgraph.settings import Settings

SCALARS = {"String": '"x"', "ID": '"x"', "Int": "1", "Float": "1.5", "Boolean": "false",
           "Date": '"2026-01-01"', "DateTime": '"2026-01-01T00:00:00Z"', "JSON": "{}",
           "DivisionCode": '"340104"'}  # fmt: skip


def needed(value: GraphQLArgument | GraphQLInputField) -> bool:
    return isinstance(value.type, GraphQLNonNull) and value.default_value is Undefined


def literal(kind: GraphQLInputType) -> str:
    """A value of `kind` that passes validation (not necessarily the resolver's checks)."""
    if isinstance(kind, GraphQLNonNull):
        return literal(kind.of_type)
    if isinstance(kind, GraphQLList):
        return f"[{literal(kind.of_type)}]"
    if isinstance(kind, GraphQLEnumType):
        return str(next(iter(kind.values)))
    if isinstance(kind, GraphQLInputObjectType):
        fields = kind.fields.items()
        required = [f"{name}: {literal(f.type)}" for name, f in fields if needed(f)]
        return "{" + ", ".join(required) + "}"
    assert isinstance(kind, GraphQLScalarType)
    return SCALARS[kind.name]


def operation(kind: str, name: str, field: GraphQLField) -> str:
    arguments = [f"{arg}: {literal(a.type)}" for arg, a in field.args.items() if needed(a)]
    args = f"({', '.join(arguments)})" if arguments else ""
    selection = "" if is_leaf_type(get_named_type(field.type)) else "{ __typename }"
    return f"{kind} {{ {name}{args} {selection} }}"


def cases() -> list[tuple[str, str, str]]:
    schema = build_schema()._schema
    found = []
    for kind, root in (("query", schema.query_type), ("mutation", schema.mutation_type)):
        assert root is not None
        found += [(kind, name, operation(kind, name, field)) for name, field in root.fields.items()]
    return found


CASES = cases()


def probes_pii(name: str, document: str) -> bool:
    """Whether the operation looks something up by personal data (`person(idNumber:)`)."""
    return any(f"{field}(" in document and f"{argument}:" in document and name == field
               for field, argument in policy.PII_ARGUMENTS)  # fmt: skip


def refused(result: Any) -> bool:
    return any((e.extensions or {}).get("code") == "FORBIDDEN" for e in result.errors or [])


@pytest.mark.parametrize("role", list(Role))
async def test_each_role_gets_exactly_the_root_fields_the_policy_gives_it(
    graph: Graph, role: Role
) -> None:
    schema = build_schema()
    principal = Principal("matrix (synthetic)", role)
    mutations = [name for kind, name, _ in CASES if kind == "mutation"]
    wrong = []
    for kind, name, document in CASES:
        context = build_context(graph, Settings(), principal=principal)
        result = await schema.execute(document, context_value=context)
        expected = policy.allowed(principal, kind, name, mutations) and (
            policy.sees_pii(principal) or not probes_pii(name, document)
        )
        if refused(result) == expected:
            wrong.append((kind, name, result.errors))

    assert wrong == []


def test_the_matrix_in_numbers() -> None:
    mutations = [name for kind, name, _ in CASES if kind == "mutation"]

    def count(role: Role, kind: str) -> int:
        principal = Principal("x", role)
        return sum(policy.allowed(principal, kind, name, mutations)
                   for k, name, _ in CASES if k == kind)  # fmt: skip

    queries = sum(1 for kind, _, _ in CASES if kind == "query")
    # investigators' and admins' only: written out, not read from the policy under test
    investigations = {
        "concurrentPosts", "retiredCadrePosts", "notDecoupled", "benefitsAfterDeath",
        "duplicateEnrollments", "twoHouseholds", "underAgeAllowance", "assistedMeans",
        "hiddenSpouses", "officersRelatives", "overCapacity", "paths", "neighborhood",
    }  # fmt: skip
    viewer = Principal("x", Role.VIEWER)
    denied = {
        name for kind, name, _ in CASES
        if kind == "query" and not policy.allowed(viewer, kind, name, mutations)
    }  # fmt: skip
    assert denied == investigations | {"auditLog", "verificationReport"}
    investigations_count = len(investigations)
    # everyone but admins lacks auditLog; viewers and integrators the verification report
    assert {role: count(role, "query") for role in Role} == {
        Role.VIEWER: queries - 2 - investigations_count,
        Role.CASEWORKER: queries - 1 - investigations_count,
        Role.INVESTIGATOR: queries - 1,
        Role.INTEGRATOR: queries - 2 - investigations_count,
        Role.ADMIN: queries,
    }
    assert {role: count(role, "mutation") for role in Role} == {
        Role.VIEWER: 0, Role.CASEWORKER: 3, Role.INVESTIGATOR: 4, Role.INTEGRATOR: 0,
        Role.ADMIN: len(mutations),
    }  # fmt: skip
