"""Natural keys: resident ID numbers (GB 11643) and division codes (GB/T 2260 + 12-digit)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache, lru_cache

from stdnum import numdb
from stdnum.cn import ric, uscc
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)
from stdnum.util import isdigits

from civgraph.graph.errors import InvalidIdentifier


class Sex(StrEnum):
    MALE = "MALE"
    FEMALE = "FEMALE"


@dataclass(frozen=True, slots=True)
class ResidentId:
    """A valid 18-character resident identity number and what it encodes."""

    number: str
    birth_date: date
    sex: Sex
    region_code: str


PLAIN_RESIDENT_ID = re.compile(r"[0-9]{17}[0-9X]")


def birth_date_of(number: str) -> date:
    """`ric.get_birth_date` of a compacted number (which compacts it again)."""
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as error:
        raise InvalidComponent() from error


@lru_cache(maxsize=1 << 16)  # a row checks the same number several times (fields, links)
def parse_resident_id(value: str) -> ResidentId:
    """Validates a resident ID (check digit, birth date, issuing county) and decodes it."""
    try:
        # stdnum's compact (a Unicode clean-up, 9 µs) changes nothing in a plain number
        number = value if PLAIN_RESIDENT_ID.fullmatch(value) else ric.compact(value)
        if len(number) != 18:
            raise InvalidLength()
        if not isdigits(number[:-1]):
            raise InvalidFormat()
        if number[-1] != ric.calc_check_digit(number):
            raise InvalidChecksum()
        birth_date = birth_date_of(number)
        check_birth_place(number, birth_date.year)
    except ValidationError as error:
        raise InvalidIdentifier("resident ID", value, str(error)) from error
    except KeyError as error:  # stdnum 2.x, for a code its table has without a county name
        raise InvalidIdentifier("resident ID", value, "unknown issuing county") from error
    # The 17th character is the sequence number's last digit: odd for men, even for women.
    sex = Sex.MALE if int(number[16]) % 2 else Sex.FEMALE
    return ResidentId(number, birth_date, sex, number[:6])


@cache
def county_periods(code: str) -> tuple[str, ...] | None:
    """The entries of stdnum's county table for a code (`[start-end]name`, or a name valid
    at any time); None when the table does not have it. Looking a code up in that table is
    slow, and a run meets each code thousands of times: looked up once."""
    info = {k: v for _, props in numdb.get("cn/loc").info(code) for k, v in props.items()}
    if not info:
        return None
    return tuple(info["county"].split(","))  # KeyError as in stdnum: a code without a county


def check_birth_place(number: str, year: int) -> None:
    """`ric.get_birth_place`'s check, on the cached table entries: the code was a county in
    the birth year (stdnum 2.2's rule, tested against it in tests/unit/graph)."""
    periods = county_periods(number[:6])
    if periods is None:
        raise InvalidComponent()
    for county in periods:
        if not county.startswith("["):
            return
        period, _ = county[1:].split("]")
        start, end = period.split("-")
        if (not start or year >= int(start)) and (not end or year <= int(end)):
            return
    raise InvalidComponent()


def resident_id_check_digit(first17: str) -> str:
    """The check character for 17 digits (stdnum's calc_check_digit wants 18 characters)."""
    return ric.calc_check_digit(first17 + "0")


def age_on(born: date, day: date) -> int:
    """Completed years on `day` of someone born on `born`."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def make_resident_id(county: str, born: date, sequence: int) -> str:
    """A valid resident ID number for synthetic data: odd `sequence` for a man, even for a
    woman. (stdnum refuses a county code that did not exist in the birth year.)"""
    first17 = f"{county}{born:%Y%m%d}{sequence:03d}"
    return first17 + resident_id_check_digit(first17)


DIVISION_LENGTHS = (2, 4, 6, 9, 12)
LEVELS = {2: "a province", 4: "a city", 6: "a province, city or county", 9: "a township",
          12: "a community"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class DivisionCode:
    """A division code of any level, valid in form (`parse_division_code`): a province (2
    digits, or GB/T 2260's 6 ending in 0000), a city (4, or 6 ending in 00), a county (6), a
    township (9) or a community (12: the statistical division code)."""

    value: str  # as given

    @property
    def code(self) -> str:
        """The full code: a province's or city's short form padded to GB/T 2260's 6 digits."""
        return self.value.ljust(6, "0") if len(self.value) < 6 else self.value

    @property
    def prefix(self) -> str:
        """What every division code inside it starts with: 340000 → 34, 340100 → 3401,
        340104 → 340104; 2, 4, 9 and 12 digits as they are."""
        if len(self.value) != 6:
            return self.value
        if self.value.endswith("0000"):
            return self.value[:2]
        return self.value[:4] if self.value.endswith("00") else self.value


def division_code_problem(value: str, lengths: tuple[int, ...]) -> str | None:
    """What is wrong with `value` as a division code of one of `lengths`; None: nothing."""
    if not value.isascii() or not value.isdigit() or len(value) not in lengths:
        digits = ", ".join(str(n) for n in lengths[:-1])
        allowed = f"{digits} or {lengths[-1]}" if digits else str(lengths[-1])
        named = "; ".join(f"{n}: {LEVELS[n]}" for n in lengths)
        return f"must be {allowed} digits ({named})"
    if value.startswith("00"):
        return "no province code starts with 00"
    if len(value) == 4 and value.endswith("00"):
        return f"no city code ends in 00 (the province is {value[:2]})"
    if len(value) == 12 and value.endswith("000"):
        return f"a community code does not end in 000 ({value[:9]} is the township)"
    return None


def parse_division_code(
    value: str, lengths: tuple[int, ...] = DIVISION_LENGTHS, kind: str = "division code"
) -> DivisionCode:
    """The one check of a division code, by its form (GB/T 2260 and the 12-digit statistical
    code): digits, of one of `lengths`, naming a level that can exist. Raises
    InvalidIdentifier (a ValueError) naming `kind` and what is wrong."""
    problem = division_code_problem(value, lengths)
    if problem is not None:
        raise InvalidIdentifier(kind, value, problem)
    return DivisionCode(value)


def validate_uscc(value: str) -> str:
    """A unified social credit code (GB 32100): 18 characters with a check character."""
    try:
        return str(uscc.validate(value))
    except ValidationError as error:
        raise InvalidIdentifier("USCC", value, str(error)) from error


def uscc_check_character(first17: str) -> str:
    return str(uscc.calc_check_digit(first17))


def make_uscc(prefix: str, county: str, serial: str) -> str:
    """A valid USCC for synthetic data: authority and kind (2), county (6), nine serial
    characters, and the check character."""
    first17 = f"{prefix}{county}{serial}"
    return first17 + uscc_check_character(first17)


def parent_region_code(code: str) -> str | None:
    """The code of the region one level up, or None for a province."""
    if len(code) == 9:
        return code[:6]
    if code.endswith("0000"):
        return None
    if code.endswith("00"):
        return code[:2] + "0000"
    return code[:4] + "00"
