"""The root Mutation type, generated from the catalog and the graph's pydantic models.

For each entity type: `create…`, `upsert…` (by natural key), `update…` (some fields, at a
version) and `delete…`. For each relationship type a client may write (not the division
tree, which follows the entities' codes, nor entity resolution's links): `link…` (create or
update), `end…` (close its period; types with one) and `unlink…` (delete one recorded by
mistake). Inputs are validated by the same models as ingest; expected failures come back as
typed results (`NotFound`, `InvalidIdentifier`, `InvalidInput`, `Conflict`,
`StaleVersion`), each a `MutationError`, with nothing written.
"""

from __future__ import annotations

import types
from collections.abc import Awaitable, Callable
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Optional, Union, get_args, get_origin

import strawberry
from pydantic import BaseModel, ValidationError
from pydantic.alias_generators import to_camel
from strawberry import relay
from strawberry.scalars import JSON
from strawberry.tools import create_type
from strawberry.types.field import StrawberryField

from civgraph.graph import writes
from civgraph.graph.catalog import KEY, RELATIONSHIPS, Label, Rel, RelSpec
from civgraph.graph.changes import plain
from civgraph.graph.errors import Conflict, InvalidIdentifier, InvalidWrite, NotFound, StaleVersion
from civgraph.graph.links import NO_PERIOD
from civgraph.graph.models import FIELDS, PROPERTIES, LinkFields, node_fields
from civgraph.schema.context import Info
from civgraph.schema.investigations import REVIEW_FINDING
from civgraph.schema.nodes import ENTITY_TYPES
from civgraph.schema.reading import decode_id, wrap

ANONYMOUS = "anonymous"  # in-process callers without a principal (tests)

# Relationships the API writes: not the division tree (PART_OF, REGISTERED_IN, LOCATED_IN
# follow the entities' codes) nor entity resolution's POSSIBLY_SAME (`civgraph er`).
NOT_LINKABLE = frozenset({Rel.PART_OF, Rel.REGISTERED_IN, Rel.LOCATED_IN, Rel.POSSIBLY_SAME})
LINKABLE: tuple[Rel, ...] = tuple(
    dict.fromkeys(spec.rel for spec in RELATIONSHIPS if spec.rel not in NOT_LINKABLE)
)
SCALARS = (str, int, float, bool, date)
LABELS = frozenset(label.value for label in Label)


# --- results -------------------------------------------------------------------------


@strawberry.interface(description="An expected failure of a mutation; nothing was written.")
class MutationError:
    message: str


@strawberry.type(description="No entity or relationship has the id given.")
class NotFoundError(MutationError):
    id: strawberry.ID


@strawberry.type(
    description="A natural key (resident ID, USCC, division code) fails its check digits, "
    "date or code list."
)
class InvalidIdentifierError(MutationError):
    field: str
    value: str
    reason: str


@strawberry.type(description="One field's problem.")
class InputProblem:
    field: str = strawberry.field(description="The input field, as the schema names it.")
    message: str


@strawberry.type(description="The input breaks the rules ingest checks too.")
class InvalidInputError(MutationError):
    problems: list[InputProblem]


@strawberry.type(
    description="The write would break a uniqueness rule or leave the graph inconsistent "
    "(a natural key taken; an entity that still has relationships)."
)
class ConflictError(MutationError):
    existing_id: relay.GlobalID | None = strawberry.field(
        description="The entity already holding the natural key, if that is the conflict."
    )


@strawberry.type(
    description="Another write changed the entity since the caller read it: read it again "
    "(its `version`) and retry."
)
class StaleVersionError(MutationError):
    id: strawberry.ID
    expected: int
    actual: int


@strawberry.type(description="What a delete or unlink removed.")
class Deleted:
    id: strawberry.ID = strawberry.field(
        description="The global id of the entity, or the relationship's id."
    )
    relationships_deleted: int = strawberry.field(
        description="Relationships that went with an entity (0 for an unlink)."
    )


@strawberry.type(
    description="A relationship as a mutation left it. Its `id` is the one change events "
    "carry: `<source id>><TYPE>><target id>@<key>` (platform ids)."
)
class Relationship:
    id: strawberry.ID
    type: str
    key: str = strawberry.field(
        description="What tells it apart from others between the same entities: the start "
        "of its period (YYYY-MM-DD), or `-`."
    )
    version: int
    since: date | None
    until: date | None
    properties: JSON
    written: strawberry.Private[writes.Relationship]

    @classmethod
    def of(cls, written: writes.Relationship) -> Relationship:
        return cls(
            id=strawberry.ID(written.id),
            type=written.spec.rel.value,
            key=written.key,
            version=written.version,
            since=written.since,
            until=written.until,
            properties=JSON({name: plain(value) for name, value in written.properties.items()}),
            written=written,
        )

    @strawberry.field(description="The entity it goes from.")
    async def source(self, info: Info) -> relay.Node | None:
        return await node(info, self.written.spec.source, self.written.source_id)

    @strawberry.field(description="The entity it goes to.")
    async def target(self, info: Info) -> relay.Node | None:
        return await node(info, self.written.spec.target, self.written.target_id)


async def node(info: Info, label: Label, id: str) -> relay.Node | None:
    record = await info.context.loaders.node(label).load(id)
    found: relay.Node | None = wrap(label, record) if record else None
    return found


ERRORS = (
    NotFoundError,
    InvalidIdentifierError,
    InvalidInputError,
    ConflictError,
    StaleVersionError,
)


def result_union(name: str, payload: type) -> Any:
    return Annotated[Union[(payload, *ERRORS)], strawberry.union(name)]


DELETE_RESULT = result_union("DeleteResult", Deleted)
RELATIONSHIP_RESULT = result_union("RelationshipResult", Relationship)


def global_id(type_name: str, id: str | None) -> relay.GlobalID | None:
    return relay.GlobalID(type_name, id) if id else None


async def outcome(call: Callable[[], Awaitable[Any]]) -> Any:
    """The mutation's payload, or the typed error for an expected failure."""
    try:
        return await call()
    except ValidationError as error:
        return invalid(error)
    except InvalidWrite as error:
        problem = InputProblem(field=error.field, message=str(error))
        return InvalidInputError(message=str(error), problems=[problem])
    except NotFound as error:
        # an entity's id as the caller gave it (global); a relationship's as it is
        named = relay.GlobalID(error.what, error.id) if error.what in LABELS else error.id
        return NotFoundError(message=str(error), id=strawberry.ID(str(named)))
    except Conflict as error:
        existing = global_id(error.label, error.existing_id) if error.label else None
        return ConflictError(message=str(error), existing_id=existing)
    except StaleVersion as error:
        return StaleVersionError(
            message=str(error),
            id=strawberry.ID(error.id),
            expected=error.expected,
            actual=error.actual,
        )


def invalid(error: ValidationError) -> Any:
    """An invalid identifier when that is all that is wrong; every problem otherwise."""
    problems = [(".".join(to_camel(str(part)) for part in e["loc"]), e) for e in error.errors()]
    identifiers = [
        (field, e["ctx"]["error"])
        for field, e in problems
        if isinstance(e.get("ctx", {}).get("error"), InvalidIdentifier)
    ]
    if identifiers and len(identifiers) == len(problems):
        field, wrong = identifiers[0]
        return InvalidIdentifierError(
            message=str(wrong), field=field, value=wrong.value, reason=wrong.reason
        )
    return InvalidInputError(
        message="; ".join(f"{field}: {e['msg']}" for field, e in problems),
        problems=[InputProblem(field=field, message=e["msg"]) for field, e in problems],
    )


def pascal(rel: Rel) -> str:
    return "".join(part.title() for part in rel.value.split("_"))


# --- inputs --------------------------------------------------------------------------


def graphql_type(annotation: Any) -> Any:
    """The GraphQL input type of a pydantic field's annotation."""
    if get_origin(annotation) is Annotated:
        return graphql_type(get_args(annotation)[0])
    if get_origin(annotation) in (Union, types.UnionType):
        (inner,) = [arg for arg in get_args(annotation) if arg is not type(None)]
        return graphql_type(inner) | None
    if annotation in SCALARS or (isinstance(annotation, type) and issubclass(annotation, StrEnum)):
        return annotation
    raise TypeError(f"no GraphQL input type for {annotation!r}")


def input_type(model: type[BaseModel], name: str, description: str, *, patch: bool) -> Any:
    """A GraphQL input with the model's fields; a `patch` has every field optional (left out:
    unchanged; null: cleared)."""
    annotations: dict[str, Any] = {}
    defaults: dict[str, Any] = {}
    for field_name, field in model.model_fields.items():
        kind = graphql_type(field.annotation)
        if patch:
            annotations[field_name] = kind | None
            defaults[field_name] = strawberry.UNSET
        else:
            annotations[field_name] = kind
            if not field.is_required():
                defaults[field_name] = field.default
    namespace = {"__annotations__": annotations, **defaults}
    return strawberry.input(type(name, (), namespace), description=description)


def values(given: Any) -> dict[str, Any]:
    """An input's fields that were given, by their Python names."""
    return {k: v for k, v in vars(given).items() if v is not strawberry.UNSET}


def write(info: Info, name: str) -> writes.Write:
    """The write's name, actor and region: the principal's (access control)."""
    principal = info.context.principal
    actor = principal.actor if principal else ANONYMOUS
    return writes.Write(name, actor, info.context.scope)


def platform_id(given: str, label: Label | None, field: str) -> tuple[Label, str]:
    """The label and platform id of a global id (of `label`, if given)."""
    try:
        return decode_id(given, label)
    except ValueError as error:
        raise InvalidWrite(field, str(error)) from error


def mutation(name: str, resolver: Callable[..., Any], hints: dict[str, Any], doc: str) -> Any:
    """A Mutation field named `name` (camelCase) resolved by a closure, with the argument
    types `hints` gives it (generated input types cannot be written as annotations)."""
    resolver.__name__ = name
    resolver.__annotations__ = {"info": Info} | hints
    return strawberry.mutation(resolver=resolver, name=name, description=doc)


# --- entity mutations ----------------------------------------------------------------


def entity_mutations(label: Label) -> list[StrawberryField]:
    model = FIELDS[label]
    (entity,) = [node_type for node_type in ENTITY_TYPES if node_type.label is label]
    natural = KEY[label]
    record = input_type(model, f"{label}Input", f"A {label}, validated as ingest validates "
                        "a row.", patch=False)  # fmt: skip
    patch = input_type(model, f"{label}Patch", f"Fields of a {label} to change: left out, "
                       "unchanged; null, cleared.", patch=True)  # fmt: skip
    result = result_union(f"{label}Result", entity)

    async def create(info: Info, input: Any) -> Any:
        async def call() -> Any:
            written = await writes.create_node(
                info.context.graph,
                node_fields(label, values(input)),
                write(info, f"create{label}"),
            )
            return entity.of(written)

        return await outcome(call)

    async def upsert(info: Info, input: Any, version: int | None = None) -> Any:
        async def call() -> Any:
            written = await writes.upsert_node(
                info.context.graph,
                node_fields(label, values(input)),
                write(info, f"upsert{label}"),
                version,
            )
            return entity.of(written)

        return await outcome(call)

    async def update(info: Info, id: strawberry.ID, version: int, patch: Any) -> Any:
        async def call() -> Any:
            _, node_id = platform_id(id, label, "id")
            written = await writes.update_node(
                info.context.graph,
                label,
                node_id,
                values(patch),
                version,
                write(info, f"update{label}"),
            )
            return entity.of(written)

        return await outcome(call)

    async def delete(
        info: Info,
        id: strawberry.ID,
        version: int,
        detach: bool = False,
    ) -> Any:
        async def call() -> Any:
            _, node_id = platform_id(id, label, "id")
            gone = await writes.delete_node(
                info.context.graph,
                label,
                node_id,
                version,
                write(info, f"delete{label}"),
                detach=detach,
            )
            return Deleted(id=id, relationships_deleted=gone.relationships)

        return await outcome(call)

    by_id = {"id": strawberry.ID, "version": int}
    return [
        mutation(
            f"create{label}",
            create,
            {"input": record, "return": result},
            f"Creates a {label}; a conflict if its {natural} is taken.",
        ),
        mutation(
            f"upsert{label}",
            upsert,
            {"input": record, "version": int | None, "return": result},
            f"Creates the {label} with this {natural} or replaces its fields (idempotent); "
            "`version`, if given, must be the stored one.",
        ),
        mutation(
            f"update{label}",
            update,
            by_id | {"patch": patch, "return": result},
            f"Changes some fields of the {label} at `version` (its current one).",
        ),
        mutation(
            f"delete{label}",
            delete,
            by_id | {"detach": bool, "return": DELETE_RESULT},
            f"Deletes the {label} at `version`. One with relationships (besides its place in "
            "the division tree) is a conflict unless `detach`, which deletes them too.",
        ),
    ]


# --- relationship mutations ----------------------------------------------------------


def spec_of(rel: Rel, source: Label, target: Label) -> RelSpec:
    for spec in RELATIONSHIPS:
        if (spec.rel, spec.source, spec.target) == (rel, source, target):
            return spec
    raise InvalidWrite("targetId", f"no {rel} relationship goes from a {source} to a {target}")


def relationship_mutations(rel: Rel) -> list[StrawberryField]:
    specs = [spec for spec in RELATIONSHIPS if spec.rel is rel]
    props_model = PROPERTIES.get(rel)
    period = specs[0].period
    name = pascal(rel)
    ends = ", ".join(f"{spec.source} → {spec.target}" for spec in specs)
    props_input = (
        input_type(props_model, f"{name}Properties", f"Properties of {rel}.", patch=False)
        if props_model else None
    )  # fmt: skip

    def resolve_ends(source_id: str, target_id: str, key: str) -> writes.Ends:
        source, source_node = platform_id(source_id, None, "sourceId")
        target, target_node = platform_id(target_id, None, "targetId")
        return writes.Ends(spec_of(rel, source, target), source_node, target_node, key)

    async def link_with(
        info: Info,
        source_id: strawberry.ID,
        target_id: strawberry.ID,
        properties: Any = None,
        since: date | None = None,
        until: date | None = None,
        key: str = NO_PERIOD,
        version: int | None = None,
    ) -> Any:
        async def call() -> Any:
            model = props_model or LinkFields
            props = model.model_validate(values(properties) if properties else {})
            written = await writes.link(
                info.context.graph,
                resolve_ends(source_id, target_id, key),
                props,
                write(info, f"link{name}"),
                since=since,
                until=until,
                version=version,
            )
            return Relationship.of(written)

        return await outcome(call)

    async def link_required(
        info: Info,
        source_id: strawberry.ID,
        target_id: strawberry.ID,
        properties: Any,
        since: date | None = None,
        until: date | None = None,
        key: str = NO_PERIOD,
        version: int | None = None,
    ) -> Any:
        return await link_with(info, source_id, target_id, properties, since, until, key, version)

    async def link(
        info: Info,
        source_id: strawberry.ID,
        target_id: strawberry.ID,
        since: date | None = None,
        until: date | None = None,
        key: str = NO_PERIOD,
        version: int | None = None,
    ) -> Any:
        return await link_with(info, source_id, target_id, None, since, until, key, version)

    async def end(
        info: Info, source_id: strawberry.ID, target_id: strawberry.ID, key: str, until: date,
        version: int | None = None,
    ) -> Any:  # fmt: skip
        async def call() -> Any:
            written = await writes.end_link(
                info.context.graph, resolve_ends(source_id, target_id, key), until,
                write(info, f"end{name}"), version,
            )  # fmt: skip
            return Relationship.of(written)

        return await outcome(call)

    async def unlink(
        info: Info, source_id: strawberry.ID, target_id: strawberry.ID, key: str = NO_PERIOD,
        version: int | None = None,
    ) -> Any:  # fmt: skip
        async def call() -> Any:
            gone = await writes.unlink(
                info.context.graph, resolve_ends(source_id, target_id, key),
                write(info, f"unlink{name}"), version,
            )  # fmt: skip
            return Deleted(id=strawberry.ID(gone), relationships_deleted=0)

        return await outcome(call)

    ids = {"source_id": strawberry.ID, "target_id": strawberry.ID}
    optional = {"key": str, "version": int | None}
    linking: Callable[..., Any] = link
    link_hints: dict[str, Any] = ids | {"since": date | None, "until": date | None} | optional
    if props_model is not None:
        required = any(field.is_required() for field in props_model.model_fields.values())
        link_hints["properties"] = props_input if required else Optional[props_input]  # noqa: UP045
        # a required input has no default (GraphQL refuses a null default for it)
        linking = link_required if required else link_with
    told_apart = (
        "its start `since` tells it apart from earlier periods"
        if period
        else "`key` tells it apart from others between the same entities"
    )
    fields = [
        mutation(
            f"link{name}",
            linking,
            link_hints | {"return": RELATIONSHIP_RESULT},
            f"Creates or updates a relationship of type {rel} ({ends}); {told_apart}. "
            "`version`, if given, must be the stored one.",
        ),
        mutation(
            f"unlink{name}",
            unlink,
            ids | optional | {"return": DELETE_RESULT},
            f"Deletes a relationship of type {rel} recorded by mistake"
            + (f" (one that held and ended: `end{name}`)." if period else "."),
        ),
    ]
    if period:
        fields.append(
            mutation(
                f"end{name}",
                end,
                ids
                | {"key": str, "until": date, "version": int | None}
                | {"return": RELATIONSHIP_RESULT},
                f"Ends the period of a relationship of type {rel} on `until`.",
            )
        )
    return fields


Mutation = create_type(
    "Mutation",
    [field for label in FIELDS for field in entity_mutations(label)]
    + [field for rel in LINKABLE for field in relationship_mutations(rel)]
    + [REVIEW_FINDING],
)
