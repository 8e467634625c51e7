"""The read planner's object shapes: for one object of the response, what to read of its node
(or relationship) and how to turn what was read into the object's JSON value.

A shape is planned from the GraphQL selection on one object type: each response key gets a
function from the node's map (as civgraph/graph/planned.py reads it) to the value, serialized
as the schema serializes it (enums by name, dates in ISO form, global ids), personal data
masked as the principal's role says. A field the planner does not know raises `Unplannable`:
the whole root field then falls back to the DataLoader path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, LiteralString

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLIncludeDirective,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLSkipDirective,
    InlineFragmentNode,
    SelectionSetNode,
    get_named_type,
    is_abstract_type,
    is_leaf_type,
    is_list_type,
)
from graphql.execution.values import VariableValues, get_argument_values, get_directive_values
from pydantic.alias_generators import to_camel
from strawberry.relay.utils import to_base64

from civgraph.auth import policy
from civgraph.auth.privacy import Privacy
from civgraph.graph import models, planned
from civgraph.graph.catalog import LABEL_TEXT, Label
from civgraph.graph.driver import native
from civgraph.graph.identifiers import age_on
from civgraph.resolvers.cursors import decode_link_cursor, encode_cursor
from civgraph.resolvers.errors import UserError
from civgraph.resolvers.related import LIST_LIMIT
from civgraph.resolvers.relations import LOOKUPS, RELATIONS, Relation

Shaper = Callable[[dict[str, Any]], Any]
ENTITY_LABELS = {LABEL_TEXT[label]: label for label in models.STORED}
PROVENANCE: tuple[tuple[str, LiteralString], ...] = (
    ("source", "source"), ("recordKey", "recordKey"), ("firstSeen", "firstSeen"),
    ("lastSeen", "lastSeen"),
)  # fmt: skip
# Edge types whose own properties are a model's fields (with its defaults).
EDGE_MODELS: dict[str, type[models.LinkFields]] = {
    "Membership": models.Membership, "Enrollment": models.Enrollment, "Post": models.Post,
    "Investment": models.Investment, "Employment": models.Employment,
    "CommunityService": models.Service, "FacilityResidence": models.Residence,
    "Donation": models.Donation, "Funding": models.Funding, "Cremation": models.Cremation,
}  # fmt: skip
EDGE_COMMON = frozenset({"since", "until"})


class Unplannable(Exception):
    """A selection the planner does not plan; the message says which field and why."""


def property_names(model: type[Any]) -> dict[str, tuple[LiteralString, Any]]:
    """GraphQL field name → (stored property, default when absent) of a pydantic model."""
    found: dict[str, tuple[LiteralString, Any]] = {}
    for name, info in model.model_fields.items():
        camel: Any = to_camel(name)
        default = None if info.is_required() else info.get_default(call_default_factory=True)
        found[camel] = (camel, default)
    return found


NODE_PROPS = {label: property_names(model) for label, model in models.STORED.items()}
EDGE_PROPS = {name: property_names(model) for name, model in EDGE_MODELS.items()}
MATCH_PROPS: dict[str, tuple[LiteralString, Any]] = {"score": ("score", None),
                                                     "matchKey": ("matchKey", None)}  # fmt: skip
EDGE_PROPS["PossibleMatch"] = EDGE_PROPS["PossibleOrganizationMatch"] = MATCH_PROPS


@dataclass
class Planning:
    """What a whole operation's planning shares: the schema, the document's fragments, the
    variables, the principal's view of personal data and the settings' page cap."""

    schema: GraphQLSchema
    fragments: dict[str, FragmentDefinitionNode]
    variables: VariableValues
    privacy: Privacy  # the operation's: masks personal data, counts what it shows
    max_page_size: int

    # --- selections -----------------------------------------------------------------------

    def collect(
        self, type_: GraphQLObjectType, nodes: list[FieldNode]
    ) -> dict[str, list[FieldNode]]:
        """The fields selected on an object of `type_` by the selection sets of `nodes`, by
        response key, through fragments, with @skip and @include applied."""
        fields: dict[str, list[FieldNode]] = {}
        for node in nodes:
            if node.selection_set is not None:
                self.visit(type_, node.selection_set, fields, set())
        return fields

    def visit(
        self, type_: GraphQLObjectType, selections: SelectionSetNode,
        fields: dict[str, list[FieldNode]], seen: set[str],
    ) -> None:  # fmt: skip
        for selection in selections.selections:
            if not self.included(selection):
                continue
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                fields.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                if condition is None or self.applies(condition.name.value, type_):
                    self.visit(type_, selection.selection_set, fields, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if name in seen or fragment is None:
                    continue
                seen.add(name)
                if self.applies(fragment.type_condition.name.value, type_):
                    self.visit(type_, fragment.selection_set, fields, seen)

    def included(self, node: Any) -> bool:
        skip = get_directive_values(GraphQLSkipDirective, node, self.variables)
        if skip and skip.get("if") is True:
            return False
        include = get_directive_values(GraphQLIncludeDirective, node, self.variables)
        return not (include and include.get("if") is False)

    def applies(self, condition: str, type_: GraphQLObjectType) -> bool:
        named = self.schema.get_type(condition)
        if named is type_:
            return True
        return is_abstract_type(named) and self.schema.is_sub_type(named, type_)

    def arguments(self, definition: GraphQLField, nodes: list[FieldNode]) -> dict[str, Any]:
        return get_argument_values(definition, nodes[0], self.variables)

    def page_info(self, fields: dict[str, list[FieldNode]]) -> Callable[[bool, str | None], Any]:
        """The shape of a page's `pageInfo` (selected in `fields`): from whether another
        page follows and the last cursor."""
        selected = self.collect(self.object_type("PageInfo"), named_in(fields, "pageInfo"))

        def info(has_next: bool, end: str | None) -> dict[str, Any]:
            values = {"hasNextPage": has_next, "endCursor": end, "__typename": "PageInfo"}
            return {key: values[nodes[0].name.value] for key, nodes in selected.items()}

        return info

    def object_type(self, name: str) -> GraphQLObjectType:
        found = self.schema.get_type(name)
        assert isinstance(found, GraphQLObjectType)
        return found

    def page_size(self, first: int, where: str) -> int:
        if not 0 <= first <= self.max_page_size:
            raise Unplannable(f"{where}: first {first} out of range (the resolver says why)")
        return first

    # --- values ---------------------------------------------------------------------------

    def serializer(
        self, type_: GraphQLOutputType, where: str, default: Any = None
    ) -> Callable[[Any], Any]:
        """Turns a stored value into the field's JSON value, as the schema would."""
        named = get_named_type(type_)
        if not is_leaf_type(named):
            raise Unplannable(f"{where}: not a leaf")
        serialize = named.serialize
        listed = is_list_type(type_.of_type if isinstance(type_, GraphQLNonNull) else type_)
        required = isinstance(type_, GraphQLNonNull)

        def value(raw: Any) -> Any:
            raw = native(raw)
            if raw is None:
                raw = default
            if raw is None:
                if required:
                    raise Unplannable(f"{where}: null for a non-null field")
                return None
            if listed:
                return [serialize(item) for item in raw]
            return serialize(raw)

        return value

    def mask(self, owner: str, name: str, serialize: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """`serialize`, then masked unless the principal sees personal data (counted)."""
        if (owner, name) not in policy.PII:
            return serialize
        privacy = self.privacy
        return lambda raw: privacy.shown(owner, name, serialize(raw))

    # --- objects --------------------------------------------------------------------------

    def entity(self, type_name: str, read: planned.Read, nodes: list[FieldNode]) -> Shaper:
        """The shape of an entity (a node type), reading into `read`."""
        type_ = self.object_type(type_name)
        label = read.label
        shapers: list[tuple[str, Shaper]] = []
        for key, selected in self.collect(type_, nodes).items():
            shapers.append((key, self.entity_field(type_, label, read, selected)))
        return lambda raw: {key: shaper(raw) for key, shaper in shapers}

    def entity_field(
        self, type_: GraphQLObjectType, label: Label, read: planned.Read, nodes: list[FieldNode]
    ) -> Shaper:
        name, owner = nodes[0].name.value, type_.name
        if name == "__typename":
            return constant(owner)
        definition = type_.fields[name]
        if name == "id":
            read.need("id")
            return lambda raw: to_base64(owner, raw["id"])
        if name == "provenance":
            return self.provenance(read.need, nodes)
        if name in ("age", "sources"):
            computed = self.age if name == "age" else self.sources
            return computed(read, definition, nodes)
        relation = RELATIONS.get((owner, name))
        if relation is not None:
            return self.relation(relation, read, definition, nodes, f"{owner}.{name}")
        return self.stored(type_, label, read, nodes)

    def stored(
        self, type_: GraphQLObjectType, label: Label, read: planned.Read, nodes: list[FieldNode]
    ) -> Shaper:
        """A field stored on the node: a property, or the node a property names."""
        name, owner = nodes[0].name.value, type_.name
        definition = type_.fields[name]
        lookup = LOOKUPS.get((owner, name))
        if lookup is not None:
            target = planned.Read(lookup.label)
            key = read.add(planned.Lookup(lookup.label, lookup.by, target))
            shape = self.entity(LABEL_TEXT[lookup.label], target, nodes)
            return lambda raw: shape(raw[key][0]) if raw[key] else None
        stored = NODE_PROPS[label].get(name)
        if stored is None or definition.args:
            raise Unplannable(f"{owner}.{name}: not planned")
        prop = read.need(stored[0])
        serialize = self.serializer(definition.type, f"{owner}.{name}", stored[1])
        masked = self.mask(owner, name, serialize)
        return lambda raw: masked(raw.get(prop))

    def provenance(self, need: Callable[[LiteralString], Any], nodes: list[FieldNode]) -> Shaper:
        """A Provenance object from the properties of a node or relationship."""
        type_ = self.object_type("Provenance")
        shapers: list[tuple[str, Shaper]] = []
        props = dict(PROVENANCE)
        for key, selected in self.collect(type_, nodes).items():
            name = selected[0].name.value
            if name == "__typename":
                shapers.append((key, constant("Provenance")))
                continue
            prop: LiteralString = props[name]
            need(prop)
            serialize = self.mask("Provenance", name, self.serializer(
                type_.fields[name].type, f"Provenance.{name}"))  # fmt: skip
            shapers.append((key, at_property(prop, serialize)))
        return lambda raw: {key: shaper(raw) for key, shaper in shapers}

    def sources(
        self, read: planned.Read, definition: GraphQLField, nodes: list[FieldNode]
    ) -> Shaper:
        """An entity's source records (SourceRecord objects)."""
        first = self.page_size(self.arguments(definition, nodes)["first"], "Entity.sources")
        key = read.add(planned.Sources(first))
        type_ = self.object_type("SourceRecord")
        shapers: list[tuple[str, Shaper]] = []
        for response_key, selected in self.collect(type_, nodes).items():
            name = selected[0].name.value
            if name == "__typename":
                shapers.append((response_key, constant("SourceRecord")))
                continue
            serialize = self.serializer(type_.fields[name].type, f"SourceRecord.{name}")
            prop = "source" if name == "registry" else name
            shapers.append((response_key, at_property(prop, self.mask("SourceRecord", name,
                                                                      serialize))))  # fmt: skip

        def record(raw: dict[str, Any]) -> dict[str, Any]:
            return {response_key: shaper(raw) for response_key, shaper in shapers}

        return lambda raw: [record(found) for found in raw[key]]

    def age(self, read: planned.Read, definition: GraphQLField, nodes: list[FieldNode]) -> Shaper:
        as_of: date = self.arguments(definition, nodes).get("asOf") or date.today()
        prop = read.need("birthDate")

        def age(raw: dict[str, Any]) -> int:
            return age_on(native(raw[prop]), as_of)

        return age

    def relation(
        self, relation: Relation, read: planned.Read, definition: GraphQLField,
        nodes: list[FieldNode], where: str,
    ) -> Shaper:  # fmt: skip
        args = self.arguments(definition, nodes)
        type_ = definition.type
        nullable = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
        named = get_named_type(type_)
        paged = isinstance(named, GraphQLObjectType) and "pageInfo" in named.fields
        single = not paged and not is_list_type(nullable)
        limit, after = LIST_LIMIT + 1, None
        if paged:
            if len(relation.parts) > 1:
                raise Unplannable(f"{where}: a page of several parts")
            first = self.page_size(args.get("first", 50), where)
            limit = first + 1
            after = link_cursor(args.get("after"), where)
        items: list[tuple[LiteralString, Callable[[dict[str, Any]], Any]]] = []
        item_type, item_nodes = named, nodes
        hops: list[planned.Hop] = []
        if isinstance(named, GraphQLObjectType) and paged:
            item_type = get_named_type(named.fields["items"].type)
            item_nodes = named_in(self.collect(named, nodes), "items")
        for part in relation.parts:
            hop = planned.Hop(part.spec, part.outgoing, planned.Read(part.far), limit,
                              as_of=args.get("asOf"), after=after)  # fmt: skip
            hop.cursors = paged
            if part.through is not None:
                hop.through = planned.Through(part.through, LIST_LIMIT + 1)
            if relation.role_filter and args.get("role") is not None:
                role = args["role"]
                hop.rel_equals = ("role", getattr(role, "value", role))
            key = read.add(hop)
            hops.append(hop)
            shape = self.item(relation, part, hop, item_type, item_nodes)
            items.append((key, shape))

        if relation.by_score:
            for hop in hops:
                hop.need("score")

        def gathered(raw: dict[str, Any]) -> list[tuple[dict[str, Any], Any]]:
            found = [(item, shape(item)) for key, shape in items for item in raw[key]]
            if relation.by_score:
                found.sort(key=lambda pair: -float(pair[0]["r"]["score"]))
            return found

        if single:
            return lambda raw: next((value for _, value in gathered(raw)), None)
        if not paged:
            return lambda raw: [value for _, value in gathered(raw)]
        return self.link_page(definition, nodes, gathered, limit - 1)

    def link_page(
        self, definition: GraphQLField, nodes: list[FieldNode],
        gathered: Callable[[dict[str, Any]], list[tuple[dict[str, Any], Any]]], first: int,
    ) -> Shaper:  # fmt: skip
        page_type = get_named_type(definition.type)
        assert isinstance(page_type, GraphQLObjectType)
        fields = self.collect(page_type, nodes)
        info = self.page_info(fields)

        def page(raw: dict[str, Any]) -> dict[str, Any]:
            found = gathered(raw)
            shown = found[:first]
            last = shown[-1][0] if shown else None
            end = encode_cursor(last["p"], last["k"]) if last else None
            values = {"items": [value for _, value in shown], "__typename": page_type.name,
                      "pageInfo": info(len(found) > first, end)}  # fmt: skip
            return {key: values[selected[0].name.value] for key, selected in fields.items()}

        return page

    def item(
        self, relation: Relation, part: Any, hop: planned.Hop, item_type: Any,
        nodes: list[FieldNode],
    ) -> Shaper:  # fmt: skip
        """One item of a relationship field: the far node, or an edge naming both ends."""
        far_name = LABEL_TEXT[part.far]
        if not relation.edge:
            shape = self.entity(far_name, hop.far, nodes)
            return lambda item: shape(item["o"])
        edge_type = self.object_type(item_type.name)
        owner = edge_type.name
        shapers: list[tuple[str, Shaper]] = []
        for key, selected in self.collect(edge_type, nodes).items():
            name = selected[0].name.value
            if name == "__typename":
                shapers.append((key, constant(owner)))
            elif name == relation.far:
                shapers.append((key, at("o", self.entity(far_name, hop.far, selected))))
            elif name == relation.near:
                hop.near = hop.near or planned.Read(part.near)
                near = self.entity(LABEL_TEXT[part.near], hop.near, selected)
                shapers.append((key, at("n", near)))
            elif name == "via":
                shapers.append((key, constant(part.via)))
            elif name == "provenance":
                shapers.append((key, at_rel(self.provenance(hop.need, selected))))
            else:
                shapers.append((key, at_rel(self.edge_property(edge_type, hop, name))))
        return lambda item: {key: shaper(item) for key, shaper in shapers}

    def edge_property(self, edge_type: GraphQLObjectType, hop: planned.Hop, name: str) -> Shaper:
        """A property of the relationship an edge stands for."""
        owner = edge_type.name
        props = EDGE_PROPS.get(owner, {})
        if name not in EDGE_COMMON and name not in props:
            raise Unplannable(f"{owner}.{name}: not planned")
        prop, default = props.get(name, (name, None))  # since, until: their own names
        stored = hop.need(prop)
        value = self.serializer(edge_type.fields[name].type, f"{owner}.{name}", default)
        return lambda rel: value(rel.get(stored))


def at_property(prop: str, serialize: Callable[[Any], Any]) -> Shaper:
    return lambda raw: serialize(raw.get(prop))


def named_in(fields: dict[str, list[FieldNode]], name: str) -> list[FieldNode]:
    """The field nodes selecting field `name` (under any response key)."""
    return [node for nodes in fields.values() for node in nodes if node.name.value == name]


def constant(value: Any) -> Shaper:
    return lambda _: value


def at_rel(shape: Shaper) -> Shaper:
    """`shape` applied to an item's relationship (absent when none of its properties is
    read)."""
    return lambda item: shape(item.get("r") or {})


def at(key: str, shape: Shaper) -> Shaper:
    """`shape` applied to an item's entry `key` (its far node, near node, relationship)."""
    return lambda item: shape(item[key])


def link_cursor(cursor: str | None, where: str) -> tuple[str, str] | None:
    if cursor is None:
        return None
    try:
        return decode_link_cursor(cursor)
    except UserError as error:
        raise Unplannable(f"{where}: a cursor the resolver refuses") from error


def entity_label(type_name: str) -> Label | None:
    return ENTITY_LABELS.get(type_name)
