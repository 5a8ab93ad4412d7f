"""Lambda entry point for the channel worker: SQS records holding verified channel messages.

Answers each one and replies through its platform. Returns ``{"batchItemFailures": [...]}``:
enable ``ReportBatchItemFailures`` on the event source mapping so only failed replies are
retried (then dead-lettered).
"""

from __future__ import annotations

from typing import Any

from xin.services.channel_worker import sqs_channel_handler

_handle = sqs_channel_handler("channel-worker")


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return _handle(event, context)
