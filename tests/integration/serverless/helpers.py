"""Helpers for the serverless tests: a fake Lambda context, fresh handler imports, SQS events
built from real queue messages, and API Gateway events built from the stored samples."""

from __future__ import annotations

import importlib.util
import json
from types import ModuleType
from typing import Any
from urllib.parse import quote

from tests.conftest import REPO_ROOT, load_event

REGION = "eu-west-1"


class LambdaContext:
    """The attributes Powertools reads from the real ``LambdaContext``."""

    def __init__(self, function_name: str = "xin-ingest", remaining_ms: int = 60_000) -> None:
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = f"arn:aws:lambda:{REGION}:123456789012:function:{function_name}"
        self.memory_limit_in_mb = 1024
        self.aws_request_id = "6f1d3c6e-2f3b-4c3e-9d27-8a8f7d9b2f10"
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "2026/11/22/[$LATEST]0123456789abcdef"
        self._remaining_ms = remaining_ms
        self.client_context: Any = None
        self.identity: Any = None

    def get_remaining_time_in_millis(self) -> int:
        return self._remaining_ms


def load_handler(function: str) -> ModuleType:
    """A fresh import of functions/<function>/handler.py: a cold start."""
    path = REPO_ROOT / "functions" / function / "handler.py"
    spec = importlib.util.spec_from_file_location(f"serverless_handler_{function}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sqs_event(messages: list[dict[str, Any]], queue_arn: str) -> dict[str, Any]:
    """The event Lambda's SQS poller delivers for messages from ``receive_message``."""
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": {
                    "ApproximateReceiveCount": "1",
                    "SentTimestamp": "1795314671000",
                    "SenderId": "AIDAIENQZJOLO23YVJ4VO",
                    "ApproximateFirstReceiveTimestamp": "1795314671001",
                },
                "messageAttributes": {},
                "md5OfBody": m["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": REGION,
            }
            for m in messages
        ]
    }


def drain(sqs: Any, queue_url: str) -> list[dict[str, Any]]:
    """Receive and delete every message now in the queue, oldest first."""
    messages: list[dict[str, Any]] = []
    while batch := sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get(
        "Messages", []
    ):
        messages.extend(batch)
        for message in batch:
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return messages


def chat_event(message: str, tenant: str | None = None) -> dict[str, Any]:
    event = load_event("apigw_v2_chat.json")
    body: dict[str, Any] = {"message": message}
    if tenant:
        body["tenant"] = tenant
    event["body"] = json.dumps(body)
    event["headers"]["content-length"] = str(len(event["body"].encode()))
    return event


def status_event(document_id: str) -> dict[str, Any]:
    event = load_event("apigw_v2_ingest_status.json")
    event["rawPath"] = f"/ingest/{quote(document_id)}"
    event["requestContext"]["http"]["path"] = f"/ingest/{document_id}"
    event["pathParameters"] = {"document_id": document_id}
    return event


def http_body(response: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    return int(response["statusCode"]), json.loads(response["body"])
