"""The access policy's rules cover the schema, and its masks keep what they should."""

from __future__ import annotations

from civgraph.auth import policy
from civgraph.auth.principal import Principal, Role
from civgraph.schema.authorization import count_results
from civgraph.schema.schema import build_schema

ID = "340121195006060013"


def root_fields(kind: str) -> set[str]:
    schema = build_schema()._schema
    root = {"query": schema.query_type, "subscription": schema.subscription_type}[kind]
    assert root is not None
    return set(root.fields)


def test_every_query_and_subscription_field_has_its_own_rule() -> None:
    assert set(policy.QUERY) == root_fields("query")
    assert set(policy.SUBSCRIPTION) == root_fields("subscription")


def test_an_unknown_root_field_is_refused_to_everyone() -> None:
    for role in Role:
        principal = Principal("x", role)
        assert not policy.allowed(principal, "query", "somethingNew", [])
        assert not policy.allowed(principal, "mutation", "deleteEverything", ["createPerson"])


def test_only_staff_and_granted_integrators_see_personal_data() -> None:
    seen = {role: policy.sees_pii(Principal("x", role)) for role in Role}
    granted = Principal("x", Role.INTEGRATOR, pii_granted=True)

    assert seen == {
        Role.VIEWER: False,
        Role.CASEWORKER: True,
        Role.INVESTIGATOR: True,
        Role.INTEGRATOR: False,
        Role.ADMIN: True,
    }
    assert policy.sees_pii(granted)


def test_masks_keep_the_region_and_the_last_digits() -> None:
    assert policy.mask_text(ID) == "340121********0013"
    assert policy.mask_text(f"dibao:{ID}>DIBAO_URBAN") == "dibao:340121********0013>DIBAO_URBAN"
    assert policy.mask_text("call 13912345678 now") == "call 139****5678 now"
    assert policy.mask_text("H-0001 and 2024-01-01") == "H-0001 and 2024-01-01"
    assert policy.mask_phone("0551-62345678") == "055****5678"
    assert policy.mask_address("安徽省合肥市蜀山区测试路88号3栋") == "安徽省合肥****"  # 17 // 3
    assert policy.mask_address("某地") == "****"


def test_audit_variables_are_redacted_at_any_depth() -> None:
    variables = {"input": {"idNumber": ID, "name": "某", "phone": "13912345678"}, "q": [ID]}

    assert policy.redact(variables) == {
        "input": {"idNumber": "340121********0013", "name": "某", "phone": "139****5678"},
        "q": ["340121********0013"],
    }


def test_the_audit_log_counts_items_not_bytes() -> None:
    data = {
        "person": {"idNumber": "x"},
        "people": {"edges": [{}, {}, {}], "pageInfo": {}},
        "concurrentPosts": {"findings": [{}, {}], "pageInfo": {}},
        "planIndicators": [{}] * 13,
        "community": None,
        "version": "1",
    }

    assert count_results(data) == 1 + 3 + 2 + 13 + 0 + 1
    assert count_results(None) == 0
