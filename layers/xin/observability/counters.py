"""Business metrics that any code can record, wherever it runs.

Code calls :func:`record_metric` (or a named helper such as :func:`record_guard_block`);
every registered sink receives it: the HTTP app's Prometheus registry
(``HttpMetrics``) on a server, the invocation's CloudWatch EMF metrics in Lambda. With no
sink registered a call costs a list lookup. App sinks are held weakly, so a discarded app
stops receiving metrics without unregistering; the Lambda EMF sink lives with the process.
"""

from __future__ import annotations

import threading
import weakref
from typing import Literal, Protocol

from xin.observability.logging import get_logger

Unit = Literal["Count", "Milliseconds", "Bytes"]

# The metric names Xin emits (CloudWatch names; Prometheus sinks map them to their own).
REQUESTS = "Requests"
ERRORS = "Errors"
CLIENT_ERRORS = "ClientErrors"
LATENCY = "Latency"
DOCUMENTS_INDEXED = "DocumentsIndexed"
DOCUMENTS_UNCHANGED = "DocumentsUnchanged"
DOCUMENTS_FAILED = "DocumentsFailed"
DOCUMENTS_REMOVED = "DocumentsRemoved"
DOCUMENTS_SKIPPED = "DocumentsSkipped"
INGEST_MESSAGES = "IngestMessages"
INGEST_RETRIES = "IngestRetries"
CHUNKS_INDEXED = "ChunksIndexed"
GUARD_BLOCKS = "GuardBlocks"


class MetricSink(Protocol):
    def add_metric(self, name: str, value: float, unit: Unit, labels: dict[str, str]) -> None: ...


_weak_sinks: weakref.WeakSet[MetricSink] = weakref.WeakSet()
_sinks: list[MetricSink] = []
_lock = threading.Lock()


def add_sink(sink: MetricSink, *, weak: bool = True) -> None:
    """Register ``sink``; a weak one (an app's registry) goes away with its owner."""
    with _lock:
        if weak:
            _weak_sinks.add(sink)
        elif sink not in _sinks:
            _sinks.append(sink)


def remove_sink(sink: MetricSink) -> None:
    with _lock:
        _weak_sinks.discard(sink)
        if sink in _sinks:
            _sinks.remove(sink)


def record_metric(
    name: str, value: float = 1.0, unit: Unit = "Count", labels: dict[str, str] | None = None
) -> None:
    """Send one data point to every sink. A failing sink is logged, never raised."""
    with _lock:
        sinks = [*_sinks, *_weak_sinks]
    for sink in sinks:
        try:
            sink.add_metric(name, value, unit, labels or {})
        except Exception:  # metrics must never break the request that records them
            get_logger().exception("metric sink failed", extra={"metric": name})


def record_guard_block(category: str = "other") -> None:
    """A guardrail blocked a message (prompt injection, PII, topic...). ``category`` says which."""
    record_metric(GUARD_BLOCKS, 1, "Count", {"category": category or "other"})


def record_request(route: str, status: int, seconds: float) -> None:
    """One HTTP request served (used where no ASGI middleware sees it, e.g. light handlers)."""
    labels = {"route": route, "status": str(status)}
    record_metric(REQUESTS, 1, "Count", labels)
    if status >= 500:
        record_metric(ERRORS, 1, "Count", labels)
    elif status >= 400:
        record_metric(CLIENT_ERRORS, 1, "Count", labels)
    record_metric(LATENCY, seconds * 1000.0, "Milliseconds", labels)
