"""Investigators' decisions on entity resolution's matches (`civgraph.graph.decisions`):
`confirmMatch`, `rejectMatch` and `splitMatch`. A record is named as `Person.sources` and
`Person.possiblySame { provenance }` show it (registry and record key), a person by global
id. Expected failures are typed results, with nothing written; outside the caller's region
the record and the person look absent."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Union

import strawberry
from strawberry import relay
from strawberry.tools import create_type
from strawberry.types.field import StrawberryField

from civgraph.graph import decisions
from civgraph.graph.catalog import Label
from civgraph.graph.decisions import Decider, Decision
from civgraph.graph.errors import AlreadyDecided, NotResolved, RecordNotFound
from civgraph.schema.context import Info
from civgraph.schema.mutations import (
    ANONYMOUS,
    InvalidInputError,
    MutationError,
    NotFoundError,
    node,
    outcome,
    platform_id,
)
from civgraph.schema.nodes import Person
from civgraph.schema.scalars import SourceRecord


@strawberry.type(description="A source record as an investigator's decision left it.")
class MatchDecision:
    record: SourceRecord = strawberry.field(
        description="The record, with what ties it to its person now: `joined` (confirmed), "
        "`split` (an entity of its own), or resolution's evidence and score."
    )
    decision: strawberry.Private[Decision]

    @strawberry.field(description="The person the record describes now.")
    async def person(self, info: Info) -> Person | None:
        return await person(info, self.decision.person_id)

    @strawberry.field(
        description="People an investigator ruled the record is not (`rejectMatch`): entity "
        "resolution does not link it to them again."
    )
    async def not_same(self, info: Info) -> list[Person]:
        found = await asyncio.gather(*(person(info, id) for id in self.decision.not_same))
        return [one for one in found if one is not None]

    @classmethod
    def of(cls, decision: Decision) -> MatchDecision:
        return cls(record=SourceRecord.of(decision.record), decision=decision)


async def person(info: Info, id: str) -> Person | None:
    """The person of this platform id; None outside the caller's region."""
    found = await node(info, Label.PERSON, id)
    return found if isinstance(found, Person) else None


@strawberry.type(
    description="No record of that registry and key describes a person (in your region)."
)
class RecordNotFoundError(MutationError):
    registry: str = strawberry.field(description="The registry as given.")
    record_key: str = strawberry.field(description="The record key as given.")


@strawberry.type(
    description="The record carried its natural key (`matchKey` says which): entity "
    "resolution did not match it, so there is no match to decide; correct the registry "
    "instead."
)
class RecordNotResolvedError(MutationError):
    registry: str = strawberry.field(description="The registry as given.")
    record_key: str = strawberry.field(description="The record key as given.")
    match_key: str = strawberry.field(description="The natural key it carried (`idNumber`, …).")


@strawberry.type(
    description="The record stands as the decision would leave it, or in its way: it is an "
    "entity of its own already (split), or it describes the person a rejection names (split "
    "it instead)."
)
class AlreadyDecidedError(MutationError):
    person_id: relay.GlobalID = strawberry.field(description="The person it describes.")


MATCH_RESULT = Annotated[
    Union[  # noqa: UP007 (strawberry.union needs the Union form to name the union)
        MatchDecision,
        NotFoundError,
        RecordNotFoundError,
        RecordNotResolvedError,
        AlreadyDecidedError,
        InvalidInputError,
    ],
    strawberry.union("MatchDecisionResult"),
]


def decider(info: Info) -> Decider:
    """The caller, as the feed names it, within its region."""
    principal = info.context.principal
    return Decider(principal.actor if principal else ANONYMOUS, info.context.scope)


async def decided(call: Callable[[], Awaitable[Decision]]) -> MATCH_RESULT:
    """The decision, or the typed error for an expected failure."""

    async def payload() -> MatchDecision:
        return MatchDecision.of(await call())

    try:
        found: MATCH_RESULT = await outcome(payload)
        return found
    except RecordNotFound as error:
        return RecordNotFoundError(message=str(error), registry=error.source, record_key=error.key)
    except NotResolved as error:
        return RecordNotResolvedError(
            message=str(error), registry=error.source, record_key=error.key,
            match_key=error.match_key,
        )  # fmt: skip
    except AlreadyDecided as error:
        person = relay.GlobalID(Label.PERSON.value, error.person_id)
        return AlreadyDecidedError(message=str(error), person_id=person)


def person_of(person_id: strawberry.ID) -> str:
    return platform_id(person_id, Label.PERSON, "personId")[1]


async def confirm_match(
    info: Info, registry: str, record_key: str, person_id: strawberry.ID
) -> MATCH_RESULT:
    return await decided(
        lambda: decisions.confirm(
            info.context.graph, decider(info), registry, record_key, person_of(person_id)
        )
    )


async def reject_match(
    info: Info, registry: str, record_key: str, person_id: strawberry.ID
) -> MATCH_RESULT:
    return await decided(
        lambda: decisions.reject(
            info.context.graph, decider(info), registry, record_key, person_of(person_id)
        )
    )


async def split_match(info: Info, registry: str, record_key: str) -> MATCH_RESULT:
    return await decided(
        lambda: decisions.split(info.context.graph, decider(info), registry, record_key)
    )


def match_mutation(resolver: Callable[..., Any], name: str, description: str) -> StrawberryField:
    field: StrawberryField = strawberry.mutation(
        resolver=resolver, name=name, description=description + " (investigators)."
    )
    return field


MatchMutations = create_type(
    "MatchMutations",
    [
        match_mutation(
            confirm_match,
            "confirmMatch",
            "Confirms that the person a record (`registry`, `recordKey`) describes is `personId`: "
            "what the record stated moves to them, its possible matches go, and so does its "
            "own entity when no other record describes it",
        ),
        match_mutation(
            reject_match,
            "rejectMatch",
            "Rules out that a record is `personId`: their POSSIBLY_SAME link goes and the "
            "record remembers, so that entity resolution does not link them again",
        ),
        match_mutation(
            split_match,
            "splitMatch",
            "Undoes a record's match: the record becomes a person of its own (known only from "
            "it), taking what it stated",
        ),
    ],
)
