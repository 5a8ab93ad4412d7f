"""Prometheus metrics for the HTTP service. One registry per app: no global state."""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


@dataclass
class HttpMetrics:
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
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

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        self.requests.labels(route, method, str(status)).inc()
        self.latency.labels(route).observe(seconds)

    def error(self, route: str, code: str) -> None:
        self.errors.labels(route, code).inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)
