"""Who a row names, as real exports say it: a row that refers to a person by ID number also
gives their name, sex and birth date (a marriage: each spouse's name and birth date), and a
row that refers to an organization by credit code also gives its name and region. In each
registry, the first of the rows nothing else relies on and one in UNKEYED_EVERY after it
leave the ID number out (name and birth date stay; a marriage leaves out the man's or the
woman's in turn), for entity resolution; the manifest lists them in `unkeyed_rows`.

Only people whose registration went out valid are known (those of the county being
generated: the list is cleared with each county, so memory does not grow with the
province); a row naming someone unknown leaves the identity columns empty and keeps its ID.
"""

from __future__ import annotations

from dataclasses import dataclass

from civgraph.ingest.synth.manifest import Manifest
from civgraph.ingest.synth.people import Member

UNKEYED_EVERY = 25
PERSON = ("姓名", "性别", "出生日期")
SPOUSE = ("姓名", "出生日期")  # the side says the sex


@dataclass(frozen=True, slots=True)
class Named:
    """A person a registry's rows name: by the ID column `<prefix>身份证号`, and by the
    identity columns `<prefix><column>` the export adds at the end of its header."""

    prefix: str = ""
    columns: tuple[str, ...] = PERSON

    @property
    def id_column(self) -> str:
        return f"{self.prefix}身份证号"


ONE = (Named(),)
NAMED: dict[str, tuple[Named, ...]] = {
    **dict.fromkeys(("tekun", "old_age_allowance", "care_subsidy", "assistance"), ONE),
    **dict.fromkeys(("cadres", "organization_officers", "enterprise_officers"), ONE),
    **dict.fromkeys(("enterprise_investors", "payroll", "volunteers"), ONE),
    "community_workers": (Named(columns=("性别", "出生日期")),),  # 姓名 is there already
    "vehicles": (Named("所有人"),),
    "properties": (Named("权利人"),),
    "marriages": (Named("男方", SPOUSE), Named("女方", SPOUSE)),
}
# Registries naming an organization: its credit-code column, and the name column added.
ORGANIZATION_NAMED = {
    "cadres": ("单位信用代码", "单位名称"),
    "organization_officers": ("单位信用代码", "单位名称"),
    "enterprise_officers": ("单位信用代码", "单位名称"),
    "payroll": ("单位信用代码", "单位名称"),
    "enterprise_investors": ("统一社会信用代码", "企业名称"),
}
REGISTERS = ("social_organizations", "enterprises")
ORGANIZATION_COLUMNS = ("统一社会信用代码", "名称", "区划代码")


def identity_columns(source: str) -> tuple[str, ...]:
    """The columns an export adds after its own to say who and what its rows name."""
    people = tuple(n.prefix + c for n in NAMED.get(source, ()) for c in n.columns)
    organization = ORGANIZATION_NAMED.get(source)
    return people + ((organization[1], "区划代码") if organization else ())


class Identities:
    def __init__(self, manifest: Manifest) -> None:
        self.manifest = manifest
        self.people: dict[str, Member] = {}
        self.organizations: dict[str, tuple[str, str]] = {}  # credit code → name, region
        self.serials: dict[str, int] = {}  # rows that could leave the ID out, by source

    def register(self, member: Member) -> None:
        self.people[member.id_number] = member

    def clear(self) -> None:
        self.people.clear()

    def complete(
        self, source: str, header: tuple[str, ...], row: list[str], noise: bool
    ) -> tuple[list[str], bool]:
        """`row` (of an export with `header`) with the identity columns the export adds;
        with one ID number left out now and then (such a row takes no other noise: the
        flag returned is False)."""
        if source in REGISTERS:
            code, name, region = (
                row[header.index(c)] for c in ("统一社会信用代码", "名称", "区划代码")
            )
            self.organizations.setdefault(code, (name, region))
        named = NAMED.get(source, ())
        if not named:
            return row, noise
        members = [self.people.get(row[header.index(n.id_column)]) for n in named]
        cells = [
            cell(member, column) for n, member in zip(named, members, strict=True)
            for column in n.columns
        ]  # fmt: skip
        organization = ORGANIZATION_NAMED.get(source)
        if organization:
            cells += self.organizations.get(row[header.index(organization[0])], ("", ""))
        completed = [*row, *cells]
        if not noise or None in members:
            return completed, noise
        self.serials[source] = serial = self.serials.get(source, 0) + 1
        if serial % UNKEYED_EVERY != 1:
            return completed, noise
        left_out = named[serial // UNKEYED_EVERY % len(named)]
        index = header.index(left_out.id_column)
        self.manifest.plant(
            "unkeyed_rows",
            {"source": source, "recordKey": row[0], "column": left_out.id_column,
             "idNumber": row[index]},
        )  # fmt: skip
        completed[index] = ""
        return completed, False


def cell(member: Member | None, column: str) -> str:
    if member is None:
        return ""
    if column == "姓名":
        return member.name
    if column == "性别":
        return "男" if member.male else "女"
    return member.born.isoformat()
