"""The ``ActionState`` contract (both backends, see conftest) and DynamoDB's key layout."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from xin.actions.state import ActionState, AuditRecord, Pending


def _record(at: float, tenant: str, outcome: str) -> AuditRecord:
    return AuditRecord(at, tenant, "web", "s-1", "u-1", "handoff", {"summary": "x"}, outcome)


def test_a_pending_confirmation_is_taken_once_and_not_after_it_expires(
    state: ActionState,
) -> None:
    state.set_pending("acme", "s-1", Pending("create_ticket", {"summary": "vpn"}, 100.0))
    state.set_pending("acme", "s-2", Pending("handoff", {}, 100.0))
    taken = state.pop_pending("acme", "s-1", 50.0)
    assert taken == Pending("create_ticket", {"summary": "vpn"}, 100.0)
    assert state.pop_pending("acme", "s-1", 50.0) is None  # consumed
    assert state.pop_pending("other", "s-2", 50.0) is None  # tenants do not share sessions
    assert state.pop_pending("acme", "s-2", 150.0) is None  # expired: never runs
    assert state.pop_pending("acme", "s-2", 50.0) is None  # ...and it is gone


def test_hand_off_marks_are_per_tenant_and_session(state: ActionState) -> None:
    state.mark_handed_off("acme", "s-1")
    assert state.is_handed_off("acme", "s-1")
    assert not state.is_handed_off("acme", "s-2")
    assert not state.is_handed_off("other", "s-1")


def test_audit_log_keeps_order_and_filters_by_tenant(state: ActionState) -> None:
    for i, outcome in enumerate(["awaiting_confirmation", "ran", "cancelled"]):
        state.audit(_record(10.0 + i, "acme", outcome))
    state.audit(_record(13.0, "globex", "denied"))
    state.audit(_record(13.0, "acme", "ran"))  # same instant: insertion order holds
    assert [r.outcome for r in state.audit_log("acme")] == [
        "awaiting_confirmation",
        "ran",
        "cancelled",
        "ran",
    ]
    assert [r.tenant for r in state.audit_log()] == ["acme", "acme", "acme", "globex", "acme"]
    assert state.audit_log("acme")[0] == _record(10.0, "acme", "awaiting_confirmation")


@pytest.fixture
def dynamodb(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    import boto3
    from moto import mock_aws

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        yield boto3.client("dynamodb", region_name="eu-west-1")


def test_dynamodb_items_expire_by_ttl_and_hand_offs_lapse(dynamodb: Any) -> None:
    from xin.adapters.dynamodb_action_state import DynamoDbActionState

    now = [1000.0]
    store = DynamoDbActionState(
        "state", handoff_ttl_s=600, audit_retention_days=1, client=dynamodb, clock=lambda: now[0]
    )
    store.create_table()
    store.set_pending("acme", "s-1", Pending("handoff", {}, 1600.5))
    store.mark_handed_off("acme", "s-1")
    store.audit(_record(1000.0, "acme", "ran"))
    items = {i["sk"]["S"]: i for i in dynamodb.scan(TableName="state")["Items"]}
    assert items["pending"]["pk"] == {"S": "session#acme#s-1"}
    assert items["pending"]["expires_at"] == {"N": "1601"}
    assert items["handoff"]["expires_at"] == {"N": "1600"}
    (audit,) = [i for key, i in items.items() if key not in ("pending", "handoff")]
    assert audit["pk"] == {"S": "audit#acme"}
    assert audit["expires_at"] == {"N": str(1000 + 86_400)}
    ttl = dynamodb.describe_time_to_live(TableName="state")["TimeToLiveDescription"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}
    assert store.is_handed_off("acme", "s-1")
    now[0] = 1601.0  # TTL deletes lazily: the read checks expiry itself
    assert not store.is_handed_off("acme", "s-1")


def test_dynamodb_errors_become_store_unavailable(dynamodb: Any) -> None:
    from xin.adapters.dynamodb_action_state import DynamoDbActionState
    from xin.errors import StoreUnavailable

    store = DynamoDbActionState("missing-table", client=dynamodb)
    with pytest.raises(StoreUnavailable, match="action state"):
        store.is_handed_off("acme", "s-1")


def test_settings_select_the_backend(tmp_path: Any) -> None:
    from xin.actions.state import SqliteActionState
    from xin.adapters.dynamodb_action_state import DynamoDbActionState
    from xin.config import load_settings
    from xin.deps import Container

    dynamo = load_settings(
        data_dir=tmp_path,
        actions={"state_backend": "dynamodb", "state_table": "xin-dev-actions"},
        aws={"region": "eu-west-1"},
    )
    state = Container(dynamo).channel_runtime.action_state
    assert isinstance(state, DynamoDbActionState)
    assert state._table == "xin-dev-actions"
    local = Container(load_settings(data_dir=tmp_path)).channel_runtime.action_state
    assert isinstance(local, SqliteActionState)
