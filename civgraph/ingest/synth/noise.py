"""Realistic noise: about 1% of the rows of every registry's export invalid (each one way
the loader must reject: a check digit that does not match, an impossible date, a code
the mapping does not know, a number in words, a missing key) and 0.5% exported twice.
Every spoiled row is counted in the manifest's `rejects`, every repeated one in
`duplicates`. The division tables are published code lists and stay clean."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from civgraph.ingest.synth.exports import EXPORTS, Exports
from civgraph.ingest.synth.manifest import Manifest

INVALID_SHARE = 0.01
DUPLICATE_SHARE = 0.005


def wrong_check_digit(value: str) -> str:
    return value[:-1] + ("0" if value[-1] != "0" else "1")


def impossible_date(value: str) -> str:
    return (value[:5] if value else "2024-") + "02-30"


def in_words(value: str) -> str:
    return f"约{value}元"


def word(text: str) -> Callable[[str], str]:
    return lambda _: text


def blank(_: str) -> str:
    return ""


@dataclass(frozen=True, slots=True)
class Spoil:
    column: str
    how: Callable[[str], str]


ID = Spoil("身份证号", wrong_check_digit)
ROLL = (ID, Spoil("开始日期", impossible_date), Spoil("状态", word("待审")))
# The division tables (行政区划, 统计用区划代码) are published code lists: no noise.
SPOILS: dict[str, tuple[Spoil, ...]] = {
    "household_registration": (
        ID,
        Spoil("入户日期", impossible_date),
        Spoil("与户主关系", word("表亲")),
    ),
    "dibao": (
        Spoil("保障类别", word("城乡")),
        Spoil("开始日期", impossible_date),
        Spoil("状态", word("退保")),
    ),
    "tekun": ROLL,
    "old_age_allowance": ROLL,
    "care_subsidy": ROLL,
    "assistance": (ID, Spoil("救助类别", word("生活救助")), Spoil("救助金额", in_words)),
    "social_organizations": (Spoil("类型", word("协会")), Spoil("登记日期", impossible_date)),
    "enterprises": (Spoil("状态", word("在营")), Spoil("登记日期", impossible_date)),
    "cadres": (ID, Spoil("职级", word("副处长"))),  # a title, not a rank
    "organization_officers": (ID, Spoil("领导职务", word("待定"))),
    "enterprise_officers": (ID, Spoil("任职日期", impossible_date)),
    "enterprise_investors": (ID, Spoil("出资比例", in_words)),
    "payroll": (ID, Spoil("入职日期", impossible_date)),
    "marriages": (
        Spoil("男方身份证号", wrong_check_digit),
        Spoil("结婚登记日期", impossible_date),
    ),
    "facilities": (Spoil("类型", word("养老院")), Spoil("性质", word("民办"))),
    "facility_residents": (ID, Spoil("入住日期", impossible_date)),
    "cremations": (ID, Spoil("火化日期", impossible_date)),
    "vehicles": (Spoil("所有人身份证号", wrong_check_digit), Spoil("登记日期", impossible_date)),
    "properties": (Spoil("权利人身份证号", wrong_check_digit), Spoil("登记日期", impossible_date)),
    "service_projects": (Spoil("金额", in_words), Spoil("购买单位信用代码", blank)),
}
# Registries of things other rows point at: a spoiled row there is an extra, broken copy
# (so no row elsewhere loses its endpoint); elsewhere the row itself is spoiled.
COPIED = frozenset({"social_organizations", "enterprises", "facilities"})


class Sink:
    """Writes rows to the exports, spoiling or repeating some, and counts what it did."""

    def __init__(self, exports: Exports, manifest: Manifest, rng: random.Random) -> None:
        self.exports, self.manifest, self.random = exports, manifest, rng

    def emit(self, source: str, row: list[str], noise: bool = True) -> bool:
        """Writes `row`; returns whether it went out valid. Rows that a plant or another
        row relies on pass noise=False."""
        noise = noise and source in SPOILS
        if noise and self.random.random() < INVALID_SHARE:
            self.write(source, self.spoiled(source, row))
            self.manifest.count(self.manifest.rejects, EXPORTS[source].file)
            if source not in COPIED:
                return False
        if noise and self.random.random() < DUPLICATE_SHARE:
            self.write(source, row)
            self.manifest.count(self.manifest.duplicates, EXPORTS[source].file)
        self.write(source, row)
        return True

    def write(self, source: str, row: list[str]) -> None:
        self.exports.write(source, row)
        self.manifest.count(self.manifest.rows, EXPORTS[source].file)

    def spoiled(self, source: str, row: list[str]) -> list[str]:
        spoil = self.random.choice(SPOILS[source])
        index = EXPORTS[source].header.index(spoil.column)
        spoiled = list(row)
        spoiled[index] = spoil.how(row[index])
        return spoiled
