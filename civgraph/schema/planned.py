"""The schema extension that answers a query from the read planner (civgraph/resolvers/
planner.py) when it plans every root field: one statement per root field, the JSON built
without strawberry's per-object execution. Other operations execute as usual."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

from graphql import ExecutionResult, GraphQLField
from strawberry.extensions import SchemaExtension
from strawberry.types.arguments import convert_arguments

from civgraph.resolvers import planner
from civgraph.resolvers.context import Context
from civgraph.schema.filters import to_order


class Planned(SchemaExtension):
    """Runs after the checks (Authorize, Limits): a refused operation has its result already."""

    async def on_execute(self) -> AsyncGenerator[None, None]:
        run = self.execution_context
        context = run.context
        if (
            run.result is None
            and isinstance(context, Context)
            and context.settings.planner
            and run.graphql_document is not None
        ):
            request = planner.Request(
                context.graph, context.scope, context.principal,
                context.settings.max_page_size, to_order, self.converted,
            )  # fmt: skip
            found = await planner.answer(
                run.schema._schema, run.graphql_document, run.operation_name, run.variables,
                request,
            )  # fmt: skip
            if found is not None:
                context.unmasked += found.unmasked
                run.result = ExecutionResult(data=found.data, errors=found.errors or None)
        yield

    def converted(self, field: GraphQLField, values: dict[str, Any]) -> dict[str, Any]:
        """Argument values as strawberry passes them to the field's resolver."""
        schema = self.execution_context.schema
        return convert_arguments(
            values, field.extensions["strawberry-definition"].arguments,
            scalar_registry=schema.schema_converter.scalar_registry, config=schema.config,
        )  # fmt: skip
