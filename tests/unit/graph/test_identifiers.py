from __future__ import annotations

import random
import re
from datetime import date

import pytest
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from civgraph.graph.errors import InvalidIdentifier
from civgraph.graph.identifiers import (
    Sex,
    parent_region_code,
    parse_division_code,
    parse_resident_id,
    resident_id_check_digit,
)

# A check digit computed by hand with the GB 11643 weights (7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2).
KNOWN = "11010519491231002X"


def test_a_known_number_decodes_to_birth_date_sex_and_county() -> None:
    decoded = parse_resident_id(KNOWN)

    assert decoded.birth_date == date(1949, 12, 31)
    assert decoded.sex is Sex.FEMALE  # the 17th digit, 2, is even
    assert decoded.region_code == "110105"


def test_the_check_digit_of_17_digits_is_the_one_gb_11643_gives() -> None:
    assert resident_id_check_digit(KNOWN[:17]) == "X"


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("110105194912310021", "checksum"),  # last character altered
        ("11010519491331002X", "invalid"),  # month 13
        ("11010519491231002", "length"),
        ("99010519491231002X", "invalid"),  # no such province
        ("11030019900101001X", "unknown issuing county"),  # stdnum raises KeyError here
    ],
)
def test_invalid_numbers_are_refused_with_the_reason(number: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier, match=reason):
        parse_resident_id(number)


def stdnum_verdict(number: str) -> str:
    try:
        return ric.validate(number)
    except (ValidationError, KeyError) as error:
        return type(error).__name__


def our_verdict(number: str) -> str:
    try:
        return parse_resident_id(number).number
    except InvalidIdentifier as error:
        cause = error.__cause__
        return type(cause).__name__ if cause else "InvalidIdentifier"


def test_the_cached_county_check_says_what_stdnum_says() -> None:
    # given numbers of every county code in the table's range, born in many years (the check
    # reads a code's periods: a county may be valid before, after or between given years)
    draw = random.Random(11643)  # noqa: S311 (test data, not secrets)
    numbers = []
    for _ in range(4000):
        county = f"{draw.randrange(11, 66)}{draw.randrange(1, 12):02d}{draw.randrange(1, 30):02d}"
        first17 = f"{county}{draw.randrange(1900, 2030)}0101{draw.randrange(0, 1000):03d}"
        numbers.append(first17 + resident_id_check_digit(first17))
    # when both judge them, then they agree on each (valid, or the same error)
    verdicts = {number: stdnum_verdict(number) for number in numbers}
    assert {n: our_verdict(n) for n in numbers} == verdicts
    # and each outcome was met: valid, no county then, no county name (stdnum's KeyError)
    assert sum(v == n for n, v in verdicts.items()) > 100
    assert {"InvalidComponent", "KeyError"} <= set(verdicts.values())


def test_a_male_number_has_an_odd_17th_digit() -> None:
    first17 = "34012119800101001"
    assert parse_resident_id(first17 + resident_id_check_digit(first17)).sex is Sex.MALE


@pytest.mark.parametrize(
    ("code", "parent"),
    [("340000", None), ("340100", "340000"), ("340121", "340100"), ("340121001", "340121")],
)
def test_parent_codes_follow_the_division_structure(code: str, parent: str | None) -> None:
    assert parent_region_code(code) == parent


@pytest.mark.parametrize(
    ("code", "full", "prefix"),
    [
        ("34", "340000", "34"),
        ("340000", "340000", "34"),
        ("3401", "340100", "3401"),
        ("340100", "340100", "3401"),
        ("341000", "341000", "3410"),
        ("340104", "340104", "340104"),
        ("340104001", "340104001", "340104001"),
        ("340104001002", "340104001002", "340104001002"),
    ],
)
def test_a_division_code_names_its_region_and_covers_exactly_its_subtree(
    code: str, full: str, prefix: str
) -> None:
    parsed = parse_division_code(code)

    assert (parsed.value, parsed.code, parsed.prefix) == (code, full, prefix)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("", "must be 2, 4, 6, 9 or 12 digits"),
        ("3", "must be 2, 4, 6, 9 or 12 digits"),
        ("34012", "must be 2, 4, 6, 9 or 12 digits"),
        ("3401211", "must be 2, 4, 6, 9 or 12 digits"),
        ("34012100a", "must be 2, 4, 6, 9 or 12 digits"),
        ("34 01", "must be 2, 4, 6, 9 or 12 digits"),
        ("\uff13\uff14", "must be 2, 4, 6, 9 or 12 digits"),  # full-width digits: not ASCII
        ("00", "no province code starts with 00"),
        ("3400", "no city code ends in 00 (the province is 34)"),
        ("340121001000", "340121001 is the township"),
    ],
)
def test_malformed_division_codes_are_refused_with_what_is_wrong(code: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier, match=re.escape(reason)) as raised:
        parse_division_code(code)

    assert str(raised.value).startswith(f"invalid division code {code!r}: ")


def test_an_entity_code_takes_only_its_own_levels() -> None:
    with pytest.raises(InvalidIdentifier, match=r"invalid region code '34': must be 6 or 9 digits"):
        parse_division_code("34", (6, 9), "region code")
    with pytest.raises(InvalidIdentifier, match="invalid community code '340121001'"):
        parse_division_code("340121001", (12,), "community code")
