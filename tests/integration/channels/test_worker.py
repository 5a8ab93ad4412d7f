"""The worker half: retries with a dead-letter path, the background thread, the SQS batch
handler's partial failures, and the reply sent only once per platform event."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.integration.channels import signing
from tests.integration.channels.conftest import FIXTURE_TIME, Harness, MetricLog
from xin.channels.common import REPLIES_FAILED
from xin.channels.message import InboundMessage
from xin.channels.queue import LocalQueue
from xin.services.channel_worker import sqs_batch

SLACK_REPLY = "/slack/chat.postMessage"


def test_a_platform_outage_is_retried_then_dead_lettered(
    harness: Harness, metrics: MetricLog
) -> None:
    harness.receiver.fail[SLACK_REPLY] = 100  # Slack answers 503 to every attempt
    assert send(harness, signing.slack()) == 200
    for _ in range(3):
        harness.drain()
    assert harness.queue.counts() == {"dead": 1}
    [(message, error)] = harness.queue.dead_letters()
    assert message.event_id == "Ev0PV52K25"
    assert error == "DeliveryFailed"
    # every attempt = 1 call + 1 client retry; 3 attempts, then nothing more
    assert len(harness.receiver.calls(SLACK_REPLY)) == 6
    assert metrics.count(REPLIES_FAILED, channel="slack") == 3


def test_a_transient_failure_is_retried_and_answered_once(harness: Harness) -> None:
    harness.receiver.fail[SLACK_REPLY] = 2  # first attempt (call + retry) fails
    send(harness, signing.slack())
    harness.drain()
    harness.drain()
    assert harness.queue.counts() == {}
    assert len(harness.receiver.calls(SLACK_REPLY)) == 3  # 2 failed calls, then the reply


def test_background_thread_replies_without_draining(harness: Harness) -> None:
    queue = LocalQueue(
        harness.runtime.state_path.with_suffix(".bg.db"), harness.runtime.worker.handle, poll_s=0.05
    )
    harness.runtime.__dict__["queue"] = queue  # before the webhook service is built
    harness.runtime.__dict__.pop("webhooks", None)
    try:
        started = time.perf_counter()
        assert send(harness, signing.telegram()) == 200
        assert time.perf_counter() - started < 3.0
        assert harness.receiver.wait_for("/telegram/bot", timeout_s=20)
    finally:
        queue.stop()


def test_sqs_batch_reports_only_the_failed_record(harness: Harness) -> None:
    from aws_lambda_powertools.utilities.batch import (
        BatchProcessor,
        EventType,
        process_partial_response,
    )

    good = _message("Ev-good")
    bad = replace(
        good, channel="slack", event_id="Ev-bad", reply_to={"channel": "C1", "thread_ts": ""}
    )
    harness.receiver.fail[SLACK_REPLY] = 0
    harness.receiver.fail["/slack/"] = 100
    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
    handler = sqs_batch(harness.runtime.worker, processor, process_partial_response)
    event = {"Records": [_sqs_record("m-1", good), _sqs_record("m-2", bad)]}
    result = handler(event, None)
    assert result == {"batchItemFailures": [{"itemIdentifier": "m-2"}]}
    assert len(harness.receiver.calls("/telegram/bot")) == 1
    # redelivery of the good record (SQS is at-least-once) does not reply twice
    handler({"Records": [_sqs_record("m-1", good)]}, None)
    assert len(harness.receiver.calls("/telegram/bot")) == 1


def send(h: Harness, request: signing.Request) -> int:
    path, body, headers = request
    status: int = h.client.post(path, content=body, headers=headers).status_code
    return status


def _message(event_id: str) -> InboundMessage:
    return InboundMessage(
        channel="telegram",
        tenant="default",
        event_id=event_id,
        conversation_id="42",
        user_id="42",
        text="How do I deploy Xin to Kubernetes?",
        sent_at=FIXTURE_TIME,
        reply_to={"chat_id": "42", "message_id": "7"},
    )


def _sqs_record(message_id: str, message: InboundMessage) -> dict[str, Any]:
    return {
        "messageId": message_id,
        "receiptHandle": "AQEB" + message_id,
        "body": message.to_json(),
        "attributes": {
            "ApproximateReceiveCount": "1",
            "SentTimestamp": "1763780000000",
            "SenderId": "AIDAIENQZJOLO23YVJ4VO",
            "ApproximateFirstReceiveTimestamp": "1763780000001",
        },
        "messageAttributes": {},
        "md5OfBody": "",
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:xin-channel-replies",
        "awsRegion": "eu-west-1",
    }


@pytest.mark.parametrize("backend", ["sqlite", "dynamodb"])
def test_idempotency_store_contract(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    store = _store(backend, tmp_path)
    assert store.claim("slack:Ev1", 60) is True
    assert store.claim("slack:Ev1", 60) is False  # a retry of the same event
    assert store.claim("slack:Ev2", 60) is True
    store.release("slack:Ev1")
    assert store.claim("slack:Ev1", 60) is True  # released after a failed enqueue


def _store(backend: str, tmp_path: Path) -> Any:
    if backend == "sqlite":
        from xin.channels.idempotency import SqliteIdempotencyStore

        return SqliteIdempotencyStore(tmp_path / "idem.db")
    import boto3
    from moto import mock_aws

    mock = mock_aws()
    mock.start()
    client = boto3.client("dynamodb", region_name="eu-west-1")
    client.create_table(
        TableName="xin-idempotency",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    from xin.channels.idempotency import DynamoDbIdempotencyStore

    store = DynamoDbIdempotencyStore("xin-idempotency", client=client)
    _STOPS.append(mock.stop)
    return store


_STOPS: list[Any] = []


@pytest.fixture(autouse=True)
def _stop_mocks() -> Any:
    yield
    while _STOPS:
        _STOPS.pop()()


def test_expired_keys_can_be_claimed_again(tmp_path: Path) -> None:
    from xin.channels.idempotency import SqliteIdempotencyStore

    now = [1000.0]
    store = SqliteIdempotencyStore(tmp_path / "i.db", clock=lambda: now[0])
    assert store.claim("k", 10)
    now[0] += 11
    assert store.claim("k", 10)


def test_inbound_message_survives_the_queue_round_trip() -> None:
    message = _message("x")
    assert InboundMessage.from_json(message.to_json()) == message
    assert json.loads(message.to_json())["text"].startswith("How")
