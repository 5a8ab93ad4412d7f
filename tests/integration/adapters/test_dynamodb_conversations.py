"""DynamoDB conversation store specifics (moto): key layout, TTL, races, errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from xin.adapters.dynamodb_conversations import DynamoDbConversationStore
from xin.domain import Turn
from xin.errors import StoreUnavailable

DAY = 86_400


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        yield boto3.client("dynamodb", region_name="eu-west-1")


def test_items_use_tenant_session_partition_seq_sort_and_a_ttl(client: Any) -> None:
    store = DynamoDbConversationStore("conv", ttl_days=7, boto3_client=client, clock=lambda: 5000.0)
    store.create_table()
    store.append("acme", "s-1", Turn("user", "hi", 4999.5))
    item = client.scan(TableName="conv")["Items"][0]
    assert item["pk"] == {"S": "acme#s-1"}
    assert item["seq"] == {"N": "1"}
    assert item["expires_at"] == {"N": str(5000 + 7 * DAY)}
    ttl = client.describe_time_to_live(TableName="conv")["TimeToLiveDescription"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}


def test_expired_turns_are_not_returned_before_dynamodb_deletes_them(client: Any) -> None:
    now = [0.0]
    store = DynamoDbConversationStore("conv", ttl_days=1, boto3_client=client, clock=lambda: now[0])
    store.create_table()
    store.append("t", "s", Turn("user", "old", 0.0))
    now[0] = 2 * DAY
    store.append("t", "s", Turn("user", "new", now[0]))
    assert [t.text for t in store.history("t", "s", 10)] == ["new"]


def test_a_concurrent_writer_never_loses_a_turn(client: Any) -> None:
    store = DynamoDbConversationStore("conv", boto3_client=client)
    store.create_table()
    rival = DynamoDbConversationStore("conv", boto3_client=client)

    class RacingClient:
        """Lets the rival write seq 1 between our read of the last seq and our write."""

        def __init__(self) -> None:
            self.raced = False

        def __getattr__(self, name: str) -> Any:
            return getattr(client, name)

        def put_item(self, **kwargs: Any) -> Any:
            if not self.raced:
                self.raced = True
                rival.append("t", "s", Turn("user", "rival", 1.0))
            return client.put_item(**kwargs)

    store._client = RacingClient()
    store.append("t", "s", Turn("user", "mine", 2.0))
    assert [t.text for t in store.history("t", "s", 10)] == ["rival", "mine"]


def test_a_missing_table_is_store_unavailable(client: Any) -> None:
    store = DynamoDbConversationStore("absent", boto3_client=client)
    with pytest.raises(StoreUnavailable, match="ResourceNotFoundException"):
        store.history("t", "s", 5)
