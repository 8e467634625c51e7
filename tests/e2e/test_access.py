"""Access control through a running server: credentials on HTTP and WebSocket, roles per
operation, personal data masked by role (in reads and in the change feed), the audit log."""

from __future__ import annotations

import asyncio
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from civgraph.auth.keys import create_key
from civgraph.auth.principal import Role
from civgraph.graph.connection import Target
from civgraph.graph.driver import Graph
from civgraph.graph.models import MemberRelation
from tests import builders
from tests.e2e.test_change_feed import events, latest, subscribed
from tests.e2e.test_cli import civgraph
from tests.servers import Api, free_port, server_env, serving
from tests.servers import create_key as cli_key

BORN = date(1950, 6, 6)
PERSON = '{ person(idNumber: "%s") { name idNumber phone provenance { recordKey } } }'
PEOPLE = "{ people(first: 5) { nodes { name idNumber phone address } } }"
SECRET = "test-only-hs256-secret-0123456789abcdef"


def get(api: Api, path: str, key: str | None = None, **params: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return httpx.get(f"{api.url}{path}", params=params, headers=headers, timeout=30)


def with_header(api: Api, authorization: str) -> httpx.Response:
    headers = {"Authorization": authorization}
    return httpx.post(api.graphql, json={"query": PEOPLE}, headers=headers, timeout=30)


def post(api: Api, key: str | None, query: str, **variables: Any) -> httpx.Response:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return httpx.post(
        api.graphql, json={"query": query, "variables": variables}, headers=headers, timeout=30
    )


@pytest.fixture(scope="module")
def keys(neo4j: Target) -> dict[str, str]:
    """One key per role, and an integrator granted PII."""
    made = {role.value: cli_key(neo4j, role.value) for role in Role}
    made["integrator+pii"] = cli_key(neo4j, "integrator", "--pii")
    return made


async def a_person(graph: Graph) -> str:
    await builders.regions(graph)
    (head,) = await builders.household(graph, "H-A", [("钱七", BORN, MemberRelation.HEAD)])
    await graph.write("MATCH (p:Person {idNumber: $id}) SET p.phone = '13912345678'", id=head)
    return head


async def test_no_credential_reaches_only_the_health_checks(api: Api) -> None:
    anonymous = post(api, None, PEOPLE)
    unknown = post(api, "cgk_000000000000_nope", PEOPLE)
    malformed = with_header(api, "Basic dXNlcjpwYXNz")
    changes = get(api, "/changes")

    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"].startswith("Bearer")
    assert "no credential" in anonymous.json()["error"]
    assert unknown.status_code == malformed.status_code == changes.status_code == 401
    assert "Bearer" in malformed.json()["error"]
    assert get(api, "/healthz").status_code == 200
    assert get(api, "/readyz").status_code == 200


async def test_a_websocket_without_a_credential_is_closed_before_any_subscription(
    api: Api,
) -> None:
    async with connect(api.websocket, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        with pytest.raises(ConnectionClosed) as closed:
            await ws.recv()

    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4403


async def test_revoked_and_expired_keys_are_refused(api: Api, graph: Graph, neo4j: Target) -> None:
    _, expired = await create_key(graph, "expired (synthetic)", Role.ADMIN,
                                  expires_in=timedelta(seconds=-1))  # fmt: skip
    revoked = cli_key(neo4j, "viewer")
    key_id = revoked.split("_")[1]
    env = server_env(api.log.parent, 0, CIVGRAPH_NEO4J_URI=neo4j.uri,
                     CIVGRAPH_NEO4J_PASSWORD=neo4j.password)  # fmt: skip
    done = civgraph("keys", "revoke", key_id, env=env)
    listed = civgraph("keys", "list", env=env)

    assert done.returncode == 0, done.stderr
    assert "expired" in post(api, expired, PEOPLE).json()["error"]
    assert "revoked" in post(api, revoked, PEOPLE).json()["error"]
    assert key_id in listed.stdout
    assert revoked.split("_")[2] not in listed.stdout  # the secret is never shown again


async def test_roles_may_use_what_the_policy_gives_them(
    api: Api, graph: Graph, keys: dict[str, str]
) -> None:
    await builders.regions(graph)
    mutation = 'mutation { deleteRegion(id: "UmVnaW9uOng=", version: 1) { __typename } }'
    enroll = (
        'mutation { unlinkEnrolledIn(sourceId: "SG91c2Vob2xkOng=", targetId: "UHJvZ3JhbTp4") '
        "{ __typename } }"
    )

    def refused(role: str, query: str) -> bool:
        body = post(api, keys[role], query).json()
        return any(e.get("extensions", {}).get("code") == "FORBIDDEN"
                   for e in body.get("errors", []))  # fmt: skip

    roles = ("viewer", "caseworker", "integrator", "admin")
    assert [refused(role, mutation) for role in roles] == [True, True, True, False]
    assert [refused(role, enroll) for role in ("viewer", "caseworker", "admin")] == [
        True, False, False,
    ]  # fmt: skip
    assert refused("viewer", "{ auditLog { actor } }")
    assert not refused("admin", "{ auditLog { actor } }")
    assert get(api, "/changes", keys["viewer"]).status_code == 403


async def test_personal_data_is_masked_for_roles_that_may_not_see_it(
    api: Api, graph: Graph, keys: dict[str, str]
) -> None:
    id_number = await a_person(graph)

    def person(role: str) -> dict[str, Any]:
        body = post(api, keys[role], PEOPLE).json()
        assert "errors" not in body, body
        found: dict[str, Any] = body["data"]["people"]["nodes"][0]
        return found

    masked = person("viewer")
    integrator, granted, admin = person("integrator"), person("integrator+pii"), person("admin")
    lookup = post(api, keys["viewer"], PERSON % id_number).json()
    by_id = '{ people(filter: {idNumber: {startsWith: "34"}}) { totalCount } }'
    filtered = post(api, keys["viewer"], by_id).json()
    ordered = post(api, keys["viewer"], "{ people(orderBy: ID_NUMBER) { totalCount } }")
    ordered = ordered.json()

    assert masked["idNumber"] == id_number[:6] + "********" + id_number[-4:]
    assert (masked["phone"], masked["name"]) == ("139****5678", "钱七")
    assert integrator == masked
    assert granted["idNumber"] == admin["idNumber"] == id_number
    assert admin["phone"] == "13912345678"
    for body in (lookup, filtered, ordered):
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body
        assert body["data"] is None


async def test_the_change_feed_masks_personal_data_and_refuses_viewers(
    api: Api, graph: Graph, keys: dict[str, str]
) -> None:
    start = await latest(graph)
    integrator = Api(api.url, api.log, keys["integrator"])
    viewer = Api(api.url, api.log, keys["viewer"])

    async with subscribed(integrator, start, {"types": ["Person"]}) as ws:
        id_number = await a_person(graph)
        created = (await events(ws, 1))[0]
    async with subscribed(viewer, start) as refused:
        message = json.loads(await asyncio.wait_for(refused.recv(), 30))
        then = json.loads(await asyncio.wait_for(refused.recv(), 30))
    pulled = get(api, "/changes", keys["integrator"], after=start, types="Person")
    pulled = pulled.json()["events"][0]

    shown = {f["name"]: f["after"] for f in created["fields"]}
    assert shown["idNumber"] == id_number[:6] + "********" + id_number[-4:]
    assert {f["name"]: f["after"] for f in pulled["fields"]}["idNumber"] == shown["idNumber"]
    assert message["payload"]["data"] is None  # the refusal, and not one event
    assert message["payload"]["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "may not use subscription field `changes`" in json.dumps(message)
    assert then == {"id": "1", "type": "complete"}


def key_set(folder: Path) -> tuple[str, Any, Any]:
    """A JWKS file with one ES256 and one RS256 public key; their private keys."""
    ec_key = ec.generate_private_key(ec.SECP256R1())
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    keys = []
    for kid, private in (("ec-1", ec_key), ("rsa-1", rsa_key)):
        jwk = json.loads(jwt.algorithms.get_default_algorithms()[
            "ES256" if kid == "ec-1" else "RS256"].to_jwk(private.public_key()))  # fmt: skip
        keys.append(jwk | {"kid": kid})
    path = folder / "jwks.json"
    path.write_text(json.dumps({"keys": keys}), encoding="utf-8")
    return str(path), ec_key, rsa_key


async def test_jwts_signed_with_the_configured_secret_or_keys_map_claims_to_a_principal(
    neo4j: Target, admin_key: str, graph: Graph, tmp_path_factory: pytest.TempPathFactory
) -> None:
    id_number = await a_person(graph)
    folder = tmp_path_factory.mktemp("jwt")
    jwks, ec_key, rsa_key = key_set(folder)

    def token(**claims: Any) -> str:
        base = {"sub": "frontend-1", "exp": 4102444800}
        return jwt.encode(base | claims, SECRET, algorithm="HS256")

    def signed(private: Any, algorithm: str, kid: str, role: str) -> str:
        claims = {"sub": "portal", "exp": 4102444800, "role": role}
        return jwt.encode(claims, private, algorithm=algorithm, headers={"kid": kid})

    with serving(neo4j, folder, free_port(), admin_key, CIVGRAPH_JWT_SECRET=SECRET,
                 CIVGRAPH_JWT_PUBLIC_KEYS=jwks) as (jwt_api, _):  # fmt: skip
        by_ec = post(jwt_api, signed(ec_key, "ES256", "ec-1", "admin"), PEOPLE).json()
        by_rsa = post(jwt_api, signed(rsa_key, "RS256", "rsa-1", "viewer"), PEOPLE).json()
        wrong_kid = post(jwt_api, signed(ec_key, "ES256", "rsa-1", "admin"), PEOPLE)
        viewer = post(jwt_api, token(role="viewer"), PEOPLE).json()
        admin = post(jwt_api, token(role="admin"), PEOPLE).json()
        no_role = post(jwt_api, token(role="janitor"), PEOPLE)
        forged = post(jwt_api, jwt.encode({"sub": "x", "exp": 4102444800, "role": "admin"},
                                          "another-secret-of-sufficient-length", algorithm="HS256"),
                      PEOPLE)  # fmt: skip
        expired = post(jwt_api, token(role="admin", exp=1), PEOPLE)

    assert viewer["data"]["people"]["nodes"][0]["idNumber"] != id_number
    assert admin["data"]["people"]["nodes"][0]["idNumber"] == id_number
    assert no_role.status_code == forged.status_code == expired.status_code == 401
    assert "expired" in expired.json()["error"].lower()
    assert by_ec["data"]["people"]["nodes"][0]["idNumber"] == id_number
    assert by_rsa["data"]["people"]["nodes"][0]["idNumber"] != id_number
    assert wrong_kid.status_code == 401


async def test_operations_are_audited_with_personal_data_redacted(
    api: Api, graph: Graph, keys: dict[str, str]
) -> None:
    id_number = await a_person(graph)
    post(api, keys["admin"], "query Lookup($id: String!) { person(idNumber: $id) { idNumber } }",
         id=id_number)  # fmt: skip
    post(api, keys["viewer"], 'mutation { deleteRegion(id: "x", version: 1) { __typename } }')
    beats = "subscription Beats { heartbeat(count: 2, intervalMs: 10) { sequence } }"
    async with connect(api.websocket, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps(api.init))
        await ws.recv()
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": beats}}))
        while json.loads(await ws.recv())["type"] != "complete":
            pass
    await asyncio.sleep(1.5)  # entries are written within a second

    log = post(api, keys["admin"], "{ auditLog(first: 20) { actor role operation variables "
               "outcome piiUnmasked results } }").json()["data"]["auditLog"]  # fmt: skip

    lookup = next(e for e in log if e["operation"] == "Lookup")
    denied = next(e for e in log if e["operation"] == "deleteRegion")
    assert lookup["role"] == "admin"
    assert lookup["piiUnmasked"] == 1
    assert lookup["variables"] == {"id": id_number[:6] + "********" + id_number[-4:]}
    assert lookup["results"] == 1
    assert (denied["role"], denied["outcome"]) == ("viewer", "denied")
    streamed = [(e["outcome"], e["results"]) for e in log if e["operation"] == "Beats"]
    assert sorted(streamed) == [("ended", 2), ("started", 0)]


AUDITED = "{ auditLog(first: 50) { kind operation outcome results requestId } }"


def post_with_id(api: Api, request_id: str, query: str) -> httpx.Response:
    headers = {**api.headers, "X-Request-ID": request_id}
    return httpx.post(api.graphql, json={"query": query}, headers=headers, timeout=30)


async def audited(api: Api, request_id: str, until: str) -> list[dict[str, Any]]:
    """The audit entries of a request, once one with the outcome `until` is written."""
    async with asyncio.timeout(30):
        while True:
            log = api.post(AUDITED)["data"]["auditLog"]
            mine = [entry for entry in log if entry["requestId"] == request_id]
            if any(entry["outcome"] == until for entry in mine):
                return mine
            await asyncio.sleep(0.3)


async def test_documents_that_do_not_parse_or_validate_are_audited(api: Api) -> None:
    for rid, query in (("audit-unparsed", "{ region(code: "), ("audit-invalid", "{ nope }")):
        post_with_id(api, rid, query)

    unparsed = await audited(api, "audit-unparsed", "invalid")
    invalid = await audited(api, "audit-invalid", "invalid")

    assert [(e["kind"], e["outcome"], e["results"]) for e in unparsed] == [
        ("unknown", "invalid", 0)
    ]
    assert [(e["kind"], e["operation"], e["outcome"]) for e in invalid] == [
        ("query", "nope", "invalid")
    ]


async def test_a_subscription_its_client_stops_is_audited_as_ended(api: Api) -> None:
    beats = "subscription Long { heartbeat(count: 1000, intervalMs: 20) { sequence } }"
    async with connect(api.websocket, subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
                       additional_headers={"X-Request-ID": "audit-stopped"}) as ws:  # fmt: skip
        await ws.send(json.dumps(api.init))
        await ws.recv()
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": beats}}))
        received = [json.loads(await ws.recv()) for _ in range(2)]
        await ws.send(json.dumps({"id": "1", "type": "complete"}))

        entries = await audited(api, "audit-stopped", "ended")

    assert [m["type"] for m in received] == ["next", "next"]
    ended = next(e for e in entries if e["outcome"] == "ended")
    assert (ended["kind"], ended["operation"]) == ("subscription", "Long")
    assert ended["results"] >= 2
