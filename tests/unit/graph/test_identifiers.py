from __future__ import annotations

from datetime import date

import pytest

from civgraph.graph.errors import InvalidIdentifier
from civgraph.graph.identifiers import (
    Sex,
    parent_region_code,
    parse_resident_id,
    resident_id_check_digit,
    validate_community_code,
    validate_region_code,
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


def test_a_male_number_has_an_odd_17th_digit() -> None:
    first17 = "34012119800101001"
    assert parse_resident_id(first17 + resident_id_check_digit(first17)).sex is Sex.MALE


@pytest.mark.parametrize(
    ("code", "parent"),
    [("340000", None), ("340100", "340000"), ("340121", "340100"), ("340121001", "340121")],
)
def test_parent_codes_follow_the_division_structure(code: str, parent: str | None) -> None:
    assert parent_region_code(code) == parent


@pytest.mark.parametrize("code", ["34012", "3401211", "34012100a", ""])
def test_malformed_region_codes_are_refused(code: str) -> None:
    with pytest.raises(InvalidIdentifier):
        validate_region_code(code)


@pytest.mark.parametrize("code", ["340121001000", "34012100100", "34012100100x"])
def test_malformed_community_codes_are_refused(code: str) -> None:
    with pytest.raises(InvalidIdentifier):
        validate_community_code(code)
