"""Every action test runs against each ``ActionState`` backend: SQLite and DynamoDB (moto,
in-process). One contract, two adapters."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from xin.actions.state import ActionState, SqliteActionState


@pytest.fixture(params=["sqlite", "dynamodb"])
def state(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ActionState]:
    if request.param == "sqlite":
        yield SqliteActionState(tmp_path / "state.db")
        return
    import boto3
    from moto import mock_aws

    from xin.adapters.dynamodb_action_state import DynamoDbActionState

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        dynamo = DynamoDbActionState(
            "action-state", client=boto3.client("dynamodb", region_name="eu-west-1")
        )
        dynamo.create_table()
        yield dynamo
