"""API Gateway (REST v1 / HTTP API v2) events served without FastAPI, for tiny routes.

Importing FastAPI costs ~0.4 s of cold start; ``GET /health`` does not need it. This module
answers such routes with the very responses the FastAPI app gives: same body, same error
envelope (``{"error": {"code", "message", "request_id"}}``), same request id and security
headers. Any other path gets the app's 404 envelope, as a function mounting only its own
routes does.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

import xin
from xin.errors import XinError
from xin.observability.logging import get_logger

JsonBody = dict[str, Any]

# The headers xin.api.middleware adds, restated so this path imports no web framework;
# tests/integration/serverless/test_http_functions.py holds both paths' responses equal.
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
_BASE_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "strict-transport-security": "max-age=63072000; includeSubDomains",
}


@dataclass(frozen=True, slots=True)
class LightRequest:
    method: str
    path: str
    headers: Mapping[str, str]
    request_id: str
    version: str  # "1.0" (REST) or "2.0" (HTTP API)


Route = Callable[[LightRequest], tuple[int, JsonBody]]


def parse_event(event: Mapping[str, Any]) -> LightRequest:
    headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}
    if event.get("version") == "2.0":
        http = (event.get("requestContext") or {}).get("http") or {}
        method, path, version = http.get("method", ""), event.get("rawPath", "/"), "2.0"
    else:
        method, path, version = event.get("httpMethod", ""), event.get("path", "/"), "1.0"
    candidate = headers.get("x-request-id", "")
    request_id = candidate if _SAFE_REQUEST_ID.match(candidate) else uuid.uuid4().hex
    return LightRequest(str(method).upper(), str(path), headers, request_id, version)


def response(
    request: LightRequest,
    status: int,
    body: JsonBody,
    *,
    cors_origins: Collection[str] = (),
    extra_headers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The Lambda proxy response Mangum would build for the same FastAPI response."""
    text = json.dumps(body, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    headers = {
        "content-length": str(len(text.encode())),
        "content-type": "application/json",
        **_cors_headers(request, cors_origins),
        **(extra_headers or {}),
        "x-request-id": request.request_id,
        **_BASE_HEADERS,
        "content-security-policy": _API_CSP,  # light routes are API routes, never pages
    }
    result: dict[str, Any] = {"statusCode": status, "headers": headers}
    if request.version == "1.0":
        result["multiValueHeaders"] = {}
    result.update({"body": text, "isBase64Encoded": False})
    return result


def error_body(code: str, message: str, request: LightRequest) -> JsonBody:
    return {"error": {"code": code, "message": message, "request_id": request.request_id}}


def _cors_headers(request: LightRequest, origins: Collection[str]) -> dict[str, str]:
    if not origins:
        return {}
    headers = {"vary": "Origin"}
    origin = request.headers.get("origin")
    if origin and ("*" in origins or origin in origins):
        headers["access-control-allow-origin"] = "*" if "*" in origins else origin
        headers["access-control-expose-headers"] = "x-request-id"
    return headers


class LightApp:
    """A handful of ``(method, path)`` routes served straight from API Gateway events."""

    def __init__(
        self, routes: Mapping[tuple[str, str], Route], *, cors_origins: Collection[str] = ()
    ) -> None:
        self._routes = dict(routes)
        self._cors = tuple(cors_origins)

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        request = parse_event(event)
        started = time.perf_counter()
        route = self._routes.get((request.method, request.path))
        allowed = sorted(m for m, p in self._routes if p == request.path)
        headers: dict[str, str] = {}
        if route is not None:
            status, body = route(request)
        elif allowed:
            status, body = 405, error_body("method_not_allowed", "Method Not Allowed", request)
            headers["allow"] = ", ".join(allowed)
        else:
            status, body = 404, error_body("not_found", "No such route.", request)
        get_logger().info(
            "request",
            extra={
                "request_id": request.request_id,
                "method": request.method,
                "route": request.path if route or allowed else "unmatched",
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            },
        )
        return response(
            request, status, body, cors_origins=self._cors, extra_headers=headers or None
        )


def health_route(store_ping: Callable[[], None]) -> Route:
    """``GET /health``: liveness plus readiness of the store, as ``xin.api.routes.health``."""

    def health(request: LightRequest) -> tuple[int, JsonBody]:
        checks = {"store": "ok"}
        try:
            store_ping()
        except XinError as exc:
            checks["store"] = exc.code
        healthy = all(v == "ok" for v in checks.values())
        body = {
            "status": "ok" if healthy else "degraded",
            "checks": checks,
            "version": xin.__version__,
        }
        return (200 if healthy else 503), body

    return health
