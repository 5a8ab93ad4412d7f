"""Authentication, authorisation and rate limits for the HTTP API.

Routes declare what they need with ``Depends(requires(Role.CHAT))``; the dependency runs, in
order: the per-IP bucket (so credential guessing is throttled too), authentication (API key
or JWT), the role check, and the per-caller bucket. ``tenant_scope`` then fixes the tenant a
request acts on and charges the tenant's bucket and daily quota. Decisions land in
``request.state.rate_limit``, and ``RateLimitHeadersMiddleware`` turns the tightest one into
``RateLimit-Limit``/``-Remaining``/``-Reset`` headers on every response of a limited route.
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from xin.api.errors import route_of
from xin.api.models import ErrorResponse
from xin.auth import Forbidden, Principal, Role
from xin.auth.authenticator import Authenticator
from xin.auth.factory import build_authenticator, pepper_for
from xin.config import Settings
from xin.config.security import TENANT_PATTERN, tenant_overrides
from xin.errors import InvalidRequest
from xin.observability.logging import get_logger
from xin.ratelimit import Decision, RateLimited
from xin.ratelimit.policy import RateLimitPolicy, most_restrictive

_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="BearerAuth",
    description="An API key (`xin_<id>_<secret>`) or an OIDC/Cognito JWT.",
)
_api_key = APIKeyHeader(
    name="X-API-Key", auto_error=False, scheme_name="ApiKeyAuth", description="An API key."
)
_STATE_KEY = "rate_limit"
_TENANT = re.compile(TENANT_PATTERN)
RATE_LIMIT_HEADERS = ("ratelimit-limit", "ratelimit-remaining", "ratelimit-reset")
_DESCRIPTIONS = {
    400: "Malformed request (for example invalid JSON).",
    401: "Missing or invalid credentials.",
    403: "The credential lacks the role, or belongs to another tenant.",
    404: "Not found (within the caller's tenant).",
    413: "The request body or message is too large.",
    415: "Unsupported media type.",
    422: "The request does not validate.",
    429: "A rate limit or the daily quota refused the request.",
    503: "A backing service (store, key store, rate limiter) is unavailable.",
}
_RATE_HEADERS = {
    "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}},
    "RateLimit-Limit": {"description": "Requests per window.", "schema": {"type": "integer"}},
    "RateLimit-Remaining": {"description": "Requests left.", "schema": {"type": "integer"}},
    "RateLimit-Reset": {"description": "Seconds until refilled.", "schema": {"type": "integer"}},
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for error statuses, all in the standard envelope."""
    responses: dict[int | str, dict[str, Any]] = {}
    for code in codes:
        entry: dict[str, Any] = {"model": ErrorResponse, "description": _DESCRIPTIONS[code]}
        if code == 429:
            entry["headers"] = _RATE_HEADERS
        responses[code] = entry
    return responses


PROTECTED_ERRORS = (401, 403, 429, 503)


def client_ip(scope: Scope, *, trust_proxy: bool = False, hops: int = 1) -> str:
    """The caller's address; IPv6 callers are grouped by /64 (one customer's network).

    ``X-Forwarded-For`` is read only behind a trusted proxy, and then the entry ``hops``
    from the right (the one the nearest trusted proxy saw), never a client-supplied prefix.
    """
    client = scope.get("client")
    address = str(client[0]) if client else "unknown"
    if trust_proxy:
        values = [
            v.decode("latin-1") for n, v in scope.get("headers", ()) if n == b"x-forwarded-for"
        ]
        entries = [e.strip() for e in ",".join(values).split(",") if e.strip()]
        if len(entries) >= hops and _parse_ip(entries[-hops]) is not None:
            address = entries[-hops]
    parsed = _parse_ip(address)
    if parsed is None:
        return address[:64]  # e.g. a unix socket peer or a test client
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _parse_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


class SecurityServices:
    """What the dependencies need, built once per app (``app.state.security``)."""

    def __init__(self, settings: Settings, container: Any, metrics: Any) -> None:
        self.settings = settings
        self._metrics = metrics
        self.authenticator: Authenticator = build_authenticator(
            settings, lambda: container.api_keys
        )
        # Built now, while start-up is single-threaded: two limiters created by racing first
        # requests would each hand out the whole budget. (Backends connect lazily.)
        self.policy: RateLimitPolicy | None = None
        if settings.rate_limit.enabled:
            self.policy = RateLimitPolicy(
                container.rate_limiter, settings.rate_limit, settings.tenants
            )

    def limited(self, request: Request, check: Callable[[], Any]) -> None:
        """Run a limit check; record its decision(s); count and re-raise a refusal."""
        try:
            result = check()
        except RateLimited as exc:
            _remember(request, [exc.decision])
            self._metrics.rate_limit_rejected(route_of(request), exc.scope)
            raise
        decisions = result if isinstance(result, list) else [result]
        _remember(request, [d for d in decisions if d is not None])


def _remember(request: Request, decisions: list[Decision]) -> None:
    previous = getattr(request.state, _STATE_KEY, None)
    tightest = most_restrictive([*decisions, *([previous] if previous else [])])
    if tightest is not None:
        setattr(request.state, _STATE_KEY, tightest)


def _services(request: Request) -> SecurityServices:
    services: SecurityServices = request.app.state.security
    return services


def requires(*roles: Role) -> Callable[..., Principal]:
    """A dependency admitting callers with any of ``roles`` (``admin`` implies every role)."""

    def admit(
        request: Request,
        bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)] = None,
        api_key: Annotated[str | None, Security(_api_key)] = None,
    ) -> Principal:
        services = _services(request)
        policy = services.policy
        api = services.settings.api
        if policy is not None:
            ip = client_ip(request.scope, trust_proxy=api.trust_proxy, hops=api.trusted_proxy_hops)
            services.limited(request, lambda: policy.check_ip(ip))
        principal = services.authenticator.principal(
            bearer.credentials if bearer else None, api_key
        )
        principal.require(*roles)
        if policy is not None and not principal.is_anonymous:
            tenant = None if principal.cross_tenant else principal.tenant
            services.limited(request, lambda: policy.check_caller(principal.subject, tenant))
        request.state.principal = principal
        return principal

    return admit


def tenant_scope(
    request: Request,
    principal: Principal,
    requested: str | None,
    *,
    messages: int = 0,
    channel: str | None = None,
) -> str:
    """The tenant this request acts on (403 for another tenant), with its limits charged.

    ``messages`` counts against the tenant's daily quota; ``channel`` must be one the
    tenant allows (``tenants.<t>.allowed_channels``).
    """
    services = _services(request)
    settings = services.settings
    if requested is not None and not _TENANT.match(requested):
        raise InvalidRequest("tenant must be 1-64 characters of A-Z a-z 0-9 _ . -")
    tenant = principal.tenant_for(requested, settings.default_tenant)
    if channel is not None and not tenant_overrides(settings.tenants, tenant).allows_channel(
        channel
    ):
        raise Forbidden(f"The '{channel}' channel is not enabled for this tenant.")
    policy = services.policy
    if policy is not None:
        services.limited(request, lambda: policy.check_tenant(tenant, messages=messages))
    return tenant


class RateLimitHeadersMiddleware:
    """Adds ``RateLimit-*`` headers from the request's tightest decision (IETF draft style)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                decision = scope.get("state", {}).get(_STATE_KEY)
                if isinstance(decision, Decision):
                    message["headers"] = [*message.get("headers", []), *_headers(decision)]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _headers(decision: Decision) -> list[tuple[bytes, bytes]]:
    return [
        (RATE_LIMIT_HEADERS[0].encode(), str(decision.limit).encode()),
        (RATE_LIMIT_HEADERS[1].encode(), str(decision.remaining).encode()),
        (RATE_LIMIT_HEADERS[2].encode(), str(max(0, math.ceil(decision.reset_s))).encode()),
    ]


def install_security(app: FastAPI, settings: Settings, container: Any, metrics: Any) -> None:
    """Validate the security settings at start-up and attach the services to ``app``."""
    if settings.auth_required:
        pepper_for(settings)  # fails fast outside development when no pepper is set
    else:
        get_logger().warning(
            "authentication is OFF (APP_ENV=development, api.auth_required unset/false): "
            "every request is served as an anonymous admin of every tenant; never expose "
            "this server",
        )
    app.state.security = SecurityServices(settings, container, metrics)
    app.add_middleware(RateLimitHeadersMiddleware)


def router_options(group: str, settings: Settings) -> dict[str, Any]:
    """``include_router`` options for route groups guarded as a whole.

    ``/metrics`` needs an ``admin`` or ``metrics`` principal when ``api.metrics_protected``
    is set; ``/ingest/{document_id}`` (ingestion status) needs ``ingest`` (or ``admin``).
    """
    if group == "metrics" and settings.api.metrics_protected:
        guard = requires(Role.METRICS)
    elif group == "ingest_status":
        guard = requires(Role.INGEST)
    else:
        return {}
    responses = error_responses(422, *PROTECTED_ERRORS)
    return {"dependencies": [Depends(guard)], "responses": responses}
