"""The schema extension that answers a query's root fields from the read planner
(civgraph/resolvers/planner.py): one statement per planned root field, the JSON built
without strawberry's per-object execution. Root fields it does not plan are executed as
usual, and the two answers merged; mutations and subscriptions are not touched."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from typing import Any

from graphql import ExecutionResult, GraphQLField
from strawberry.extensions import SchemaExtension
from strawberry.types.arguments import convert_arguments

from civgraph.resolvers import planner
from civgraph.resolvers.context import Context
from civgraph.schema.authorization import fragments_of, operation_of
from civgraph.schema.filters import to_order


class Planned(SchemaExtension):
    """Runs after the checks (Authorize, Limits): a refused operation has its result already."""

    async def on_execute(self) -> AsyncGenerator[None, None]:
        run = self.execution_context
        context = run.context
        document = run.graphql_document
        if (
            run.result is not None
            or not isinstance(context, Context)
            or not context.settings.planner
            or document is None
        ):
            yield
            return
        operation = operation_of(run)
        request = planner.Request(
            context.scoped, context.privacy, context.settings.max_page_size,
            to_order, self.converted,
        )  # fmt: skip
        schema = run.schema._schema
        plan = planner.plan(schema, operation, fragments_of(run), run.variables, request)
        if plan is None or not plan.planned:
            yield
            return
        if not plan.rest:
            found = await plan.run()
            run.result = ExecutionResult(data=found.data, errors=found.errors or None)
            yield
            return
        assert operation is not None
        planned = asyncio.ensure_future(plan.run())
        run.graphql_document = plan.rest_of(document, operation)
        try:
            yield
        finally:
            found = await planned
            run.graphql_document = document
        # strawberry returns the result object it made (not run.result): amend it in place
        data, errors = planner.merged(plan, found, run.result)
        if run.result is not None:
            run.result.data, run.result.errors = data, errors or None

    def converted(self, field: GraphQLField, values: dict[str, Any]) -> dict[str, Any]:
        """Argument values as strawberry passes them to the field's resolver."""
        schema = self.execution_context.schema
        return convert_arguments(
            values, field.extensions["strawberry-definition"].arguments,
            scalar_registry=schema.schema_converter.scalar_registry, config=schema.config,
        )  # fmt: skip
