from __future__ import annotations

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    get_introspection_query,
    graphql_sync,
)

from civgraph.graph.changes import ChangeEvent
from civgraph.schema.schema import build_schema

BUILT_IN = {"String", "Int", "Float", "Boolean", "ID"}


def undescribed() -> list[str]:
    missing = []
    for name, graphql_type in build_schema()._schema.type_map.items():
        if name.startswith("__") or name in BUILT_IN:
            continue
        if not graphql_type.description:
            missing.append(name)
        if isinstance(
            graphql_type, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType
        ):
            missing += [
                f"{name}.{f}" for f, field in graphql_type.fields.items() if not field.description
            ]
    return missing


def test_every_type_and_field_explains_itself_in_graphiql() -> None:
    assert undescribed() == []


def test_department_terms_appear_in_chinese() -> None:
    types = build_schema()._schema.type_map
    program_codes = types["ProgramCode"]

    assert isinstance(program_codes, GraphQLEnumType)
    assert "低保" in (program_codes.description or "")
    assert "居委会" in (types["Community"].description or "")


def test_graphiqls_introspection_query_answers_without_errors() -> None:
    """Every argument's default must be representable (a required input has none)."""
    result = graphql_sync(build_schema()._schema, get_introspection_query())

    assert result.errors is None


def test_a_change_batch_deleted_while_read_has_no_events() -> None:
    """Pruning (or a test's wipe) can delete a batch the feed is reading: it reads as {}."""
    assert ChangeEvent.unpack({}) == []
