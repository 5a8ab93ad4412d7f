"""The AWS path end to end: the Telegram webhook function (API Gateway v2 event) verifies and
enqueues to SQS (moto); the channel_worker function takes the SQS batch, answers from the
knowledge base and replies to the (local) Telegram API; the idempotency table is DynamoDB."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import load_event
from tests.integration.channels.conftest import SECRETS
from tests.integration.channels.receiver import Receiver
from tests.integration.test_lambda_handlers import LambdaContext, load_handler


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from moto import mock_aws

    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-west-1",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        import boto3

        boto3.client("dynamodb").create_table(
            TableName="xin-idempotency",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        yield boto3.client("sqs").create_queue(QueueName="xin-channel-replies")["QueueUrl"]


def apigw_v2(path: str, body: bytes, headers: dict[str, str]) -> dict[str, Any]:
    event = load_event("apigw_v2_chat.json")
    event.update(
        {
            "routeKey": f"POST {path}",
            "rawPath": path,
            "rawQueryString": "",
            "headers": {**{k.lower(): v for k, v in headers.items()}, "host": "xin.example"},
            "body": base64.b64encode(body).decode(),
            "isBase64Encoded": True,
        }
    )
    event["requestContext"]["http"].update({"method": "POST", "path": path})
    event["requestContext"]["routeKey"] = f"POST {path}"
    return event


def test_webhook_function_enqueues_and_worker_function_replies(
    aws: str,
    channel_kb: Path,
    tmp_path: Path,
    receiver: Receiver,
    secrets_env: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    receiver.requests.clear()
    update = load_event("telegram_message.json")
    import time

    update["message"]["date"] = int(time.time())  # a fresh message
    for name, value in {
        "XIN_DATA_DIR": str(channel_kb),
        "XIN_CHANNELS__STATE_PATH": str(tmp_path / "state.db"),
        "XIN_CHANNELS__QUEUE": "sqs",
        "XIN_CHANNELS__QUEUE_URL": aws,
        "XIN_CHANNELS__IDEMPOTENCY_BACKEND": "dynamodb",
        "XIN_CHANNELS__TELEGRAM__ENABLED": "true",
        "XIN_CHANNELS__TELEGRAM__API_BASE_URL": f"{receiver.base_url}/telegram",
    }.items():
        monkeypatch.setenv(name, value)
    body = json.dumps(update).encode()
    headers = {
        "content-type": "application/json",
        "x-telegram-bot-api-secret-token": SECRETS["telegram-webhook-secret"],
    }
    webhook = load_handler("webhook_telegram")
    response = webhook.handler(apigw_v2("/webhooks/telegram", body, headers), LambdaContext())
    assert response["statusCode"] == 200
    again = webhook.handler(apigw_v2("/webhooks/telegram", body, headers), LambdaContext())
    assert again["statusCode"] == 200  # Telegram's redelivery: acknowledged, not re-queued
    forged = webhook.handler(
        apigw_v2("/webhooks/telegram", body, {**headers, "x-telegram-bot-api-secret-token": "x"}),
        LambdaContext(),
    )
    assert forged["statusCode"] == 403

    import boto3

    messages = boto3.client("sqs").receive_message(QueueUrl=aws, MaxNumberOfMessages=10)
    assert len(messages["Messages"]) == 1
    record = messages["Messages"][0]
    event = {
        "Records": [
            {
                "messageId": record["MessageId"],
                "receiptHandle": record["ReceiptHandle"],
                "body": record["Body"],
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "md5OfBody": record["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:xin-channel-replies",
                "awsRegion": "eu-west-1",
            }
        ]
    }
    result = load_handler("channel_worker").handler(event, LambdaContext())
    assert result == {"batchItemFailures": []}
    [reply] = receiver.calls("/telegram/bot")
    assert reply.json()["chat_id"] == "1111111"
    assert "[1]" in reply.json()["text"]
