"""The ingest function: S3 ObjectCreated/ObjectRemoved notifications delivered through SQS.

Powertools batch processing with partial batch failures: each SQS message is processed on
its own; a message whose document failed (or must be retried) is returned in
``batchItemFailures`` and only it goes back to the queue — after ``maxReceiveCount``
receives, to the dead-letter queue, while the status table keeps the reason. The queue's
event source mapping must enable ``ReportBatchItemFailures``.

Nothing is built at import time; settings, the container and the Powertools processor are
created on the first invocation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from xin.lambda_app import LambdaHandler
from xin.lambda_snapstart import prepare, warm_guard_lexicons, warm_language_profiles
from xin.observability import counters
from xin.services.ingest_events import EventResult, Outcome

_METRIC_FOR = {
    Outcome.INDEXED: counters.DOCUMENTS_INDEXED,
    Outcome.UNCHANGED: counters.DOCUMENTS_UNCHANGED,
    Outcome.DELETED: counters.DOCUMENTS_REMOVED,
    Outcome.FAILED: counters.DOCUMENTS_FAILED,
    Outcome.DUPLICATE: counters.DOCUMENTS_SKIPPED,
    Outcome.STALE: counters.DOCUMENTS_SKIPPED,
    Outcome.RETRY: counters.INGEST_RETRIES,
    Outcome.IN_PROGRESS: counters.INGEST_RETRIES,
}
_LEASE_MARGIN_S = 10.0
_MODULES = (
    "aws_lambda_powertools.utilities.batch",
    "boto3",
    "xin.config",
    "xin.deps",
    "xin.observability.lambda_runtime",
    "xin.adapters.s3_source",
    "xin.adapters.status.dynamodb",
)


class MessageNotProcessed(Exception):  # tells Powertools the item failed
    """Raised for a message with a failed or retryable document: it becomes a batch failure."""


def sqs_ingest_handler(function: str = "ingest") -> LambdaHandler:
    handler: LambdaHandler | None = None
    # SnapStart only: imports and in-memory warm-up; never settings, clients or connections
    prepare(_MODULES, warm=[warm_language_profiles, warm_guard_lexicons])

    def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
        nonlocal handler
        if handler is None:
            handler = _build(function)
        result: dict[str, Any] = handler(event, context)
        return result

    return handle


def record_metrics(results: list[EventResult]) -> None:
    for result in results:
        counters.record_metric(_METRIC_FOR[result.outcome])
        if result.outcome is Outcome.INDEXED:
            counters.record_metric(counters.CHUNKS_INDEXED, result.chunks)


def _build(function: str) -> LambdaHandler:
    from aws_lambda_powertools.utilities.batch import (
        BatchProcessor,
        EventType,
        process_partial_response,
    )

    from xin.config import load_settings
    from xin.deps import Container
    from xin.errors import XinError
    from xin.observability.lambda_runtime import instrument, start
    from xin.observability.logging import configure_logging, get_logger

    runtime = start(function)
    settings = load_settings()
    configure_logging(settings.log_level)
    container = Container(settings)
    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
    logger = get_logger()

    def serve(event: dict[str, Any], context: Any) -> dict[str, Any]:
        lease = _lease(context, settings.ingest.lease_seconds)

        def record_handler(record: Any) -> None:
            logger.set_correlation_id(record.message_id)
            counters.record_metric(counters.INGEST_MESSAGES)
            try:
                results = container.object_ingest.handle_message(record.body, lease_seconds=lease())
            except XinError as exc:  # not an S3 notification, or the status table is down
                logger.warning(
                    "ingest message failed", extra={"code": exc.code, "reason": exc.message}
                )
                raise
            record_metrics(results)
            failed = [r for r in results if not r.succeeded]
            if failed:
                raise MessageNotProcessed(
                    "; ".join(f"{r.document_id}: {r.outcome.value} ({r.reason})" for r in failed)
                )

        response = process_partial_response(
            event=event, record_handler=record_handler, processor=processor, context=context
        )
        logger.set_correlation_id(None)
        return dict(response)

    return instrument(runtime, serve)


def _lease(context: Any, configured: float) -> Callable[[], float]:
    """How long a claim may last: until this invocation times out (plus a margin)."""
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    if not callable(remaining):
        return lambda: configured
    return lambda: min(configured, remaining() / 1000.0 + _LEASE_MARGIN_S)
