"""Who may do what: the one place the API's access rules live (docs/security.md).

- `ROOT`: which roles may use each root field of Query, Mutation and Subscription. A root
  field without a rule is refused to everyone (a test derives every field from the schema
  and fails on one without a rule).
- `PII`: the fields that hold personal data, each with how it is masked for a principal
  who may not see it; `sees_pii` says who may.
- `PII_ARGUMENTS`: arguments that would let a caller probe personal data it may not see
  (look up, filter or sort by ID number); refused like a root field.
- `ROUTES`: the plain HTTP routes besides GraphQL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from civgraph.auth.principal import Principal, Role

EVERYONE = frozenset(Role)
STAFF = frozenset({Role.CASEWORKER, Role.INVESTIGATOR, Role.ADMIN})
ADMIN = frozenset({Role.ADMIN})
FEED = frozenset({Role.INTEGRATOR, Role.ADMIN})
INVESTIGATORS = frozenset({Role.INVESTIGATOR, Role.ADMIN})
INVESTIGATIONS = (
    "concurrentPosts", "retiredCadrePosts", "notDecoupled", "benefitsAfterDeath",
    "duplicateEnrollments", "twoHouseholds", "underAgeAllowance", "assistedMeans",
    "hiddenSpouses", "officersRelatives", "overCapacity", "paths", "neighborhood",
)  # fmt: skip

# Mutations a caseworker may run (in its region): enrollments. The admin may run all.
CASEWORK_MUTATIONS = frozenset({"linkEnrolledIn", "endEnrolledIn", "unlinkEnrolledIn"})
# Mutations an investigator may run (decisions in its region): findings' marks, matches.
INVESTIGATION_MUTATIONS = frozenset({"reviewFinding", "confirmMatch", "rejectMatch", "splitMatch"})

READS = (
    "node", "nodes", "region", "community", "household", "person", "organization",
    "facility", "program", "people", "households", "organizations", "facilities",
    "communities", "regions", "programs", "serviceProjects", "assets", "search",
    "enrollmentStatistics", "programOverlap", "linkageCoverage", "linkageGraph", "planIndicators",
)  # fmt: skip
QUERY: dict[str, frozenset[Role]] = (
    dict.fromkeys(READS, EVERYONE) | dict.fromkeys(INVESTIGATIONS, INVESTIGATORS)
    | {"auditLog": ADMIN, "verificationReport": STAFF}
)  # fmt: skip
SUBSCRIPTION: dict[str, frozenset[Role]] = {"changes": FEED, "heartbeat": EVERYONE}
ROUTES: dict[str, frozenset[Role]] = {"/changes": FEED, "/findings.csv": INVESTIGATORS}


def mutation_roles(name: str) -> frozenset[Role]:
    if name in CASEWORK_MUTATIONS:
        return frozenset({Role.ADMIN, Role.CASEWORKER})
    return INVESTIGATORS if name in INVESTIGATION_MUTATIONS else ADMIN


def allowed(principal: Principal, operation: str, field: str, mutations: Iterable[str]) -> bool:
    """Whether `principal` may use root `field` of `operation` (query, mutation,
    subscription); `mutations` are the schema's mutation names (each has a rule)."""
    if operation == "mutation":
        return field in set(mutations) and principal.role in mutation_roles(field)
    rules = QUERY if operation == "query" else SUBSCRIPTION
    return principal.role in rules.get(field, frozenset())


def sees_pii(principal: Principal) -> bool:
    """Caseworkers (in their region: the scope does that), investigators and admins see
    personal data; an integrator only when its key or token grants it; viewers never."""
    if principal.role is Role.INTEGRATOR:
        return principal.pii_granted
    return principal.role in STAFF


# --- masking ---------------------------------------------------------------------------

RESIDENT_ID = re.compile(r"(?<![0-9])([0-9]{6})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9])")
MOBILE = re.compile(r"(?<![0-9])(1[0-9]{2})[0-9]{4}([0-9]{4})(?![0-9])")


def mask_text(text: str) -> str:
    """Resident ID numbers (110105********002X) and mobile numbers (138****1234) wherever
    they appear in a text (record keys, messages)."""
    return MOBILE.sub(r"\1****\2", RESIDENT_ID.sub(r"\1********\2", text))


def mask_phone(text: str) -> str:
    digits = text.strip()
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 8 else "****"


def mask_address(text: str) -> str:
    """Down to the district or street name: the first third (at most 6 characters)."""
    return text[: min(6, len(text) // 3)] + "****"


def masked(value: Any, mask: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, list):
        return [masked(item, mask) for item in value]
    return value


# (type, field) → how its value is masked for a principal who may not see PII.
PII: dict[tuple[str, str], Callable[[str], str]] = {
    ("Person", "idNumber"): mask_text,
    ("Person", "phone"): mask_phone,
    ("Person", "address"): mask_address,
    ("Household", "address"): mask_address,
    # record keys of person registries are ID numbers
    ("Provenance", "recordKey"): mask_text,
    ("SourceRecord", "recordKey"): mask_text,
}
# Fields of change events and inputs that carry personal data, by name.
PII_NAMES: dict[str, Callable[[str], str]] = {
    "idNumber": mask_text,
    "phone": mask_phone,
    "address": mask_address,
}


def mask_event_field(name: str, value: Any) -> Any:
    """A change event's before or after value of field `name`."""
    mask = PII_NAMES.get(name)
    return masked(value, mask) if mask and value is not None else value


# (root field, argument) pairs and input fields that probe personal data.
PII_ARGUMENTS: frozenset[tuple[str, str]] = frozenset({("person", "idNumber")})
PII_INPUT_FIELDS = frozenset(PII_NAMES)
PII_ORDER = frozenset({"ID_NUMBER"})


def redact(value: Any) -> Any:
    """Variables as the audit log keeps them: personal data masked, recursively."""
    if isinstance(value, dict):
        return {k: (masked(v, PII_NAMES[k]) if k in PII_NAMES else redact(v))
                for k, v in value.items()}  # fmt: skip
    if isinstance(value, list):
        return [redact(item) for item in value]
    if isinstance(value, str):
        return mask_text(value)
    return value
