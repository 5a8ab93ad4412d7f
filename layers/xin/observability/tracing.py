"""Tracing: AWS X-Ray through the Powertools ``Tracer`` in Lambda, OpenTelemetry with an OTLP
(HTTP) exporter elsewhere when ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set, otherwise off.

:func:`init_tracing` runs once per process and logs exactly one start-up line:
``tracing initialised`` (with ``backend`` = ``xray`` or ``otlp``) or
``tracing disabled; no OTLP endpoint configured``. Spans are exported from a background
thread, so an endpoint that is down or missing never fails or slows a request.
Neither SDK is imported unless it is about to be used (``aws_xray_sdk`` alone costs
~0.4 s of cold start).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.util import find_spec
from typing import Any, Literal

from xin.observability.logging import SERVICE_NAME, get_logger

Backend = Literal["xray", "otlp", "none"]
INITIALISED = "tracing initialised"
DISABLED = "tracing disabled; no OTLP endpoint configured"
_ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")
_FALSY = {"", "0", "false", "no", "off"}


@dataclass(frozen=True, slots=True)
class Tracing:
    backend: Backend
    xray: Any = None  # aws_lambda_powertools.Tracer
    provider: Any = None  # opentelemetry.sdk.trace.TracerProvider

    @property
    def enabled(self) -> bool:
        return self.backend != "none"


class _Process:
    """The process-wide tracing state (set once, by the first ``init_tracing``)."""

    tracing: Tracing | None = None
    lock = threading.Lock()


def in_lambda(environ: Mapping[str, str] = os.environ) -> bool:
    return bool(environ.get("AWS_LAMBDA_FUNCTION_NAME") and environ.get("LAMBDA_TASK_ROOT"))


def xray_wanted(environ: Mapping[str, str] = os.environ) -> bool:
    """Powertools' own rule: in Lambda (not SAM local) unless POWERTOOLS_TRACE_DISABLED."""
    disabled = environ.get("POWERTOOLS_TRACE_DISABLED", "false").strip().lower() not in _FALSY
    return in_lambda(environ) and not disabled and not environ.get("AWS_SAM_LOCAL")


def otlp_endpoint(environ: Mapping[str, str] = os.environ) -> str | None:
    for name in _ENDPOINT_VARIABLES:
        value = environ.get(name, "").strip()
        if value:
            return value
    return None


def init_tracing(service: str = SERVICE_NAME, environ: Mapping[str, str] = os.environ) -> Tracing:
    """Choose and start the tracing backend once per process; later calls return it."""
    with _Process.lock:
        if _Process.tracing is None:
            _Process.tracing = _start(service, environ)
        return _Process.tracing


def current_tracing() -> Tracing | None:
    return _Process.tracing


def reset_tracing() -> None:
    """Forget the backend and flush its spans (tests; a new process starts afresh)."""
    with _Process.lock:
        tracing, _Process.tracing = _Process.tracing, None
    if tracing is not None and tracing.provider is not None:
        tracing.provider.shutdown()


def _start(service: str, environ: Mapping[str, str]) -> Tracing:
    logger = get_logger()
    if xray_wanted(environ) and find_spec("aws_xray_sdk") is not None:
        from aws_lambda_powertools import Tracer

        logger.info(INITIALISED, extra={"backend": "xray", "service": service})
        return Tracing("xray", xray=Tracer(service=service))
    endpoint = otlp_endpoint(environ)
    if endpoint is None:
        logger.info(DISABLED, extra={"backend": "none"})
        return Tracing("none")
    try:
        provider = _otlp_provider(service, environ)
    except ImportError as exc:
        logger.warning(
            "tracing disabled; OTLP endpoint set but OpenTelemetry SDK missing",
            extra={"backend": "none", "missing": exc.name, "hint": "pip install 'xin[otel]'"},
        )
        return Tracing("none")
    logger.info(INITIALISED, extra={"backend": "otlp", "endpoint": endpoint, "service": service})
    return Tracing("otlp", provider=provider)


def _otlp_provider(service: str, environ: Mapping[str, str]) -> Any:
    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    name = environ.get("OTEL_SERVICE_NAME") or service
    provider = TracerProvider(resource=Resource.create({"service.name": name}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    if type(trace.get_tracer_provider()).__name__ == "ProxyTracerProvider":
        trace.set_tracer_provider(provider)  # the global one can be set once per process
    return provider


def instrument_app(app: Any) -> None:
    """Trace a FastAPI app's requests when the OTLP backend is active (no-op otherwise)."""
    tracing = init_tracing()
    if tracing.backend != "otlp":
        return
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    FastAPIInstrumentor.instrument_app(
        app, tracer_provider=tracing.provider, excluded_urls="health,metrics,static"
    )
