"""Acceptance: documents dropped into S3 become searchable through the chat function.

S3 notifications reach the SQS queue in-process (moto); the ingest function runs on the
queue's real messages; the chat and ingest-status functions run on API Gateway events.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.integration.serverless.conftest import BUCKET, Aws
from tests.integration.serverless.helpers import (
    LambdaContext,
    chat_event,
    drain,
    http_body,
    load_handler,
    sqs_event,
    status_event,
)
from xin.config import load_settings
from xin.deps import Container

HOLIDAYS_KEY = "tenants/acme/handbook/paid holidays.md"
LAUNCH_KEY = "guides/orion launch.txt"
BROKEN_KEY = "tenants/acme/contracts/broken.pdf"
HOLIDAYS = (
    "# Paid holidays\n\n"
    "Every Acme employee receives twenty-eight days of paid holiday per calendar year. "
    "Unused holiday days can be carried over until the end of March.\n"
)
LAUNCH = (
    "Orion launch notes\n\n"
    "The Orion launch window opens on Tuesday at 09:00 UTC and closes on Friday. "
    "The countdown rehearsal takes place on Monday afternoon.\n"
)


def ingest(aws: Aws, messages: list[dict[str, Any]]) -> dict[str, Any]:
    handler = load_handler("ingest").handler
    response: dict[str, Any] = handler(sqs_event(messages, aws.queue_arn), LambdaContext())
    return response


def failures(response: dict[str, Any]) -> list[str]:
    return [item["itemIdentifier"] for item in response["batchItemFailures"]]


def message_for(messages: list[dict[str, Any]], fragment: str) -> str:
    return next(str(m["MessageId"]) for m in messages if fragment in m["Body"])


def snapshot(container: Container) -> list[tuple[Any, ...]]:
    statuses = [
        (r.tenant, r.document_id, r.state, r.reason, r.chunk_count, r.updated_at)
        for r in container.ingest_status.list()
    ]
    documents = [
        (d.tenant, d.document_id, d.chunk_count, d.indexed_at)
        for tenant in ("acme", "default")
        for d in container.store.list_documents(tenant)
    ]
    return statuses + documents


def ask(message: str, tenant: str | None = None) -> dict[str, Any]:
    status, body = http_body(
        load_handler("chat").handler(chat_event(message, tenant), LambdaContext("xin-chat"))
    )
    assert status == 200, body
    return body


def emf_metrics(stdout: str) -> dict[str, list[float]]:
    """Every metric value flushed as CloudWatch EMF, by name."""
    values: dict[str, list[float]] = {}
    for line in stdout.splitlines():
        if line.startswith('{"_aws"'):
            blob = json.loads(line)
            for metric in blob["_aws"]["CloudWatchMetrics"][0]["Metrics"]:
                values.setdefault(metric["Name"], []).extend(blob[metric["Name"]])
    return values


def test_s3_drop_ingestion_end_to_end(aws: Aws, capsys: pytest.CaptureFixture[str]) -> None:
    aws.s3.put_object(Bucket=BUCKET, Key=HOLIDAYS_KEY, Body=HOLIDAYS.encode())
    aws.s3.put_object(Bucket=BUCKET, Key=LAUNCH_KEY, Body=LAUNCH.encode())
    aws.s3.put_object(Bucket=BUCKET, Key=BROKEN_KEY, Body=b"%PDF-1.7\n%not really a pdf")
    messages = drain(aws.sqs, aws.queue_url)
    assert '"s3:TestEvent"' in messages[0]["Body"]  # S3 checks the queue first
    assert len(messages) == 4

    response = ingest(aws, messages)

    broken_message = message_for(messages, "broken.pdf")
    assert failures(response) == [broken_message]
    metrics = emf_metrics(capsys.readouterr().out)
    assert metrics["DocumentsIndexed"] == [1.0, 1.0] and metrics["DocumentsFailed"] == [1.0]
    container = Container(load_settings())
    broken = container.ingest_status.get("acme", BROKEN_KEY)
    assert broken is not None and broken.state == "failed"
    assert broken.code == "document_parse_error" and "PDF" in broken.reason
    holidays = container.ingest_status.get("acme", HOLIDAYS_KEY)
    assert holidays is not None and holidays.state == "indexed" and holidays.chunk_count >= 1

    status, body = http_body(
        load_handler("ingest_status").handler(status_event(BROKEN_KEY), LambdaContext())
    )
    assert status == 200
    assert body["state"] == "failed" and body["tenant"] == "acme" and body["reason"]

    holiday_answer = ask("How many days of paid holiday do Acme employees get?", "acme")
    assert holiday_answer["citations"][0]["document_id"] == HOLIDAYS_KEY
    assert "twenty-eight days" in holiday_answer["answer"]
    launch_answer = ask("When does the Orion launch window open?")
    assert launch_answer["citations"][0]["document_id"] == LAUNCH_KEY
    assert ask("When does the Orion launch window open?", "acme")["citations"] == []

    before = snapshot(container)
    again = ingest(aws, messages)  # SQS redelivers the whole batch
    assert failures(again) == [broken_message]
    assert snapshot(container) == before

    aws.s3.delete_object(Bucket=BUCKET, Key=LAUNCH_KEY)
    removal = drain(aws.sqs, aws.queue_url)
    assert failures(ingest(aws, removal)) == []
    assert container.store.get_document("default", LAUNCH_KEY) is None
    assert container.store.keyword_search("default", "Orion launch window", 5) == []
    removed = container.ingest_status.get("default", LAUNCH_KEY)
    assert removed is not None and removed.state == "deleted" and removed.chunk_count == 0
    assert ask("When does the Orion launch window open?")["citations"] == []
