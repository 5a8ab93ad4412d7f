"""Lambda entry point for S3 ObjectCreated/ObjectRemoved notifications delivered by SQS.

Returns ``{"batchItemFailures": [...]}``: enable ``ReportBatchItemFailures`` on the event
source mapping so that only failed messages are retried (then dead-lettered).
"""

from __future__ import annotations

from typing import Any

from xin.lambda_ingest import sqs_ingest_handler

_handle = sqs_ingest_handler("ingest")


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return _handle(event, context)
