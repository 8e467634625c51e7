"""Entity resolution's judgement: how alike a record without an ID number and a registered
person are, as a score and a match key a person can read.

A record that carries a valid resident ID number is matched on it (deterministic, score 1).
Otherwise its name, sex, birth date and community are compared with each candidate:

| evidence | points | match key |
| --- | --- | --- |
| the same name | 0.45 | `name` |
| the same name once normalised (traditional, spaces, full width) | 0.42 | `name~variant` |
| a name that sounds the same (same pinyin) | 0.35 | `name~homophone` |
| one character different, or one dropped, same surname | 0.28 | `name~typo` / `name~dropped` |
| the same birth date | 0.30 | `birthDate` |
| the same sex (a different one costs 0.30) | 0.05 | `sex` |
| the same community / township / county | 0.20 / 0.12 / 0.06 | `community` / … |

A candidate whose name matches in none of these ways is no match. A registry that records no
place (a vehicle register, a cadre roster) cannot reach the place's 0.20: its scores are out
of the 0.80 it can reach (divided by 0.80), so a record that matches in all it says can join;
the match key says what the evidence was. A record without a sex gets no points for it.

At or above the join threshold (default 0.90) the record joins the best candidate, unless
another is about as good (within 0.10): then, as in the grey band (default 0.65 to 0.90), it
becomes an entity of its own with `POSSIBLY_SAME` links to the likely candidates, for an
investigator to judge.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache, lru_cache

from opencc import OpenCC
from pypinyin import Style, lazy_pinyin, pinyin
from pypinyin.pinyin_dict import pinyin_dict

from civgraph.graph.pickling import ByFields

JOIN = 0.90
GREY = 0.65
NAME = 0.45  # the very same name
SEX = 0.05
PLACE = 0.20  # the most a place can add (the same community)
TOWNSHIP, COUNTY = 0.12, 0.06
MARGIN = 0.10  # how far ahead of the next candidate a join must be
POSSIBLE_LINKS = 3  # at most this many POSSIBLY_SAME links per record
SEPARATORS = str.maketrans("", "", " \t·•.・")
SIMPLIFIED = OpenCC("t2s")
FULL_WIDTH = range(0xFF01, 0xFF5F)  # full-width ASCII, as a Chinese keyboard may type it


@dataclass(frozen=True, slots=True)
class Identity(ByFields):
    """What a record without a reliable key says about its person."""

    name: str
    sex: str | None  # MALE / FEMALE; None when the registry does not say
    birth_date: date
    community_code: str | None = None
    placed: bool = True  # the registry records where the person lives (community_code)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A person in the graph the record might be."""

    id: str
    name: str
    sex: str | None
    birth_date: date | None
    division_code: str | None


@dataclass(frozen=True, slots=True)
class Match:
    candidate: Candidate
    score: float
    key: str  # the evidence, readable: `name~typo+birthDate+sex+community`


class Outcome(StrEnum):
    JOIN = "JOIN"  # the record is this person
    POSSIBLE = "POSSIBLE"  # a new entity, POSSIBLY_SAME as the matches
    NEW = "NEW"  # a new entity; nobody alike


@dataclass(frozen=True, slots=True)
class Decision:
    outcome: Outcome
    matches: tuple[Match, ...] = ()  # JOIN: the one joined; POSSIBLE: the likely ones


@lru_cache(maxsize=65536)
def normalised(name: str) -> str:
    return str(SIMPLIFIED.convert(unicodedata.normalize("NFKC", name).translate(SEPARATORS)))


@lru_cache(maxsize=65536)
def sound(name: str) -> tuple[str, ...]:
    return tuple(lazy_pinyin(name))


@cache
def characters() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Every character pypinyin knows, by each of its readings; and the characters that
    normalise to another (traditional, full-width), by the one they normalise to."""
    by_reading: dict[str, set[str]] = {}
    written: dict[str, set[str]] = {}
    for point in [*pinyin_dict, *FULL_WIDTH]:
        character = chr(point)
        for reading in pinyin(character, style=Style.NORMAL, heteronym=True)[0]:
            by_reading.setdefault(reading, set()).add(character)
        if (simple := normalised(character)) != character:
            written.setdefault(simple, set()).add(character)
    return by_reading, written


@lru_cache(maxsize=65536)
def initials(name: str) -> str:
    """The characters a registered person's name can begin with and still match `name` in
    one of the ways `name_evidence` knows: the same first character once normalised, or one
    that sounds the same (the homophone), written simplified or traditional. Of the people
    born one day (hundreds in a province of ten million) only these are candidates."""
    spoken = normalised(name)
    if not spoken:
        return name[:1]
    by_reading, written = characters()
    heads = {spoken[0], *by_reading.get(sound(spoken)[0], ())}
    variants = {variant for head in heads for variant in written.get(head, ())}
    return "".join(sorted({name[0], *heads, *variants}))


def one_changed(a: str, b: str) -> bool:
    return len(a) == len(b) >= 2 and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def one_dropped(longer: str, shorter: str) -> bool:
    if len(longer) != len(shorter) + 1 or len(shorter) < 2:
        return False
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(1, len(longer)))


def name_evidence(record: str, registered: str) -> tuple[float, str] | None:
    a, b = normalised(record), normalised(registered)
    tests = (
        (record == registered, NAME, "name"),
        (a == b, 0.42, "name~variant"),
        (len(a) == len(b) and sound(a) == sound(b), 0.35, "name~homophone"),
        (a[:1] == b[:1] and one_changed(a, b), 0.28, "name~typo"),
        (a[:1] == b[:1] and (one_dropped(a, b) or one_dropped(b, a)), 0.28, "name~dropped"),
    )
    return next(((points, key) for holds, points, key in tests if holds), None)


def place_evidence(record: str | None, registered: str | None) -> tuple[float, str]:
    if not record or not registered:
        return 0.0, ""
    for length, points, label in ((12, PLACE, "community"), (9, TOWNSHIP, "township")):
        if len(record) >= length and record[:length] == registered[:length]:
            return points, label
    if record[:6] == registered[:6]:
        return COUNTY, "county"
    return 0.0, ""


def namesake_place(identity: Identity, grey: float = GREY) -> str | None:
    """Where a person of the record's very name but born another day must live to score in
    the grey band, at best (the same sex, the same place): a division code's prefix, '' for
    anywhere, None when nowhere will do. The candidate query skips the other namesakes."""
    base = NAME + (SEX if identity.sex is not None else 0.0)
    if not identity.placed:
        return "" if round(base / (1 - PLACE), 2) >= grey else None
    community = identity.community_code or ""
    for length, points in ((0, 0.0), (6, COUNTY), (9, TOWNSHIP), (12, PLACE)):
        if length <= len(community) and round(base + points, 2) >= grey:
            return community[:length]
    return None


def compare(identity: Identity, candidate: Candidate) -> Match | None:
    """How alike a record and a candidate are; None when their names do not match at all."""
    name = name_evidence(identity.name, candidate.name)
    if name is None:
        return None
    score, keys = name[0], [name[1]]
    if candidate.birth_date == identity.birth_date:
        score, keys = score + 0.30, [*keys, "birthDate"]
    if identity.sex is not None and candidate.sex == identity.sex:
        score, keys = score + SEX, [*keys, "sex"]
    elif identity.sex is not None and candidate.sex is not None:
        score -= 0.30
    points, label = place_evidence(identity.community_code, candidate.division_code)
    if label:
        score, keys = score + points, [*keys, label]
    if not identity.placed:
        score /= 1 - PLACE
    return Match(candidate, round(score, 2), "+".join(keys))


def decide(
    identity: Identity, candidates: Iterable[Candidate], join: float = JOIN, grey: float = GREY
) -> Decision:
    """Joins the record to one candidate, links it to possible ones, or leaves it alone."""
    return choose((m for c in candidates if (m := compare(identity, c)) is not None), join, grey)


def choose(matches: Iterable[Match], join: float = JOIN, grey: float = GREY) -> Decision:
    """The decision on scored matches: the best joins when it is good enough and clearly
    ahead; otherwise those in the grey band are possible."""
    likely: Sequence[Match] = sorted(
        (match for match in matches if match.score >= grey),
        key=lambda match: (-match.score, match.candidate.id),
    )
    if not likely:
        return Decision(Outcome.NEW)
    best = likely[0]
    runner_up = likely[1].score if len(likely) > 1 else 0.0
    if best.score >= join and best.score - runner_up >= MARGIN:
        return Decision(Outcome.JOIN, (best,))
    return Decision(Outcome.POSSIBLE, tuple(likely[:POSSIBLE_LINKS]))
