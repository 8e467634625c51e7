"""The shape of a source mapping: a registry's rows to nodes and relationships."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from civgraph.graph import models as m
from civgraph.graph.catalog import RelSpec
from civgraph.ingest.fields import Column


@dataclass(frozen=True, slots=True)
class NodeMap:
    """One node per row: `model`'s fields filled from columns."""

    model: type[m.NodeFields]
    fields: Mapping[str, Column]


@dataclass(frozen=True, slots=True)
class Identify:
    """Columns that tell who a person is when a row has no ID number: entity resolution
    matches them against the people in the graph."""

    name: Column
    sex: Column
    birth_date: Column
    community_code: Column


@dataclass(frozen=True, slots=True)
class LinkMap:
    """One relationship per row, between the nodes with these natural keys."""

    spec: RelSpec
    source: Column
    target: Column
    props: type[m.LinkFields] | None = None
    fields: Mapping[str, Column] = field(default_factory=dict)
    since: Column | None = None
    until: Column | None = None
    optional: bool = False  # a row without either key makes no relationship (not a reject)
    identify: Identify | None = None  # a person source without an ID number is resolved


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    title: str  # the registry's name, in Chinese
    record_key: Column  # what identifies a row in the registry
    nodes: tuple[NodeMap, ...] = ()
    links: tuple[LinkMap, ...] = ()
    depends_on: tuple[str, ...] = ()  # sources whose nodes its relationships point at
