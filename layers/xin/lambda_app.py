"""Builds a Lambda handler for a subset of routes: Mangum over the app factory, or — for
routes that need no FastAPI (``health``) — the light responder in ``xin.lambda_http``.

Nothing is built at import time: settings are read and the app is created on the first
invocation, then reused by the warm container. Every handler is wrapped with Powertools
(``xin.observability.lambda_runtime``): JSON logs with the API Gateway request id as
correlation id, EMF metrics flushed per invocation, X-Ray tracing when enabled.

The first invocation runs under :func:`cold_start_gc` (no cyclic garbage collection while
the app is built and its first event served; see ADR 0019, "Chat function, third pass").
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from typing import Any

LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any]]
LIGHT_ROUTE_GROUPS = frozenset({"health"})


def lambda_handler_for(routes: Collection[str], *, function: str | None = None) -> LambdaHandler:
    groups = tuple(routes)
    handler: LambdaHandler | None = None
    _prepare_snapstart(groups)

    def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
        nonlocal handler
        if handler is None:
            with cold_start_gc():
                handler = _build(groups, function or "-".join(groups))
                first: dict[str, Any] = handler(event, context)
            return first
        result: dict[str, Any] = handler(event, context)
        return result

    return handle


@contextmanager
def cold_start_gc() -> Iterator[None]:
    """No automatic cyclic garbage collection during a cold start (building the app and
    serving the first event); then every tracked object — in practice what the cold start
    built — moves, unscanned, to the oldest generation.

    A cold start allocates ~100k long-lived objects (modules, classes, pydantic schemas,
    compiled regexes) and almost no cyclic garbage (~1k objects); the collector would scan
    them over and over as they are promoted (chat: ~250 collections, 65-75 ms).
    Reference counting still frees everything as usual, and a later full collection still
    sees every object: ``gc.freeze()`` followed by ``gc.unfreeze()`` only files them under
    the oldest generation. Nothing is done when the collector is already off or something
    else has frozen objects (their freeze is theirs to undo).
    """
    if not gc.isenabled() or gc.get_freeze_count():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        gc.enable()


def _prepare_snapstart(routes: tuple[str, ...]) -> None:
    """Under SnapStart, import (never build) what this function uses during init."""
    from xin.lambda_snapstart import prepare, warm_guard_lexicons, warm_language_profiles

    modules = ["xin.config", "xin.deps", "xin.observability.lambda_runtime"]
    if set(routes) <= LIGHT_ROUTE_GROUPS:
        modules += ["xin.lambda_health", "xin.lambda_http"]
    else:
        modules += ["mangum", "xin.api.app", *(f"xin.api.routes.{group}" for group in routes)]
    prepare(modules, warm=[warm_language_profiles, warm_guard_lexicons] if "chat" in routes else [])


def _build(routes: tuple[str, ...], function: str) -> LambdaHandler:
    from xin.observability.lambda_runtime import instrument_http, start

    runtime = start(function)
    serve: LambdaHandler
    if set(routes) <= LIGHT_ROUTE_GROUPS:
        serve = _light_app()
    else:
        from mangum import Mangum

        from xin.api.app import create_app

        serve = Mangum(create_app(routes=routes), lifespan="off")
    return instrument_http(runtime, serve)


def _light_app() -> LambdaHandler:
    from xin.lambda_health import health_config, sqlite_ping
    from xin.lambda_http import LightApp, health_route
    from xin.observability.logging import configure_logging, install_log_redaction

    config = health_config()  # SQLite store: the few settings /health reads, no pydantic
    if config is not None:
        configure_logging(config.log_level)
        install_log_redaction(config.log_redaction)
        return LightApp(
            {("GET", "/health"): health_route(sqlite_ping(config.sqlite_path))},
            cors_origins=config.cors_origins,
        )
    from xin.config import load_settings
    from xin.deps import Container

    settings = load_settings()
    configure_logging(settings.log_level)
    container = Container(settings)
    return LightApp(
        {("GET", "/health"): health_route(container.store.ping)},
        cors_origins=settings.api.cors_origins,
    )
