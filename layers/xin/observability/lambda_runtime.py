"""Powertools around every Lambda handler: built once per execution environment (cold start).

* logs: JSON with the Lambda context (function, request id, cold start) and the API Gateway
  request id as correlation id (``inject_lambda_context``);
* metrics: CloudWatch EMF, flushed at the end of every invocation (``log_metrics``), with the
  ``ColdStart`` metric; anything recorded through ``xin.observability.counters`` lands here;
* tracing: X-Ray through the Powertools ``Tracer`` when enabled (only then is
  ``aws_xray_sdk`` imported), else OTLP or nothing — one start-up log line either way.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from xin.observability.counters import add_sink, record_request
from xin.observability.emf import EmfSink, lambda_metrics
from xin.observability.logging import get_logger
from xin.observability.tracing import Tracing, init_tracing

Handler = Callable[[dict[str, Any], Any], Any]
API_GATEWAY_CORRELATION_PATH = "requestContext.requestId"  # REST (v1) and HTTP API (v2)


@dataclass(frozen=True, slots=True)
class LambdaRuntime:
    service: str
    tracing: Tracing
    metrics: Any  # aws_lambda_powertools.Metrics


_emf_sinks: list[EmfSink] = []


def start(function: str) -> LambdaRuntime:
    """Cold-start set-up for one function: tracing (logs its start-up line) and EMF metrics."""
    service = os.environ.get("POWERTOOLS_SERVICE_NAME") or f"xin-{function}"
    tracing = init_tracing(service)
    metrics = lambda_metrics(service)
    if not _emf_sinks:  # Powertools shares one metric set per process: one sink feeds it
        _emf_sinks.append(EmfSink(metrics))
        add_sink(_emf_sinks[0], weak=False)
    return LambdaRuntime(service, tracing, metrics)


def instrument(
    runtime: LambdaRuntime, handler: Handler, *, correlation_id_path: str | None = None
) -> Handler:
    """``handler`` wrapped with logger context, per-invocation metrics and (X-Ray) tracing."""
    wrapped: Handler = runtime.metrics.log_metrics(handler, capture_cold_start_metric=True)
    if runtime.tracing.xray is not None:
        wrapped = runtime.tracing.xray.capture_lambda_handler(wrapped)
    logged: Handler = get_logger().inject_lambda_context(
        wrapped, correlation_id_path=correlation_id_path, clear_state=True
    )
    return logged


def instrument_http(runtime: LambdaRuntime, serve: Handler) -> Handler:
    """An API Gateway handler: request count, errors and latency as metrics, request id as
    the correlation id of every log line."""

    def timed(event: dict[str, Any], context: Any) -> Any:
        started = time.perf_counter()
        response = serve(event, context)
        status = int(response.get("statusCode", 500)) if isinstance(response, dict) else 500
        record_request(route_of(event), status, time.perf_counter() - started)
        return response

    return instrument(runtime, timed, correlation_id_path=API_GATEWAY_CORRELATION_PATH)


def route_of(event: dict[str, Any]) -> str:
    """``"POST /chat"``: the HTTP API route key, or the REST API method and resource."""
    route_key = event.get("routeKey")
    if isinstance(route_key, str) and route_key:
        return route_key
    return f"{event.get('httpMethod', '')} {event.get('resource') or event.get('path', '')}".strip()
