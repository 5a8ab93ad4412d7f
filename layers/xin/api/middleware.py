"""Pure ASGI middleware: request ids, security headers, body limits, metrics, access logs."""

from __future__ import annotations

import json
import re
import time
import uuid
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from xin.observability.logging import get_logger
from xin.observability.metrics import HttpMetrics

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
_PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
_BASE_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"strict-transport-security", b"max-age=63072000; includeSubDomains"),
)


def _csp_for(path: str) -> bytes | None:
    if path in {"/docs", "/redoc", "/docs/oauth2-redirect"}:
        return None  # the interactive docs page loads its own assets
    if path == "/" or path.startswith("/static/"):
        return _PAGE_CSP.encode()
    return _API_CSP.encode()


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            candidate = str(value.decode("latin-1"))
            if _SAFE_REQUEST_ID.match(candidate):
                return candidate
    return uuid.uuid4().hex


def _envelope(status: int, code: str, message: str, request_id: str) -> list[Message]:
    body = json.dumps(
        {"error": {"code": code, "message": message, "request_id": request_id}}
    ).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"x-request-id", request_id.encode()),
        *_BASE_HEADERS,
    ]
    return [
        {"type": "http.response.start", "status": status, "headers": headers},
        {"type": "http.response.body", "body": body},
    ]


_TOO_LARGE = ("payload_too_large", "The request body is too large.")


class _BodyTooLargeError(HTTPException):
    """An HTTPException, so FastAPI's body parsing re-raises it (it turns others into 400s)."""

    def __init__(self) -> None:
        super().__init__(413, _TOO_LARGE[1])


def _limited(receive: Receive, max_bytes: int) -> Receive:
    """Wrap ``receive`` so a body streamed past ``max_bytes`` stops the request."""
    received = 0

    async def limited_receive() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > max_bytes:
                raise _BodyTooLargeError
        return message

    return limited_receive


def _template(scope: Scope) -> str:
    route: Any = scope.get("route")
    path: str = str(getattr(route, "path", "unmatched"))
    return path


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, *, metrics: HttpMetrics, max_body_bytes: int) -> None:
        self.app = app
        self.metrics = metrics
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        if self._declared_length(scope) > self.max_body_bytes:
            for message in _envelope(413, *_TOO_LARGE, request_id):
                await send(message)
            self._record(scope, 413, started, request_id)
            return

        status = await self._run(scope, request_id, receive, send)
        self._record(scope, status, started, request_id)

    async def _run(self, scope: Scope, request_id: str, receive: Receive, send: Send) -> int:
        """Call the app with a size-limited body and extra headers; return the status sent."""
        status = 500
        limited_receive = _limited(receive, self.max_body_bytes)
        extra = [(b"x-request-id", request_id.encode()), *_BASE_HEADERS]
        csp = _csp_for(scope.get("path", ""))
        if csp:
            extra.append((b"content-security-policy", csp))

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except _BodyTooLargeError:
            status = 413
            for message in _envelope(413, *_TOO_LARGE, request_id):
                await send(message)
        except Exception as exc:  # the last line of defence: never a stack trace to the caller
            get_logger().exception(
                "unhandled error", extra={"request_id": request_id, "error": type(exc).__name__}
            )
            self.metrics.error(_template(scope), "internal_error")
            status = 500
            for message in _envelope(500, "internal_error", "Internal error.", request_id):
                await send(message)
        return status

    @staticmethod
    def _declared_length(scope: Scope) -> int:
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    return int(value)
                except ValueError:
                    return 0
        return 0

    def _record(self, scope: Scope, status: int, started: float, request_id: str) -> None:
        elapsed = time.perf_counter() - started
        template = _template(scope)
        self.metrics.observe(template, scope.get("method", ""), status, elapsed)
        get_logger().info(
            "request",
            extra={
                "request_id": request_id,
                "method": scope.get("method"),
                "route": template,
                "status": status,
                "duration_ms": round(elapsed * 1000, 2),
            },
        )
