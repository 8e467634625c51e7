"""Per-request DataLoaders: each batch is one `UNWIND $keys` query, whatever the row count.

Loaders are made on first use, one per label (by id, by natural key) and one per kind of
relationship read (a `LinkQuery` without its ids), and live as long as the request.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from strawberry.dataloader import DataLoader

from civgraph.graph import links, nodes
from civgraph.graph.catalog import Label
from civgraph.graph.links import LinkQuery
from civgraph.graph.models import Link, Stored
from civgraph.graph.provenance import SourceRef, sources_of
from civgraph.graph.scope import Scoped

NodeLoader = DataLoader[str, Stored | None]


class Loaders:
    """Every entity they load lies in the scope of `scoped` (the request's): outside it,
    nodes look absent and relationships to them are left out."""

    def __init__(self, scoped: Scoped, *, cache: bool = True) -> None:
        self.scoped = scoped
        self.cache = cache  # False for long-lived (WebSocket) contexts, whose cache goes stale
        self._by_id: dict[Label, NodeLoader] = {}
        self._by_key: dict[Label, NodeLoader] = {}
        self._links: dict[LinkQuery, DataLoader[str, list[Link]]] = {}
        self._sources: dict[tuple[Label, int], DataLoader[str, list[SourceRef]]] = {}

    def _nodes(self, fetch: Callable[[Sequence[str]], Awaitable[dict[str, Stored]]]) -> NodeLoader:
        async def load(keys: list[str]) -> list[Stored | None]:
            found = await fetch(keys)
            return [found.get(key) for key in keys]

        return DataLoader(load_fn=load, cache=self.cache)

    def node(self, label: Label) -> NodeLoader:
        """Nodes of `label` by platform id."""
        if label not in self._by_id:
            fetch = lambda ids: nodes.get_nodes(self.scoped, label, ids)  # noqa: E731
            self._by_id[label] = self._nodes(fetch)
        return self._by_id[label]

    def node_by_key(self, label: Label) -> NodeLoader:
        """Nodes of `label` by natural key."""
        if label not in self._by_key:
            fetch = lambda keys: nodes.get_nodes_by_key(self.scoped, label, keys)  # noqa: E731
            self._by_key[label] = self._nodes(fetch)
        return self._by_key[label]

    def links(self, query: LinkQuery) -> DataLoader[str, list[Link]]:
        """Relationships read as `query` says, by the platform id of the near node."""
        if query not in self._links:

            async def load(ids: list[str]) -> list[list[Link]]:
                found = await links.list_links(self.scoped, query, ids)
                return [found[node_id] for node_id in ids]

            self._links[query] = DataLoader(load_fn=load, cache=self.cache)
        return self._links[query]

    def sources(self, label: Label, limit: int) -> DataLoader[str, list[SourceRef]]:
        """The source records describing entities of `label`, by platform id."""
        if (label, limit) not in self._sources:

            async def load(ids: list[str]) -> list[list[SourceRef]]:
                found = await sources_of(self.scoped, label, ids, limit)
                return [found[node_id] for node_id in ids]

            self._sources[label, limit] = DataLoader(load_fn=load, cache=self.cache)
        return self._sources[label, limit]


def create_loaders(scoped: Scoped, *, cache: bool = True) -> Loaders:
    return Loaders(scoped, cache=cache)
