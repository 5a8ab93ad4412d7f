"""One contract for every ``ApiKeyStore`` backend: memory, SQLite, DynamoDB (moto)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from xin.adapters.sqlite.database import Database
from xin.auth.backends.dynamodb import DynamoDbApiKeyStore
from xin.auth.backends.memory import MemoryApiKeyStore
from xin.auth.backends.sqlite import SqliteApiKeyStore
from xin.auth.keys import ApiKeyRecord
from xin.auth.ports import ApiKeyStore
from xin.errors import InvalidRequest


def record(key_id: str, tenant: str = "acme", created_at: float = 1.0) -> ApiKeyRecord:
    return ApiKeyRecord(
        key_id=key_id,
        tenant=tenant,
        roles=("chat", "ingest"),
        name="bot",
        salt="s" * 32,
        digest="d" * 64,
        created_at=created_at,
        expires_at=created_at + 3600,
    )


@pytest.fixture(params=["memory", "sqlite", "dynamodb"])
def store(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ApiKeyStore]:
    if request.param == "memory":
        yield MemoryApiKeyStore()
    elif request.param == "sqlite":
        yield SqliteApiKeyStore(Database(tmp_path / "keys.db"))
    else:
        import boto3
        from moto import mock_aws

        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            monkeypatch.setenv(name, "testing")
        with mock_aws():
            client = boto3.client("dynamodb", region_name="eu-west-1")
            client.create_table(
                TableName="keys",
                KeySchema=[{"AttributeName": "key_id", "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": "key_id", "AttributeType": "S"}],
                BillingMode="PAY_PER_REQUEST",
            )
            yield DynamoDbApiKeyStore("keys", client=client)


def test_put_then_get_round_trips_every_field(store: ApiKeyStore) -> None:
    original = record("aaaaaaaaaaaa")
    store.put(original)
    assert store.get("aaaaaaaaaaaa") == original
    no_expiry = replace(record("bbbbbbbbbbbb"), expires_at=None)
    store.put(no_expiry)
    assert store.get("bbbbbbbbbbbb") == no_expiry
    assert store.get("cccccccccccc") is None
    assert store.get("") is None


def test_an_existing_id_is_never_overwritten(store: ApiKeyStore) -> None:
    store.put(record("aaaaaaaaaaaa", tenant="acme"))
    with pytest.raises(InvalidRequest):
        store.put(record("aaaaaaaaaaaa", tenant="globex"))
    stored = store.get("aaaaaaaaaaaa")
    assert stored is not None and stored.tenant == "acme"


def test_list_filters_by_tenant_oldest_first(store: ApiKeyStore) -> None:
    store.put(record("aaaaaaaaaaa2", "acme", created_at=2.0))
    store.put(record("aaaaaaaaaaa1", "acme", created_at=1.0))
    store.put(record("bbbbbbbbbbbb", "globex", created_at=3.0))
    assert [r.key_id for r in store.list("acme")] == ["aaaaaaaaaaa1", "aaaaaaaaaaa2"]
    assert [r.key_id for r in store.list("globex")] == ["bbbbbbbbbbbb"]
    assert len(store.list()) == 3
    assert store.list("nobody") == []


def test_revoke_marks_only_that_key(store: ApiKeyStore) -> None:
    store.put(record("aaaaaaaaaaaa"))
    store.put(record("bbbbbbbbbbbb"))
    assert store.revoke("aaaaaaaaaaaa") is True
    assert store.revoke("cccccccccccc") is False
    revoked, kept = store.get("aaaaaaaaaaaa"), store.get("bbbbbbbbbbbb")
    assert revoked is not None and revoked.revoked
    assert kept is not None and not kept.revoked
