"""Observability: JSON logs, metrics (Prometheus on servers, CloudWatch EMF in Lambda) and
tracing (X-Ray in Lambda, OpenTelemetry/OTLP elsewhere). Nothing heavy is imported until used.

Any code can record a business metric with :func:`record_guard_block` or
:func:`record_metric`; it reaches every active sink (the app's Prometheus registry, the
Lambda invocation's EMF metrics).
"""

from typing import Any

from xin.observability.counters import record_guard_block, record_metric

__all__ = ["observe_app", "record_guard_block", "record_metric"]


def observe_app(app: Any) -> None:
    """Wire a FastAPI app: its ``HttpMetrics`` receive business metrics, and its requests are
    traced when the OTLP backend is on. Starts tracing (one start-up log line per process)."""
    from xin.observability.counters import add_sink
    from xin.observability.tracing import instrument_app

    add_sink(app.state.metrics)
    instrument_app(app)
