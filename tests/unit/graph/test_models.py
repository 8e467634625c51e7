from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from civgraph.graph.models import (
    CommunityFields,
    CommunityKind,
    OrganizationFields,
    OrganizationKind,
    PersonFields,
    RegionFields,
    RegionLevel,
)
from tests.builders import resident_id, uscc


def test_a_person_is_stored_with_the_birth_date_and_sex_the_id_number_encodes() -> None:
    number = resident_id(date(1941, 12, 5), 42)

    props = PersonFields(id_number=number, name="王五").properties()

    assert props == {
        "idNumber": number,
        "name": "王五",
        "birthDate": date(1941, 12, 5),
        "sex": "FEMALE",
    }


def test_an_invalid_id_number_is_a_validation_error_naming_the_field() -> None:
    with pytest.raises(ValidationError, match="id_number"):
        PersonFields(id_number="340121194112050421", name="王五")


def test_properties_use_the_graphs_camel_case_names_and_omit_nulls() -> None:
    region = RegionFields(
        code="340121", name="长丰县", level=RegionLevel.COUNTY, parent_code="340100"
    )

    assert region.properties() == {
        "code": "340121",
        "name": "长丰县",
        "level": RegionLevel.COUNTY,
        "parentCode": "340100",
    }
    assert (
        "parentCode"
        not in RegionFields(code="340000", name="安徽省", level=RegionLevel.PROVINCE).properties()
    )


def test_a_community_needs_a_12_digit_code_and_carries_it_as_division_code() -> None:
    with pytest.raises(ValidationError, match="community code"):
        CommunityFields(
            code="340121001", name="x", kind=CommunityKind.URBAN, township_code="340121001"
        )
    community = CommunityFields(
        code="340121001001", name="x", kind=CommunityKind.URBAN, township_code="340121001"
    )
    assert community.properties()["divisionCode"] == "340121001001"


def test_an_organization_needs_a_valid_uscc() -> None:
    valid = uscc("340121", 7)
    broken = valid[:-1] + ("0" if valid[-1] != "0" else "1")

    assert (
        OrganizationFields(
            uscc=valid, name="x", kind=OrganizationKind.FOUNDATION, division_code="340121"
        ).uscc
        == valid
    )
    with pytest.raises(ValidationError, match="USCC"):
        OrganizationFields(
            uscc=broken, name="x", kind=OrganizationKind.FOUNDATION, division_code="340121"
        )
