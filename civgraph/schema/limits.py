"""Limits applied to every operation before it runs (depth, aliases and tokens are
strawberry's validation rules, see schema.py): the estimated cost, introspection in
production mode, and subscriptions per WebSocket connection.

**Cost.** Each field selected costs 1 for every time it will be resolved. A field with a
`first` argument is resolved for up to `first` items (the argument's value, or its
default); a list field without one is guessed at `LIST_GUESS` items, unless it is the list
of a page (`nodes`, `edges`, `items`) whose size its parent's `first` already counted.
The estimate needs no round trip: a query over the limit is refused before it reaches
Neo4j.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
)
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from civgraph.resolvers.errors import UserError
from civgraph.schema.authorization import all_fields, fragments_of, operation_of, refuse
from civgraph.settings import Mode

LIST_GUESS = 5  # items assumed in a list without `first` (household members, posts, …)
INTROSPECTION = frozenset({"__schema", "__type"})


class Refused(UserError):
    """An operation over a limit."""


class Limits(SchemaExtension):
    def __init__(self) -> None:
        self.counted = False  # a subscription this operation counts against its connection
        self.connection: Any = None  # the context of the request or WebSocket connection

    def on_operation(self) -> Generator[None, None, None]:
        # Kept now: the operation executes on a copy of it (Authorize gives it its privacy).
        self.connection = self.execution_context.context
        # For a subscription this lasts as long as its stream (on_execute does not).
        try:
            yield
        finally:
            if self.counted:
                self.connection.subscriptions -= 1

    def on_execute(self) -> Generator[None, None, None]:
        if self.execution_context.result is not None:  # refused already (Authorize runs first)
            yield
            return
        context = self.connection
        reason = self.refusal(context)
        subscription = self.execution_context.operation_type is OperationType.SUBSCRIPTION
        if reason is None and subscription:
            limit = context.settings.max_subscriptions_per_connection
            if context.subscriptions >= limit:
                reason = f"at most {limit} subscriptions may run on one connection"
            else:
                context.subscriptions += 1
                self.counted = True
        if reason is not None:
            refuse(self.execution_context, Refused(reason), "LIMIT")
        yield

    def refusal(self, context: Any) -> str | None:
        operation = operation_of(self.execution_context)
        if operation is None:
            return None
        fragments = fragments_of(self.execution_context)
        settings = context.settings
        introspects = any(
            field.name.value in INTROSPECTION
            for field in all_fields(operation.selection_set, fragments)
        )
        if settings.mode is Mode.PRODUCTION and introspects:
            return "introspection is off in production mode"
        schema = self.execution_context.schema._schema
        root = schema.get_root_type(operation.operation)
        if root is None:
            return None
        variables = self.execution_context.variables or {}
        cost = Estimate(schema, fragments, variables).selection(operation.selection_set, root)
        if cost > settings.max_query_cost:
            return (
                f"the query's estimated cost {cost:,} is over the limit of "
                f"{settings.max_query_cost:,}: ask for smaller pages or fewer nested lists"
            )
        return None


class Estimate:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables

    def selection(
        self, selections: SelectionSetNode, parent: Any, times: int = 1, paged: bool = False
    ) -> int:
        """What resolving `selections` on `times` objects of type `parent` costs."""
        total = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent, times, paged)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                kind = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selection(selection.selection_set, kind, times, paged)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment:
                    kind = self.schema.get_type(fragment.type_condition.name.value)
                    total += self.selection(fragment.selection_set, kind, times, paged)
        return total

    def field(self, node: FieldNode, parent: Any, times: int, paged: bool) -> int:
        name = node.name.value
        if name.startswith("__"):
            return 0
        fields = getattr(parent, "fields", {})  # object and interface types
        definition = fields.get(name)
        if definition is None:
            return times
        first = self.first(node, definition)
        if first is not None:
            items, child_paged = first, True
        elif is_list_type(get_nullable_type(definition.type)) and not paged:
            items, child_paged = LIST_GUESS, False
        else:
            items, child_paged = 1, False
        cost = times
        if node.selection_set:
            kind = get_named_type(definition.type)
            cost += self.selection(node.selection_set, kind, times * max(items, 1), child_paged)
        return cost

    def first(self, node: FieldNode, definition: Any) -> int | None:
        if "first" not in definition.args:
            return None
        for argument in node.arguments or ():
            if argument.name.value != "first":
                continue
            value = argument.value
            if isinstance(value, IntValueNode):
                return int(value.value)
            if isinstance(value, VariableNode):
                given = self.variables.get(value.name.value)
                return int(given) if isinstance(given, int) else LIST_GUESS
        default = definition.args["first"].default_value
        return int(default) if isinstance(default, int) else LIST_GUESS
