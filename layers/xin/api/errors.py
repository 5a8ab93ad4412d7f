"""One error envelope for every failure: ``{"error": {"code", "message", "request_id"}}``.

Messages are written for the caller and never carry stack traces, SQL or input echoes.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from xin.errors import EmbeddingModelMismatch, XinError
from xin.observability.logging import get_logger

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
}


class ApiError(XinError):
    """Raised by routes to answer with a specific status and code."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.http_status = status
        self.code = code


def request_id_of(request: Request) -> str:
    return str(getattr(request.state, "request_id", ""))


def route_of(request: Request) -> str:
    route = request.scope.get("route")
    return str(getattr(route, "path", "unmatched"))


def error_response(
    request: Request, status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    metrics = getattr(request.app.state, "metrics", None)
    if metrics is not None:
        metrics.error(route_of(request), code)
    body = {"error": {"code": code, "message": message, "request_id": request_id_of(request)}}
    return JSONResponse(body, status_code=status, headers=headers)


def _describe_validation(exc: RequestValidationError) -> tuple[int, str, str]:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return 400, "malformed_json", "The request body is not valid JSON."
    parts = []
    for error in errors[:5]:
        loc = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
        parts.append(f"{loc or 'body'}: {error.get('msg', 'invalid')}")
    return 422, "validation_error", "Invalid request: " + "; ".join(parts)


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    status, code, message = _describe_validation(exc)
    return error_response(request, status, code, message)


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    if exc.status_code == 404:
        message = "No such route."
    headers = dict(exc.headers) if exc.headers else None
    if exc.status_code == 405:  # every method of the path, not only the first route's
        headers = {**(headers or {}), "Allow": _allowed_methods(request)}
    return error_response(request, exc.status_code, code, message, headers)


def _allowed_methods(request: Request) -> str:
    path = request.scope.get("path", "")
    methods: set[str] = set()
    for route in request.app.router.routes:
        regex = getattr(route, "path_regex", None)
        if regex is not None and regex.match(path):
            methods.update(getattr(route, "methods", None) or ())
    return ", ".join(sorted(methods))


async def _on_xin(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, XinError)
    headers: dict[str, str] | None = getattr(exc, "headers", None)  # Retry-After, WWW-Authenticate
    if exc.http_status >= 500:
        get_logger().error(
            "request failed", extra={"code": exc.code, "request_id": request_id_of(request)}
        )
        return error_response(request, exc.http_status, exc.code, _public_message(exc), headers)
    return error_response(request, exc.http_status, exc.code, exc.message, headers)


def _public_message(exc: XinError) -> str:
    if isinstance(exc, EmbeddingModelMismatch):  # names two model ids and the fix: no secrets
        return exc.message
    if exc.http_status == 503:
        return "A backing service is unavailable. Try again shortly."
    return "Internal error."


def install_error_handlers(app: FastAPI) -> None:
    handlers: dict[Any, Any] = {
        RequestValidationError: _on_validation,
        StarletteHTTPException: _on_http,
        XinError: _on_xin,
    }  # anything else is answered by RequestContextMiddleware as a 500 envelope
    for exc_type, handler in handlers.items():
        app.add_exception_handler(exc_type, handler)
