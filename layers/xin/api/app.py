"""The FastAPI app factory. Lambda handlers mount only their own routes; the local and
Kubernetes server mounts them all."""

from __future__ import annotations

from collections.abc import Collection
from importlib import import_module

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

import xin
from xin.api.errors import install_error_handlers
from xin.api.middleware import RequestContextMiddleware
from xin.api.security import RATE_LIMIT_HEADERS, install_security, router_options
from xin.config import Settings, load_settings
from xin.deps import Container
from xin.observability import observe_app
from xin.observability.logging import configure_logging
from xin.observability.metrics import HttpMetrics, UnpublishedHttpMetrics

CHANNEL_ROUTE_GROUPS = (
    "webhook_telegram",
    "webhook_slack",
    "webhook_whatsapp",
    "webhook_twilio",
    "webhook_teams",
)
ROUTE_GROUPS = (
    "health",
    "chat",
    "ingest",
    "ingest_status",
    "admin",
    "metrics",
    "web",
    *CHANNEL_ROUTE_GROUPS,
)


def create_app(
    settings: Settings | None = None,
    *,
    routes: Collection[str] = ROUTE_GROUPS,
    container: Container | None = None,
) -> FastAPI:
    unknown = set(routes) - set(ROUTE_GROUPS)
    if unknown:
        raise ValueError(f"unknown route groups: {sorted(unknown)}")
    settings = settings or (container.settings if container else load_settings())
    configure_logging(settings.log_level)
    docs = settings.api.docs_enabled
    app = FastAPI(
        title="Xin",
        version=xin.__version__,
        summary="Grounded answers with citations from your documents.",
        docs_url="/docs" if docs else None,
        redoc_url=None,
        openapi_url="/openapi.json" if docs else None,
    )
    app.state.container = container or Container(settings)
    app.state.metrics = HttpMetrics() if "metrics" in routes else UnpublishedHttpMetrics()
    observe_app(app)  # business-metric sink; OTLP tracing when configured
    install_security(app, settings, app.state.container, app.state.metrics)
    for group in ROUTE_GROUPS:  # fixed order keeps the schema stable
        if group in routes:
            router = import_module(f"xin.api.routes.{group}").router
            app.include_router(router, **router_options(group, settings))
    if "web" in routes:
        from xin.api.routes.web import static_dir

        app.mount("/static", StaticFiles(directory=static_dir()), name="static")
    if settings.api.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.api.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["content-type", "x-request-id", "authorization", "x-api-key"],
            expose_headers=["x-request-id", "retry-after", *RATE_LIMIT_HEADERS],
        )
    install_error_handlers(app)
    app.add_middleware(
        RequestContextMiddleware,
        metrics=app.state.metrics,
        max_body_bytes=settings.api.max_body_bytes,
    )
    return app
