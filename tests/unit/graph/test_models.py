from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from civgraph.graph.models import (
    CommunityInput,
    CommunityKind,
    PersonInput,
    RegionInput,
    RegionLevel,
)
from tests.builders import resident_id


def test_a_person_is_stored_with_the_birth_date_and_sex_the_id_number_encodes() -> None:
    number = resident_id(date(1941, 12, 5), 42)

    props = PersonInput(id_number=number, name="王五").properties()

    assert props == {
        "idNumber": number,
        "name": "王五",
        "birthDate": date(1941, 12, 5),
        "sex": "FEMALE",
    }


def test_an_invalid_id_number_is_a_validation_error_naming_the_field() -> None:
    with pytest.raises(ValidationError, match="id_number"):
        PersonInput(id_number="340121194112050421", name="王五")


def test_properties_use_the_graphs_camel_case_names() -> None:
    region = RegionInput(
        code="340121", name="长丰县", level=RegionLevel.COUNTY, parent_code="340100"
    )

    assert region.properties() == {
        "code": "340121",
        "name": "长丰县",
        "level": RegionLevel.COUNTY,
        "parentCode": "340100",
    }


def test_a_community_needs_a_12_digit_code() -> None:
    with pytest.raises(ValidationError, match="community code"):
        CommunityInput(
            code="340121001", name="x", kind=CommunityKind.URBAN, township_code="340121001"
        )
