"""Builds a Lambda handler for a subset of routes: Mangum over the app factory, or — for
routes that need no FastAPI (``health``) — the light responder in ``xin.lambda_http``.

Nothing is built at import time: settings are read and the app is created on the first
invocation, then reused by the warm container. Every handler is wrapped with Powertools
(``xin.observability.lambda_runtime``): JSON logs with the API Gateway request id as
correlation id, EMF metrics flushed per invocation, X-Ray tracing when enabled.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
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
            handler = _build(groups, function or "-".join(groups))
        result: dict[str, Any] = handler(event, context)
        return result

    return handle


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
