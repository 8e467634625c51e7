"""Per-request DataLoaders: each batch is one `UNWIND $keys` query, whatever the row count."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from strawberry.dataloader import DataLoader

from civgraph.graph import communities, households, people, regions
from civgraph.graph.driver import Graph
from civgraph.graph.models import Community, Household, Membership, Person, Region

T = TypeVar("T")
Fetch = Callable[[Graph, Sequence[str]], Awaitable[dict[str, T]]]


def loader(graph: Graph, fetch: Fetch[T], *, cache: bool) -> DataLoader[str, T | None]:
    async def load(keys: list[str]) -> list[T | None]:
        found = await fetch(graph, keys)
        return [found.get(key) for key in keys]

    return DataLoader(load_fn=load, cache=cache)


def list_loader(graph: Graph, fetch: Fetch[list[T]], *, cache: bool) -> DataLoader[str, list[T]]:
    async def load(keys: list[str]) -> list[list[T]]:
        found = await fetch(graph, keys)
        return [found.get(key, []) for key in keys]

    return DataLoader(load_fn=load, cache=cache)


@dataclass(frozen=True, slots=True)
class Loaders:
    region_by_id: DataLoader[str, Region | None]
    region_by_code: DataLoader[str, Region | None]
    region_children: DataLoader[str, list[Region]]
    region_communities: DataLoader[str, list[Community]]
    community_by_id: DataLoader[str, Community | None]
    community_by_code: DataLoader[str, Community | None]
    community_households: DataLoader[str, list[Household]]
    household_by_id: DataLoader[str, Household | None]
    household_members: DataLoader[str, list[Membership]]
    person_by_id: DataLoader[str, Person | None]
    person_by_id_number: DataLoader[str, Person | None]
    person_memberships: DataLoader[str, list[Membership]]


def create_loaders(graph: Graph, *, cache: bool = True) -> Loaders:
    """Fresh loaders; `cache=False` for long-lived (WebSocket) contexts, whose cache goes stale."""
    return Loaders(
        region_by_id=loader(graph, regions.get_regions_by_id, cache=cache),
        region_by_code=loader(graph, regions.get_regions_by_code, cache=cache),
        region_children=list_loader(graph, regions.list_child_regions, cache=cache),
        region_communities=list_loader(graph, communities.list_region_communities, cache=cache),
        community_by_id=loader(graph, communities.get_communities_by_id, cache=cache),
        community_by_code=loader(graph, communities.get_communities_by_code, cache=cache),
        community_households=list_loader(graph, households.list_community_households, cache=cache),
        household_by_id=loader(graph, households.get_households_by_id, cache=cache),
        household_members=list_loader(graph, households.list_household_members, cache=cache),
        person_by_id=loader(graph, people.get_people_by_id, cache=cache),
        person_by_id_number=loader(graph, people.get_people_by_id_number, cache=cache),
        person_memberships=list_loader(graph, households.list_person_memberships, cache=cache),
    )
