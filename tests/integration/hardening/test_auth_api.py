"""Authentication and roles through the real app, configured as in production."""

from __future__ import annotations

import pytest

from tests.integration.hardening.conftest import AppFactory, Deployment, Reply, bearer

ADMIN_ROUTES = [
    ("GET", "/admin/stats"),
    ("GET", "/admin/keys"),
    ("GET", "/admin/documents"),
    ("POST", "/admin/keys"),
    ("DELETE", "/admin/keys/0123456789ab"),
    ("DELETE", "/admin/documents/zephyr.md"),
]
PROTECTED = [("POST", "/chat"), ("POST", "/ingest"), *ADMIN_ROUTES]


BODIES: dict[str, dict[str, object]] = {
    "/admin/keys": {"roles": ["chat"]},
    "/chat": {"message": "How often are Zephyr signing keys rotated?"},
    "/ingest": {"text": "Hello", "title": "t"},
}


def call(d: Deployment, method: str, path: str, headers: dict[str, str] | None = None) -> Reply:
    body = BODIES.get(path) if method == "POST" else None
    reply: Reply = d.client.request(method, path, json=body, headers=headers or {})
    return reply


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_without_a_key_every_protected_route_is_401(
    two_tenants: Deployment, method: str, path: str
) -> None:
    response = call(two_tenants, method, path)
    assert response.status_code == 401
    body = response.json()
    assert body["error"]["code"] == "unauthorized"
    assert body["error"]["request_id"]
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "Bearer xin_000000000000_" + "A" * 43},
        {"Authorization": "Bearer not-a-key"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"X-API-Key": "xin_garbage"},
        {"Authorization": "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."},
    ],
)
def test_bad_credentials_are_401(two_tenants: Deployment, headers: dict[str, str]) -> None:
    response = two_tenants.client.post("/chat", json={"message": "hi"}, headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize(("method", "path"), ADMIN_ROUTES)
def test_a_chat_key_on_an_admin_route_is_403(
    two_tenants: Deployment, method: str, path: str
) -> None:
    response = call(two_tenants, method, path, bearer(two_tenants.keys.acme_chat))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_roles_open_exactly_their_routes(two_tenants: Deployment) -> None:
    d, keys = two_tenants, two_tenants.keys
    question = {"message": "How often does the Zephyr gateway rotate its signing keys?"}
    chat = d.client.post("/chat", json=question, headers=bearer(keys.acme_chat))
    assert chat.status_code == 200 and "90 days" in chat.json()["answer"]
    doc = {"text": "Acme's cafeteria opens at 8am.", "title": "Cafeteria"}
    assert d.client.post("/ingest", json=doc, headers=bearer(keys.acme_chat)).status_code == 403
    assert (
        d.client.post("/chat", json=question, headers=bearer(keys.acme_ingest)).status_code == 403
    )
    ingested = d.client.post("/ingest", json=doc, headers={"X-API-Key": keys.acme_ingest})
    assert ingested.status_code == 201, ingested.text
    assert d.client.get("/admin/stats", headers=bearer(keys.acme_ingest)).status_code == 403
    # admin implies every role
    assert d.client.post("/chat", json=question, headers=bearer(keys.acme_admin)).status_code == 200
    stats = d.client.get("/admin/stats", headers=bearer(keys.acme_admin))
    assert stats.status_code == 200 and stats.json()["tenant"] == "acme"


def test_a_key_created_over_the_api_is_shown_once_and_works_until_revoked(
    two_tenants: Deployment,
) -> None:
    d, admin = two_tenants, bearer(two_tenants.keys.acme_admin)
    created = d.client.post("/admin/keys", json={"roles": ["chat"], "name": "bot"}, headers=admin)
    assert created.status_code == 201, created.text
    assert created.headers["cache-control"] == "no-store"
    key, key_id = created.json()["api_key"], created.json()["key_id"]
    assert created.json()["tenant"] == "acme"
    listed = d.client.get("/admin/keys", headers=admin).json()["keys"]
    assert key_id in {k["key_id"] for k in listed}
    assert key not in str(listed)  # listing never shows secrets
    question = {"message": "How often are Zephyr signing keys rotated?"}
    assert d.client.post("/chat", json=question, headers=bearer(key)).status_code == 200
    revoked = d.client.delete(f"/admin/keys/{key_id}", headers=admin)
    assert revoked.status_code == 200 and revoked.json()["revoked"] is True
    assert d.client.post("/chat", json=question, headers=bearer(key)).status_code == 401


def test_only_a_platform_admin_creates_all_tenant_keys(two_tenants: Deployment) -> None:
    d, keys = two_tenants, two_tenants.keys
    body = {"roles": ["admin"], "tenant": "*"}
    refused = d.client.post("/admin/keys", json=body, headers=bearer(keys.acme_admin))
    assert refused.status_code == 403
    created = d.client.post("/admin/keys", json=body, headers=bearer(keys.platform_admin))
    assert created.status_code == 201 and created.json()["tenant"] == "*"
    chat_star = {"roles": ["chat"], "tenant": "*"}
    invalid = d.client.post("/admin/keys", json=chat_star, headers=bearer(keys.platform_admin))
    assert invalid.status_code == 422


def test_expired_keys_are_refused(make_deployment: AppFactory) -> None:
    d = make_deployment()
    issued = d.container.api_keys.create("acme", ["admin"], ttl_s=0.05)
    import time

    time.sleep(0.1)
    assert d.client.get("/admin/stats", headers=bearer(issued.secret)).status_code == 401


def test_health_and_the_page_stay_open(two_tenants: Deployment) -> None:
    assert two_tenants.client.get("/health").status_code == 200
    assert two_tenants.client.get("/").status_code == 200
