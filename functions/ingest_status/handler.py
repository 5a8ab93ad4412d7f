"""Lambda entry point for GET /ingest/{document_id} (API Gateway HTTP API v2 or REST v1)."""

from __future__ import annotations

from typing import Any

from xin.lambda_app import lambda_handler_for

_handle = lambda_handler_for(("ingest_status",), function="ingest-status")


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return _handle(event, context)
