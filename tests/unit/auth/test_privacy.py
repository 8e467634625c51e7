"""An operation's privacy masks what its principal may not see and counts what it may, and
the schema's personal-data fields are exactly the policy's."""

from __future__ import annotations

from civgraph.auth import policy
from civgraph.auth.principal import Principal, Role
from civgraph.auth.privacy import Privacy
from civgraph.schema.masking import Masked
from civgraph.schema.schema import build_schema

ID = "340121195006060013"


def masked_fields() -> set[tuple[str, str]]:
    """(type, field) of every field of the built schema that masks personal data."""
    found = set()
    for concrete in build_schema().schema_converter.type_map.values():
        for field in getattr(concrete.definition, "fields", ()):
            found |= {(e.type_name, e.field_name) for e in field.extensions
                      if isinstance(e, Masked)}  # fmt: skip
    return found


def test_every_personal_data_field_of_the_policy_is_masked_in_the_schema() -> None:
    assert masked_fields() == set(policy.PII)


def test_a_viewer_sees_personal_data_masked_and_nothing_is_counted() -> None:
    privacy = Privacy.of(Principal("x", Role.VIEWER))

    shown = [
        privacy.shown("Person", "idNumber", ID),
        privacy.shown("Person", "phone", "13912345678"),
        privacy.shown("SourceRecord", "recordKey", f"dibao:{ID}"),
        privacy.change("idNumber", ID),
    ]

    assert shown == ["340121********0013", "139****5678", "dibao:340121********0013",
                     "340121********0013"]  # fmt: skip
    assert privacy.unmasked == 0


def test_an_admin_sees_personal_data_and_each_value_is_counted() -> None:
    privacy = Privacy.of(Principal("x", Role.ADMIN))

    shown = [
        privacy.shown("Person", "idNumber", ID),
        privacy.shown("Person", "phone", None),  # nothing shown: not counted
        privacy.shown("Person", "name", "钱七"),  # not personal data: not counted
    ]

    assert shown == [ID, None, "钱七"]
    assert privacy.unmasked == 1


def test_without_a_principal_everything_is_masked() -> None:
    assert Privacy.of(None).shown("Household", "address", "安徽省合肥市蜀山区测试路88号") == (
        "安徽省合肥****"
    )
    assert Privacy().shown("Person", "idNumber", ID) == "340121********0013"
