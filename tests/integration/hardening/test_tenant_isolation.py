"""Tenant A never sees tenant B's documents, through any route.

Two tenants, one document each (acme: the Zephyr gateway; globex: the Quasar ledger), and
keys of every role for both. Each route is tried with acme's credentials against globex's
data, both implicitly (acme's own tenant) and by naming globex explicitly.
"""

from __future__ import annotations

import time

import pytest

from tests.integration.hardening.conftest import Deployment, bearer
from xin.api.app import ROUTE_GROUPS

GLOBEX_QUESTION = {"message": "When does the Quasar ledger close its books?"}
ACME_QUESTION = {"message": "How often does the Zephyr gateway rotate its signing keys?"}


def test_chat_answers_only_from_the_callers_tenant(two_tenants: Deployment) -> None:
    d, keys = two_tenants, two_tenants.keys
    own = d.client.post("/chat", json=GLOBEX_QUESTION, headers=bearer(keys.globex_chat)).json()
    assert own["grounded"] and "17:00" in own["answer"]  # the document is there
    other = d.client.post("/chat", json=GLOBEX_QUESTION, headers=bearer(keys.acme_chat)).json()
    assert other["grounded"] is False and other["citations"] == []
    assert "17:00" not in other["answer"]


@pytest.mark.parametrize("key_name", ["acme_chat", "acme_admin"])
def test_naming_another_tenant_in_the_body_is_403(two_tenants: Deployment, key_name: str) -> None:
    d = two_tenants
    key = getattr(d.keys, key_name)
    response = d.client.post(
        "/chat", json={**GLOBEX_QUESTION, "tenant": "globex"}, headers=bearer(key)
    )
    assert response.status_code == 403
    assert "17:00" not in response.text
    same = d.client.post("/chat", json={**ACME_QUESTION, "tenant": "acme"}, headers=bearer(key))
    assert same.status_code == 200  # naming one's own tenant is fine


def test_sessions_do_not_cross_tenants(two_tenants: Deployment) -> None:
    d, keys = two_tenants, two_tenants.keys
    first = d.client.post("/chat", json=GLOBEX_QUESTION, headers=bearer(keys.globex_chat)).json()
    follow_up = {"message": "and late entries?", "session_id": first["session_id"]}
    reply = d.client.post("/chat", json=follow_up, headers=bearer(keys.acme_chat)).json()
    assert reply["grounded"] is False  # acme's session of that id has no Quasar history
    assert d.container.conversations.history("acme", first["session_id"], 10)[0].text == (
        "and late entries?"
    )


def test_ingest_writes_only_into_the_callers_tenant(two_tenants: Deployment) -> None:
    d, keys = two_tenants, two_tenants.keys
    hostile = {"text": "The Quasar ledger never closes.", "document_id": "quasar.md"}
    refused = d.client.post(
        "/ingest", json={**hostile, "tenant": "globex"}, headers=bearer(keys.acme_ingest)
    )
    assert refused.status_code == 403
    upload = d.client.post(
        "/ingest",
        files={"file": ("quasar.md", b"# Quasar\n\nThe Quasar ledger never closes.")},
        data={"tenant": "globex"},
        headers=bearer(keys.acme_ingest),
    )
    assert upload.status_code == 403
    # the same document id in acme's own tenant leaves globex's document alone
    own = d.client.post("/ingest", json=hostile, headers=bearer(keys.acme_ingest))
    assert own.status_code == 201
    answer = d.client.post("/chat", json=GLOBEX_QUESTION, headers=bearer(keys.globex_chat)).json()
    assert "17:00" in answer["answer"]
    assert d.container.store.get_document("globex", "quasar.md") is not None


def test_admin_routes_list_count_and_delete_only_within_the_tenant(
    two_tenants: Deployment,
) -> None:
    d, admin = two_tenants, bearer(two_tenants.keys.acme_admin)
    listed = d.client.get("/admin/documents", headers=admin).json()
    assert listed["tenant"] == "acme"
    titles = {doc["title"] for doc in listed["documents"]}
    assert "Zephyr gateway" in titles and "Quasar ledger" not in titles
    for path in ("/admin/documents", "/admin/stats", "/admin/keys"):
        response = d.client.get(path, params={"tenant": "globex"}, headers=admin)
        assert response.status_code == 403, path
    stats = d.client.get("/admin/stats", headers=admin).json()
    assert stats["tenant"] == "acme"
    # globex's document cannot be deleted from acme, whichever way it is named
    for target in ("/admin/documents/quasar.md?tenant=globex", "/admin/documents/zzz.md"):
        assert d.client.delete(target, headers=admin).status_code in (403, 404)
    assert d.container.store.get_document("globex", "quasar.md") is not None
    keys = d.client.get("/admin/keys", headers=admin).json()["keys"]
    assert {k["tenant"] for k in keys} == {"acme"}


def test_an_admin_cannot_revoke_another_tenants_key(two_tenants: Deployment) -> None:
    d = two_tenants
    globex_keys = d.client.get("/admin/keys", headers=bearer(d.keys.globex_admin)).json()["keys"]
    victim = next(k for k in globex_keys if k["roles"] == ["chat"])
    response = d.client.delete(f"/admin/keys/{victim['key_id']}", headers=bearer(d.keys.acme_admin))
    assert response.status_code == 404
    still = d.client.post("/chat", json=GLOBEX_QUESTION, headers=bearer(d.keys.globex_chat))
    assert still.status_code == 200


def test_a_platform_admin_names_the_tenant_it_acts_on(two_tenants: Deployment) -> None:
    d, admin = two_tenants, bearer(two_tenants.keys.platform_admin)
    globex = d.client.get("/admin/documents", params={"tenant": "globex"}, headers=admin).json()
    assert [doc["document_id"] for doc in globex["documents"]] == ["quasar.md"]
    chat = d.client.post("/chat", json={**GLOBEX_QUESTION, "tenant": "globex"}, headers=admin)
    assert "17:00" in chat.json()["answer"]


@pytest.mark.skipif("ingest_status" not in ROUTE_GROUPS, reason="no ingestion status route")
def test_ingestion_status_is_visible_only_to_its_tenant(two_tenants: Deployment) -> None:
    from xin.ingest_status import IngestionRecord

    d = two_tenants
    document_id = "tenants/globex/ledger.md"
    record = IngestionRecord(
        tenant="globex", document_id=document_id, state="pending", created_at=time.time()
    )
    assert d.container.ingest_status.claim(record, time.time()).acquired
    path = f"/ingest/{document_id}"
    own = d.client.get(path, headers=bearer(d.keys.globex_admin))
    assert own.status_code == 200 and own.json()["tenant"] == "globex"
    for key in (d.keys.acme_ingest, d.keys.acme_admin):
        implicit = d.client.get(path, headers=bearer(key))
        explicit = d.client.get(path, params={"tenant": "globex"}, headers=bearer(key))
        assert implicit.status_code == explicit.status_code == 403
        assert "ledger" not in implicit.text + explicit.text
    assert d.client.get(path, headers=bearer(d.keys.acme_chat)).status_code == 403
    assert d.client.get(path).status_code == 401
