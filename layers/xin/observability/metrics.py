"""Prometheus metrics for the HTTP service. One registry per app: no global state.

``HttpMetrics`` is also a sink for the business metrics of ``xin.observability.counters``
(documents, chunks, guard blocks); HTTP request metrics come from the middleware.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from xin.observability import counters

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_DOCUMENT_OUTCOMES = {
    counters.DOCUMENTS_INDEXED: "indexed",
    counters.DOCUMENTS_UNCHANGED: "unchanged",
    counters.DOCUMENTS_FAILED: "failed",
    counters.DOCUMENTS_REMOVED: "removed",
    counters.DOCUMENTS_SKIPPED: "skipped",
    counters.INGEST_RETRIES: "retry",
}


@dataclass(eq=False)  # compared and hashed by identity: it is a registered metric sink
class HttpMetrics:
    registry: Any = field(default=None)  # a prometheus_client.CollectorRegistry

    def __post_init__(self) -> None:
        from prometheus_client import CollectorRegistry, Counter, Histogram

        if self.registry is None:
            self.registry = CollectorRegistry()
        self.requests = Counter(
            "xin_requests",
            "HTTP requests served, by route template, method and status.",
            ("route", "method", "status"),
            registry=self.registry,
        )
        self.errors = Counter(
            "xin_errors",
            "HTTP responses with a 4xx or 5xx status, by route template and error code.",
            ("route", "code"),
            registry=self.registry,
        )
        self.latency = Histogram(
            "xin_request_duration_seconds",
            "HTTP request latency in seconds, by route template.",
            ("route",),
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.documents = Counter(
            "xin_documents",
            "Documents processed by event-driven ingestion, by outcome.",
            ("outcome",),
            registry=self.registry,
        )
        self.chunks = Counter(
            "xin_chunks_indexed", "Chunks written to the index.", registry=self.registry
        )
        self.rate_limited = Counter(
            "xin_rate_limited",
            "Requests refused by a rate limit or quota, by route template and limit scope.",
            ("route", "scope"),
            registry=self.registry,
        )
        from xin.observability.window import LatencyWindow, LatencyWindowCollector

        self.window = LatencyWindow()
        self.registry.register(LatencyWindowCollector(self.window))
        self.guard_blocks = Counter(
            "xin_guard_blocks",
            "Messages blocked by a guardrail, by category.",
            ("category",),
            registry=self.registry,
        )

        self.channel_events = Counter(
            "xin_channel_events",
            "Channel webhook events (xin.channels): rejected, duplicate, accepted, replies sent "
            "and failed, by channel, event and reason.",
            ("channel", "event", "reason"),
            registry=self.registry,
        )

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        self.requests.labels(route, method, str(status)).inc()
        self.latency.labels(route).observe(seconds)
        self.window.add(route, seconds)

    def error(self, route: str, code: str) -> None:
        self.errors.labels(route, code).inc()

    def rate_limit_rejected(self, route: str, scope: str) -> None:
        """A request refused with 429 by the ``scope`` limit (ip, key, tenant, daily_quota)."""
        self.rate_limited.labels(route, scope).inc()

    def add_metric(
        self, name: str, value: float, unit: counters.Unit, labels: dict[str, str]
    ) -> None:
        """Sink for ``xin.observability.counters`` (request metrics are the middleware's)."""
        if name in _DOCUMENT_OUTCOMES:
            self.documents.labels(_DOCUMENT_OUTCOMES[name]).inc(value)
        elif name == counters.CHUNKS_INDEXED:
            self.chunks.inc(value)
        elif name == counters.GUARD_BLOCKS:
            self.guard_blocks.labels(labels.get("category", "other")).inc(value)
        elif name.startswith("Channel"):  # xin.channels.common metric names
            channel, reason = labels.get("channel", "-"), labels.get("reason", "")
            self.channel_events.labels(channel, name, reason).inc(value)

    def render(self) -> bytes:
        from prometheus_client import generate_latest

        return generate_latest(self.registry)


class UnpublishedHttpMetrics(HttpMetrics):
    """For an app that serves no ``/metrics`` route (a Lambda function, whose metrics leave
    as CloudWatch EMF): nothing could read a Prometheus registry, so none is built and
    ``prometheus_client`` is never imported (~50 ms of a cold start)."""

    def __post_init__(self) -> None:
        return

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        return

    def error(self, route: str, code: str) -> None:
        return

    def rate_limit_rejected(self, route: str, scope: str) -> None:
        return

    def add_metric(
        self, name: str, value: float, unit: counters.Unit, labels: dict[str, str]
    ) -> None:
        return

    def render(self) -> bytes:
        raise RuntimeError("this app serves no /metrics route")
