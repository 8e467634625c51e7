"""The shape of a source mapping: a registry's rows to nodes and relationships."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from civgraph.graph import models as m
from civgraph.graph.catalog import Label, RelSpec
from civgraph.ingest.fields import Column


@dataclass(frozen=True, slots=True)
class NodeMap:
    """One node per row: `model`'s fields filled from columns."""

    model: type[m.NodeFields]
    fields: Mapping[str, Column]
    when: Column | None = None  # the node is written only for rows with this column given


@dataclass(frozen=True, slots=True)
class Identify:
    """Columns that tell who a person is when a row has no ID number: entity resolution
    matches them against the people in the graph. Name and birth date are needed; sex and
    community count when the registry has them."""

    name: Column
    birth_date: Column
    sex: Column | None = None
    community_code: Column | None = None

    @property
    def needs(self) -> str:
        return f"{self.name.name}+{self.birth_date.name}"

    @property
    def what(self) -> str:
        return "person"

    def given(self, values: Mapping[str, str]) -> bool:
        return bool(values.get(self.name.name or "") and values.get(self.birth_date.name or ""))


@dataclass(frozen=True, slots=True)
class IdentifyOrganization:
    """Columns that tell which organization a row names when it has no USCC: its name and
    registration region (区划代码), matched against the organizations in the graph; `kind`
    is what the registry implies it is, should it become an organization of its own."""

    name: Column
    region_code: Column
    kind: m.OrganizationKind

    @property
    def needs(self) -> str:
        return f"{self.name.name}+{self.region_code.name}"

    @property
    def what(self) -> str:
        return "organization"

    def given(self, values: Mapping[str, str]) -> bool:
        return bool(values.get(self.name.name or "") and values.get(self.region_code.name or ""))


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
    # how the source (target) is resolved when the row lacks its natural key
    identify: Identify | IdentifyOrganization | None = None
    identify_target: Identify | IdentifyOrganization | None = None


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    title: str  # the registry's name, in Chinese
    record_key: Column  # what identifies a row in the registry
    nodes: tuple[NodeMap, ...] = ()
    links: tuple[LinkMap, ...] = ()
    depends_on: tuple[str, ...] = ()  # sources whose nodes its relationships point at

    @property
    def creates(self) -> frozenset[Label]:
        return frozenset(node.model.label for node in self.nodes)

    @property
    def resolves(self) -> frozenset[Label]:
        """Labels of the entities entity resolution may look for (its rows name them
        without a natural key)."""
        return frozenset(
            [link.spec.source for link in self.links if link.identify is not None]
            + [link.spec.target for link in self.links if link.identify_target is not None]
        )

    @property
    def columns(self) -> frozenset[str]:
        """Every column the mapping reads; an export's others are unknown to it."""
        found = [self.record_key]
        for node in self.nodes:
            found += [*node.fields.values(), *([node.when] if node.when else [])]
        for link in self.links:
            found += [link.source, link.target, *link.fields.values()]
            found += [c for c in (link.since, link.until) if c is not None]
            for identify in (link.identify, link.identify_target):
                found += [getattr(identify, f) for f in IDENTITY_FIELDS if hasattr(identify, f)]
        return frozenset(c.name for c in found if c is not None and c.name is not None)


IDENTITY_FIELDS = ("name", "birth_date", "sex", "community_code", "region_code")
