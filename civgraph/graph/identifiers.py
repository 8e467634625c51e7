"""Natural keys: resident ID numbers (GB 11643) and division codes (GB/T 2260 + 12-digit)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache

from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError

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


@lru_cache(maxsize=1 << 16)  # a row checks the same number several times (fields, links)
def parse_resident_id(value: str) -> ResidentId:
    """Validates a resident ID (check digit, birth date, issuing county) and decodes it."""
    try:
        number = ric.validate(value)
        birth_date = ric.get_birth_date(number)
    except ValidationError as error:
        raise InvalidIdentifier("resident ID", value, str(error)) from error
    except KeyError as error:  # stdnum 2.x, for a code its table has without a county name
        raise InvalidIdentifier("resident ID", value, "unknown issuing county") from error
    # The 17th character is the sequence number's last digit: odd for men, even for women.
    sex = Sex.MALE if int(number[16]) % 2 else Sex.FEMALE
    return ResidentId(number, birth_date, sex, number[:6])


def resident_id_check_digit(first17: str) -> str:
    """The check character for 17 digits (stdnum's calc_check_digit wants 18 characters)."""
    return ric.calc_check_digit(first17 + "0")


def make_resident_id(county: str, born: date, sequence: int) -> str:
    """A valid resident ID number for synthetic data: odd `sequence` for a man, even for a
    woman. (stdnum refuses a county code that did not exist in the birth year.)"""
    first17 = f"{county}{born:%Y%m%d}{sequence:03d}"
    return first17 + resident_id_check_digit(first17)


REGION_CODE = re.compile(r"^(\d{6}|\d{9})$")
COMMUNITY_CODE = re.compile(r"^\d{12}$")


def validate_region_code(value: str) -> str:
    """A 6-digit administrative code (province, city, county) or a 9-digit township code."""
    if not REGION_CODE.match(value):
        raise InvalidIdentifier("region code", value, "must be 6 or 9 digits")
    return value


def validate_community_code(value: str) -> str:
    """A 12-digit statistical division code: county (6) + township (3) + community (3)."""
    if not COMMUNITY_CODE.match(value) or value.endswith("000"):
        raise InvalidIdentifier("community code", value, "must be 12 digits, not ending in 000")
    return value


def validate_division_code(value: str) -> str:
    """Any level's code: region (6 or 9 digits) or community (12)."""
    if len(value) == 12:
        return validate_community_code(value)
    return validate_region_code(value)


def region_prefix(code: str) -> str:
    """The prefix every division code inside a region starts with: 340000 → 34,
    340100 → 3401, 340104 → 340104, and 9- or 12-digit codes as they are."""
    validate_division_code(code)
    if len(code) != 6:
        return code
    if code.endswith("0000"):
        return code[:2]
    return code[:4] if code.endswith("00") else code


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
