"""Synthetic Chinese names from Faker's zh_CN tables (surnames weighted as Faker weights
them), and the ways a clerk writes a name differently from the household register."""

from __future__ import annotations

import random
from bisect import bisect
from itertools import accumulate

from faker.providers.person.zh_CN import Provider

COMPOUND_SURNAMES = ("欧阳",)
VARIANTS = ("typo", "traditional", "space", "dropped")
# Simplified → traditional forms of the surnames and given-name characters Faker uses.
TRADITIONAL = dict(
    zip(
        "陈刘张杨黄赵吴孙马郑冯韩许邓罗叶苏卢蒋钟贾陆谢萧汤邹阎龙韦刚伟丽军华红东兰凤国杰涛鹏"
        "飞辉宁欢阳帅强静艳颖畅洁莹凯欧怀宝荣岩",
        "陳劉張楊黃趙吳孫馬鄭馮韓許鄧羅葉蘇盧蔣鍾賈陸謝蕭湯鄒閻龍韋剛偉麗軍華紅東蘭鳳國傑濤鵬"
        "飛輝寧歡陽帥強靜艷穎暢潔瑩凱歐懷寶榮巖",
        strict=True,
    )
)
# Characters a clerk hearing the name might write instead (same or near sound, or shape).
SIMILAR = dict(
    zip(
        "伟丽明华红军杰涛静敏芳秀英梅兰玉建平霞娟燕云磊洋勇超刚辉鹏飞鑫波斌宇浩凯健俊帆旭宁龙林"
        "欢佳阳亮成峰国晨瑞志兵雷东博坤岩文利楠娜艳玲萍莉晶颖慧倩琴洁春海冬莹琳欣香芝金桂珍淑丹"
        "婷凤荣雪王张李刘徐",
        "玮莉鸣桦虹君洁滔靖民方绣瑛玫岚钰健萍侠鹃艳芸垒阳永潮钢晖朋非新博彬雨皓恺建骏凡煦凝隆琳"
        "焕嘉扬靓诚锋郭辰睿智冰蕾冬波琨炎雯莉南纳燕铃苹丽静莹惠茜勤杰纯凯东盈林新湘枝锦贵真书单"
        "亭风蓉学汪章黎柳许",
        strict=True,
    )
)


class Names:
    """Draws names from Faker's zh_CN tables with the generator's own random source (Faker's
    own `name()` costs more than everything else the generator does per person)."""

    def __init__(self, rng: random.Random) -> None:
        self.random = rng
        self.surnames = list(Provider.last_names)
        self.cumulative = list(accumulate(Provider.last_names.values()))
        self.given = {
            True: list(Provider.first_names_male),
            False: list(Provider.first_names_female),
        }

    def surname(self) -> str:
        drawn = self.random.random() * self.cumulative[-1]
        return self.surnames[min(bisect(self.cumulative, drawn), len(self.surnames) - 1)]

    def name(self, male: bool) -> str:
        return self.surname() + self.random.choice(self.given[male])


def split(name: str) -> tuple[str, str]:
    """Surname and given name."""
    size = 2 if name.startswith(COMPOUND_SURNAMES) else 1
    return name[:size], name[size:]


def typo(name: str) -> str | None:
    for index in reversed(range(len(name))):
        if name[index] in SIMILAR:
            return name[:index] + SIMILAR[name[index]] + name[index + 1 :]
    return None


def traditional(name: str) -> str | None:
    written = "".join(TRADITIONAL.get(char, char) for char in name)
    return written if written != name else None


def spaced(name: str) -> str | None:
    surname, given = split(name)
    gap = "\u3000" if len(name) % 2 else " "  # full-width or ASCII, as input methods do
    return f"{surname}{gap}{given}" if given else None


def dropped(name: str) -> str | None:
    surname, given = split(name)
    return surname + given[:-1] if len(given) >= 2 else None


WRITERS = {"typo": typo, "traditional": traditional, "space": spaced, "dropped": dropped}


def variant(name: str, first: int) -> tuple[str, str]:
    """A variant of `name` and its kind: VARIANTS[first], or the next kind that applies."""
    for offset in range(len(VARIANTS)):
        kind = VARIANTS[(first + offset) % len(VARIANTS)]
        if (written := WRITERS[kind](name)) is not None:
            return written, kind
    return name, "none"
