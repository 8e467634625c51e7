"""The schema extension that applies `civgraph.auth.policy` to every operation: root fields
and personal-data arguments are checked before anything runs, the operation gets its
`Privacy` (which the personal-data fields, civgraph.schema.masking, mask and count by), and
each operation leaves an audit entry."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import Any

from graphql import (
    EnumValueNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
)
from graphql.language import ListValueNode
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext, StreamExecutionResult
from strawberry.types.graphql import OperationType

from civgraph.auth import policy
from civgraph.auth.audit import AuditEntry
from civgraph.auth.principal import Principal
from civgraph.auth.privacy import Privacy
from civgraph.resolvers.errors import UserError
from civgraph.schema.extensions import request_id


class Forbidden(UserError):
    """The principal may not run this operation (or not with these arguments)."""


class Authorize(SchemaExtension):
    def __init__(self) -> None:
        self.refusal: str | None = None
        self.principal: Principal | None = None
        self.privacy = Privacy()
        self.events = 0  # a subscription's, sent so far
        self.executed = False  # parsed and validated: on_execute ran

    def on_operation(self) -> Generator[None, None, None]:
        # The entry is written however the operation ends: a document that does not parse
        # or validate (on_execute never runs), or a subscription its client stops (the
        # stream is closed at this yield).
        self.principal = getattr(self.execution_context.context, "principal", None)
        try:
            yield
        finally:
            self.audit(*self.outcome())

    def outcome(self) -> tuple[str, int]:
        """How the operation ended, and its result size (a subscription's: events sent)."""
        result = self.execution_context.result
        data = getattr(result, "data", None)
        errors = getattr(result, "errors", None) or self.execution_context.pre_execution_errors
        if not self.executed:
            return "invalid", 0  # did not parse or validate
        if self.refusal:
            return "denied", 0
        if self.subscription():
            return "ended", self.events
        return ("error" if errors else "ok"), count_results(data)

    def kind(self) -> OperationType | None:
        """The operation's type; None when the document did not parse or names no operation."""
        try:
            return self.execution_context.operation_type
        except RuntimeError:
            return None

    def subscription(self) -> bool:
        return self.kind() is OperationType.SUBSCRIPTION

    def audit(self, outcome: str, size: int) -> None:
        audit = getattr(self.execution_context.context, "audit", None)
        if audit is None or self.principal is None:
            return
        kind = self.kind()
        audit.record(
            AuditEntry.of(
                self.principal,
                kind.value if kind else "unknown",
                self.execution_context.operation_name or ",".join(self.root_fields()) or "-",
                self.execution_context.variables,
                results=size,
                outcome=outcome,
                pii_unmasked=self.privacy.unmasked,
                request_id=request_id(),
            )
        )

    def on_execute(self) -> Generator[None, None, None]:
        self.executed = True
        self.privacy = Privacy.of(self.principal)
        context = self.execution_context.context
        if context is not None:  # the operation runs on its own copy, holding its privacy
            self.execution_context.context = context.for_operation(self.privacy)
        self.refusal = self.check()
        if self.refusal:
            refuse(self.execution_context, Forbidden(self.refusal), "FORBIDDEN")
        elif self.subscription():
            self.audit("started", 0)  # and again when it ends, with the events sent
        yield

    def on_stream_result(self, result: StreamExecutionResult) -> Generator[None, None, None]:
        # A subscription's results: an event each, or the error that ends it (no data).
        if self.subscription() and getattr(result, "data", None) is not None:
            self.events += 1
        yield

    # --- checks before execution ---------------------------------------------------------

    def check(self) -> str | None:
        """Why the operation is refused, or None."""
        principal = self.principal
        if principal is None:
            return "not authenticated"
        operation = self.operation()
        if operation is None:
            return None  # graphql-core reports the missing operation
        kind = operation.operation.value
        mutation_type = self.execution_context.schema._schema.mutation_type
        names = list(mutation_type.fields) if mutation_type else []
        for field in self.root_fields():
            if not policy.allowed(principal, kind, field, names):
                return f"role {principal.role} may not use {kind} field `{field}`"
        if not self.privacy.sees_pii and self.probes_pii(operation):
            return (
                f"role {principal.role} may not look up, filter or sort by personal data "
                "(ID number, phone, address)"
            )
        return None

    def operation(self) -> OperationDefinitionNode | None:
        return operation_of(self.execution_context)

    def fragments(self) -> dict[str, FragmentDefinitionNode]:
        return fragments_of(self.execution_context)

    def root_fields(self) -> list[str]:
        operation = self.operation()
        if operation is None:
            return []
        return [f.name.value for f in fields_of(operation.selection_set, self.fragments(), set())
                if not f.name.value.startswith("__")]  # fmt: skip

    def probes_pii(self, operation: OperationDefinitionNode) -> bool:
        variables = self.execution_context.variables or {}
        roots = {f.name.value for f in fields_of(operation.selection_set, self.fragments(), set())}
        for field in all_fields(operation.selection_set, self.fragments()):
            for argument in field.arguments or ():
                name = argument.name.value
                if field.name.value in roots and (field.name.value, name) in policy.PII_ARGUMENTS:
                    return True
                if probes(argument.value, variables):
                    return True
        return False


PAGES = ("findings", "edges", "entries", "links", "events")


def count_results(data: dict[str, Any] | None) -> int:
    """Items an operation returned, for the audit log: per root field, a list's length or a
    page's (findings, edges, entries, links), else 1 (0 for null)."""
    total = 0
    for value in (data or {}).values():
        if isinstance(value, list):
            total += len(value)
        elif isinstance(value, dict):
            page = next((value[name] for name in PAGES if isinstance(value.get(name), list)), None)
            total += len(page) if page is not None else 1
        elif value is not None:
            total += 1
    return total


def refuse(context: ExecutionContext, error: UserError, code: str) -> None:
    """Refuses an operation before it runs, with `error` and its `code` (extensions.code): a
    subscription by raising it (the client gets it, then complete); a query or mutation
    gets `data: null` and the error."""
    refused = GraphQLError(str(error), extensions={"code": code})
    if context.operation_type is OperationType.SUBSCRIPTION:
        raise refused
    context.result = ExecutionResult(data=None, errors=[refused])


def operation_of(context: ExecutionContext) -> OperationDefinitionNode | None:
    """The operation an execution runs: the named one, or the only one (None when a
    document of several names none: graphql-core reports that)."""
    document = context.graphql_document
    found = [d for d in (document.definitions if document else ())
             if isinstance(d, OperationDefinitionNode)]  # fmt: skip
    name = context.operation_name
    if name is None:
        return found[0] if len(found) == 1 else None
    return next((d for d in found if d.name and d.name.value == name), None)


def fragments_of(context: ExecutionContext) -> dict[str, FragmentDefinitionNode]:
    document = context.graphql_document
    return {d.name.value: d for d in (document.definitions if document else ())
            if isinstance(d, FragmentDefinitionNode)}  # fmt: skip


def fields_of(
    selections: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode], seen: set[str]
) -> Iterator[FieldNode]:
    """The fields of one selection set, through fragments."""
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from fields_of(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
            seen.add(selection.name.value)
            fragment = fragments.get(selection.name.value)
            if fragment:
                yield from fields_of(fragment.selection_set, fragments, seen)


def all_fields(
    selections: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode]
) -> Iterator[FieldNode]:
    """Every field at every depth."""
    for field in fields_of(selections, fragments, set()):
        yield field
        if field.selection_set:
            yield from all_fields(field.selection_set, fragments)


def probes(value: ValueNode, variables: dict[str, Any]) -> bool:
    """Whether an argument's value filters or sorts by personal data."""
    if isinstance(value, ObjectValueNode):
        return any(f.name.value in policy.PII_INPUT_FIELDS or probes(f.value, variables)
                   for f in value.fields)  # fmt: skip
    if isinstance(value, ListValueNode):
        return any(probes(item, variables) for item in value.values)
    if isinstance(value, EnumValueNode):
        return value.value in policy.PII_ORDER
    if isinstance(value, VariableNode):
        return probes_value(variables.get(value.name.value))
    return False


def probes_value(value: Any) -> bool:
    if isinstance(value, dict):
        return any(k in policy.PII_INPUT_FIELDS or probes_value(v) for k, v in value.items())
    if isinstance(value, list):
        return any(probes_value(item) for item in value)
    return isinstance(value, str) and value in policy.PII_ORDER
