"""Lambda entry point for the Teams webhook (``/webhooks/teams``, API Gateway HTTP API v2 or
REST v1). Verifies, de-duplicates and enqueues to SQS; the channel_worker function replies."""

from __future__ import annotations

from typing import Any

from xin.lambda_app import lambda_handler_for

_handle = lambda_handler_for(("webhook_teams",), function="webhook-teams")


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return _handle(event, context)
