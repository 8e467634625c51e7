"""The columns that identify a person without an ID number, or an organization without a
USCC, in the registries that name them: entity resolution matches them against the graph."""

from __future__ import annotations

from civgraph.graph import models as m
from civgraph.graph.identifiers import Sex
from civgraph.ingest.fields import Column, coded, const, to_date
from civgraph.ingest.mappings.base import Identify, IdentifyOrganization

# 性别 as registries write it, GB/T 2261.1 codes included.
SEX = {"男": Sex.MALE, "女": Sex.FEMALE, "男性": Sex.MALE, "女性": Sex.FEMALE, "1": Sex.MALE,
       "2": Sex.FEMALE}  # fmt: skip


def person(prefix: str = "", community: str | None = None) -> Identify:
    """`<prefix>姓名`, `<prefix>性别`, `<prefix>出生日期` (and the community the person lives
    in, for registries that record it)."""
    return Identify(
        name=Column(f"{prefix}姓名"),
        birth_date=Column(f"{prefix}出生日期", to_date),
        sex=Column(f"{prefix}性别", coded(SEX)),
        community_code=Column(community) if community else None,
    )


def spouse(side: str, sex: Sex) -> Identify:
    """A marriage's man or woman (男方 / 女方): the side says the sex."""
    return Identify(Column(f"{side}姓名"), Column(f"{side}出生日期", to_date), const(sex))


def organization(kind: m.OrganizationKind, name: str = "单位名称") -> IdentifyOrganization:
    """An organization by name and registration region (区划代码); `kind` is what the
    registry implies it is."""
    return IdentifyOrganization(Column(name), Column("区划代码"), kind)


PERSON = person()
RESIDENT = person(community="社区代码")  # facility and funeral records: where they lived
