"""The read planner: a query's root field, with its whole selection (nested relationship
fields at any depth, `asOf`, keyset pages, `totalCount` when selected, only the selected
properties), read in one Cypher statement and answered as JSON without the per-object
resolvers.

It plans the entity lookups (`node`, `nodes`, `person(idNumber:)`, …), the root
connections (`people`, `households`, …) and full-text `search`, over the node types'
properties and relationship fields (civgraph/resolvers/relations.py). A root field with
anything else — the other views, an investigation, a field given input the resolvers
refuse — is not planned: it runs through strawberry and the DataLoaders as before, and the
fallback is logged at debug level and counted in `FALLBACKS` with its reason.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import structlog
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    is_non_null_type,
)
from graphql.execution.values import VariableValues, get_variable_values
from strawberry.relay import GlobalID

from civgraph.auth.privacy import Privacy
from civgraph.graph import pages, planned
from civgraph.graph import search as full_text
from civgraph.graph.catalog import LABEL_TEXT, Label
from civgraph.graph.driver import native
from civgraph.graph.filters import Condition
from civgraph.graph.scope import Scoped
from civgraph.resolvers import lookups
from civgraph.resolvers.errors import UserError
from civgraph.resolvers.shapes import Planning, Shaper, Unplannable, entity_label, named_in

log = structlog.get_logger(__name__)
FALLBACKS: Counter[str] = Counter()  # root fields not planned, by reason

Root = Callable[[], Awaitable[Any]]  # reads a planned root field and shapes it
OrderOf = Callable[[Any, Any], pages.Order]  # a connection's orderBy and direction → order
# A field's argument values as its resolver gets them (input objects made, Python names).
Converter = Callable[[GraphQLField, dict[str, Any]], dict[str, Any]]

# Lookups by natural key: root field → (label, argument, its check).
KEYED: dict[str, tuple[Label, str, Callable[[Any], str]]] = {
    "region": (Label.REGION, "code", lambda code: str(code.code)),
    "community": (Label.COMMUNITY, "code", lambda code: str(code.code)),
    "household": (Label.HOUSEHOLD, "number", str),
    "person": (Label.PERSON, "idNumber", lookups.resident_id),
    "organization": (Label.ORGANIZATION, "uscc", lookups.uscc),
    "facility": (Label.FACILITY, "code", str),
    "program": (Label.PROGRAM, "code", lambda code: str(code.value)),
}
CONNECTIONS: dict[str, Label] = {
    "people": Label.PERSON, "households": Label.HOUSEHOLD, "organizations": Label.ORGANIZATION,
    "facilities": Label.FACILITY, "communities": Label.COMMUNITY, "regions": Label.REGION,
    "programs": Label.PROGRAM, "serviceProjects": Label.SERVICE_PROJECT, "assets": Label.ASSET,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Request:
    """What the planner needs of a request."""

    scoped: Scoped
    privacy: Privacy
    max_page_size: int
    order_of: OrderOf
    convert: Converter


@dataclass(frozen=True, slots=True)
class Answer:
    data: dict[str, Any] | None
    errors: list[GraphQLError]


@dataclass(frozen=True, slots=True)
class Plan:
    """A query's root fields: those planned (one statement each), in the operation's order,
    and the rest, for strawberry to execute as usual."""

    planned: dict[str, Root]
    rest: list[FieldNode]
    fields: dict[str, list[FieldNode]]  # every root field, by response key, in order
    query_type: GraphQLObjectType

    async def run(self) -> Answer:
        """Reads and shapes the planned root fields (concurrently, as graphql-core would)."""
        keys = list(self.planned)
        values = await asyncio.gather(*(self.planned[k]() for k in keys), return_exceptions=True)
        data: dict[str, Any] | None = {}
        errors: list[GraphQLError] = []
        for key, value in zip(keys, values, strict=True):
            if not isinstance(value, BaseException):
                data = None if data is None else data | {key: value}
                continue
            if not isinstance(value, Exception):
                raise value
            # as graphql-core reports a field's failure: null (its parent's when it may not
            # be null) and an error with the original (masked to the client when unexpected)
            nodes = self.fields[key]
            errors.append(GraphQLError(str(value), nodes, path=[key], original_error=value))
            if data is not None and is_non_null_type(
                self.query_type.fields[nodes[0].name.value].type
            ):
                data = None
            elif data is not None:
                data[key] = None
        return Answer(data, errors)

    def rest_of(self, document: DocumentNode, operation: OperationDefinitionNode) -> DocumentNode:
        """The document with only the root fields not planned (fragments kept)."""
        selection = SelectionSetNode(selections=tuple(self.rest))
        reduced = OperationDefinitionNode(
            operation=operation.operation, name=operation.name,
            variable_definitions=operation.variable_definitions,
            directives=operation.directives, selection_set=selection,
        )  # fmt: skip
        others = [d for d in document.definitions if not isinstance(d, OperationDefinitionNode)]
        return DocumentNode(definitions=(reduced, *others))


def plan(
    schema: GraphQLSchema, operation: OperationDefinitionNode | None,
    fragments: dict[str, FragmentDefinitionNode], variables: dict[str, Any] | None,
    request: Request,
) -> Plan | None:  # fmt: skip
    """The plan of a query's root fields; None for anything else (or when the variables do
    not coerce: graphql-core reports that)."""
    if operation is None or operation.operation is not OperationType.QUERY:
        return None
    coerced = get_variable_values(schema, operation.variable_definitions or (), variables or {})
    if not isinstance(coerced, VariableValues):
        return None
    planning = Planning(schema, fragments, coerced, request.privacy, request.max_page_size)
    query_type = schema.query_type
    assert query_type is not None
    fields: dict[str, list[FieldNode]] = {}
    planning.visit(query_type, operation.selection_set, fields, set())
    roots: dict[str, Root] = {}
    rest: list[FieldNode] = []
    for key, nodes in fields.items():
        try:
            roots[key] = plan_root(planning, request, query_type, nodes)
        except (Unplannable, planned.TooLarge) as reason:
            FALLBACKS[str(reason).split(":", 1)[0]] += 1
            log.debug("not planned", reason=str(reason))
            rest += nodes
        except Exception:  # a planner's bug must not fail what the resolvers can answer
            FALLBACKS["error"] += 1
            log.warning("planning failed", exc_info=True)
            rest += nodes
    return Plan(roots, rest, fields, query_type)


def merged(
    plan: Plan, answer: Answer, executed: Any
) -> tuple[dict[str, Any] | None, list[GraphQLError]]:
    """The planned root fields' answer and graphql-core's for the rest, in the operation's
    order of root fields."""
    errors = [*(getattr(executed, "errors", None) or []), *answer.errors]
    theirs = getattr(executed, "data", None)
    if answer.data is None or theirs is None:
        return None, errors
    data = {key: answer.data[key] if key in answer.data else theirs.get(key) for key in plan.fields}
    return data, errors


def plan_root(
    planning: Planning, request: Request, query_type: GraphQLObjectType, nodes: list[FieldNode]
) -> Root:
    name = nodes[0].name.value
    if name == "__typename":
        return lambda: done(query_type.name)
    if name.startswith("__"):
        raise Unplannable(f"Query.{name}: introspection")
    definition = query_type.fields[name]
    args = planning.arguments(definition, nodes)
    if name == "node":
        label, node_id = decoded(args["id"])
        return one(planning, request, label, nodes, node_id=node_id)
    if name == "nodes":
        return many(planning, request, args["ids"], nodes)
    if name in KEYED:
        label, argument, check = KEYED[name]
        try:
            key = check(args[argument])
        except UserError as error:
            raise Unplannable(f"Query.{name}: input the resolver refuses") from error
        return one(planning, request, label, nodes, key=key)
    if name in CONNECTIONS:
        converted = request.convert(definition, args)
        return connection(planning, request, CONNECTIONS[name], definition, converted, nodes)
    if name == "search":
        return search(planning, request, definition, request.convert(definition, args), nodes)
    raise Unplannable(f"Query.{name}: not planned")


async def done(value: Any) -> Any:
    return value


async def shaped(found: Awaitable[dict[str, Any] | None], shape: Shaper) -> Any:
    raw = await found
    return shape(raw) if raw is not None else None


def decoded(global_id: Any) -> tuple[Label, str]:
    try:
        parsed = global_id if isinstance(global_id, GlobalID) else GlobalID.from_id(global_id)
    except (ValueError, TypeError) as error:
        raise Unplannable("Query.node: an id the resolver refuses") from error
    label = entity_label(parsed.type_name)
    if label is None:
        raise Unplannable("Query.node: an id of no entity type")
    return label, parsed.node_id


def one(
    planning: Planning, request: Request, label: Label, nodes: list[FieldNode], *,
    key: str | None = None, node_id: str | None = None,
) -> Root:  # fmt: skip
    """One node of `label` by natural key or platform id, read when the root runs."""
    read = planned.Read(label)
    shape = planning.entity(LABEL_TEXT[label], read, nodes)
    return lambda: shaped(planned.read_one(request.scoped, label, read, key=key, node_id=node_id),
                          shape)  # fmt: skip


def many(planning: Planning, request: Request, ids: list[Any], nodes: list[FieldNode]) -> Root:
    pairs = [decoded(global_id) for global_id in ids]
    labels = {label for label, _ in pairs}
    if len(labels) != 1:
        raise Unplannable("Query.nodes: ids of several types (or none)")
    label = labels.pop()
    read = planned.Read(label)
    shape = planning.entity(LABEL_TEXT[label], read, nodes)
    wanted = [node_id for _, node_id in pairs]

    async def read_all() -> list[Any]:
        found = await planned.read_many(request.scoped, label, read, wanted)
        return [shape(found[i]) if i in found else None for i in wanted]

    return read_all


def connection(
    planning: Planning, request: Request, label: Label, definition: GraphQLField,
    args: dict[str, Any], nodes: list[FieldNode],
) -> Root:  # fmt: skip
    where = f"Query.{nodes[0].name.value}"
    order = request.order_of(args["order_by"], args["direction"])
    first = planning.page_size(args["first"], where)
    after = None
    if args.get("after") is not None:
        try:
            after = pages.decode_cursor(order, args["after"])
        except pages.InvalidCursor as error:
            raise Unplannable(f"{where}: a cursor the resolver refuses") from error
    conditions: list[Condition] = list(args["filter"].conditions()) if args.get("filter") else []
    connection_type = planning.object_type(get_named_type(definition.type).name)
    read = planned.Read(label)
    shape, wants_total = connection_shape(planning, connection_type, label, read, order, nodes,
                                          first)  # fmt: skip

    async def read_page() -> Any:
        row = await planned.read_page(
            request.scoped, label, read, conditions=conditions, order=order,
            limit=first + 1, after=after, total=wants_total,
        )  # fmt: skip
        return shape(row)

    return read_page


def search(
    planning: Planning, request: Request, definition: GraphQLField, args: dict[str, Any],
    nodes: list[FieldNode],
) -> Root:  # fmt: skip
    """Full-text hits, each entity read as its own type's selection says."""
    first = planning.page_size(args["first"], "Query.search")
    types = args.get("types")
    labels = [Label(t.value) for t in types] if types else list(full_text.SEARCHABLE)
    hit_type = planning.object_type(get_named_type(definition.type).name)
    fields = planning.collect(hit_type, nodes)
    entity_nodes = named_in(fields, "entity")
    reads = {label: planned.Read(label) for label in labels}
    shapes = {label: planning.entity(LABEL_TEXT[label], read, entity_nodes)
              for label, read in reads.items()}  # fmt: skip
    score = planning.serializer(hit_type.fields["score"].type, "SearchHit.score")

    def hit(row: dict[str, Any]) -> dict[str, Any]:
        values = {"score": score(row["score"]), "entity": shapes[Label(row["label"])](row["node"])}
        return {key: values.get(selected[0].name.value, hit_type.name)
                for key, selected in fields.items()}  # fmt: skip

    async def read_hits() -> list[Any]:
        rows = await full_text.read_hits(request.scoped, args["text"], reads, first)
        return [hit(row) for row in rows]

    return read_hits


def connection_shape(
    planning: Planning, type_: GraphQLObjectType, label: Label, read: planned.Read,
    order: pages.Order, nodes: list[FieldNode], first: int,
) -> tuple[Shaper, bool]:  # fmt: skip
    """A Connection's shape (edges, nodes, pageInfo, totalCount), and whether it counts."""
    name = LABEL_TEXT[label]
    fields = planning.collect(type_, nodes)
    node_nodes = named_in(fields, "nodes")
    edge_type = planning.object_type(get_named_type(type_.fields["edges"].type).name)
    edge_fields = planning.collect(edge_type, named_in(fields, "edges"))
    shape_node = planning.entity(name, read, node_nodes)
    shape_edge_node = planning.entity(name, read, named_in(edge_fields, "node"))
    info = planning.page_info(fields)
    wants_total = any(ns[0].name.value == "totalCount" for ns in fields.values())

    wants_cursors = any(ns[0].name.value in ("edges", "pageInfo") for ns in fields.values())

    def cursor(item: dict[str, Any]) -> str:
        return pages.encode_cursor(order, native(item["s"]), item["i"])

    def shape(row: dict[str, Any]) -> dict[str, Any]:
        found = row["page"]
        shown = found[:first]
        cursors = [cursor(item) for item in shown] if wants_cursors else []
        made = [shape_node(item["o"]) for item in shown] if node_nodes else []
        end = cursors[-1] if cursors else None
        out: dict[str, Any] = {}
        for key, selected in fields.items():
            field_name = selected[0].name.value
            if field_name == "nodes":
                out[key] = made
            elif field_name == "edges":
                out[key] = [edge(edge_fields, edge_type.name, cursor, shape_edge_node(item["o"]))
                            for cursor, item in zip(cursors, shown, strict=True)]  # fmt: skip
            elif field_name == "pageInfo":
                out[key] = info(len(found) > first, end)
            elif field_name == "totalCount":
                out[key] = row["total"]
            else:
                out[key] = type_.name
        return out

    return shape, wants_total


def edge(fields: dict[str, list[FieldNode]], name: str, cursor: str, node: Any) -> dict[str, Any]:
    """An edge of a connection (`name` its type), with its cursor and its node."""
    values = {"cursor": cursor, "node": node}
    return {key: values.get(selected[0].name.value, name) for key, selected in fields.items()}
