"""Settings sections for authentication, rate limiting and per-tenant overrides.

Kept apart from ``settings.py`` so the main file stays readable; ``Settings`` imports them as
``auth``, ``rate_limit`` and ``tenants``. See docs/adr/0008-api-keys-tenants-rate-limits.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from xin.config.safety import TenantGuardSettings, TenantRedactionSettings

TENANT_PATTERN = r"^[A-Za-z0-9_.-]{1,64}$"
JwtAlgorithm = Literal["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384"]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class JwtSettings(_Section):
    """``auth.jwt``: bearer JWTs (Cognito, any OIDC provider) checked against a JWKS."""

    jwks_url: str | None = None  # Cognito: https://cognito-idp.<region>.amazonaws.com/<pool>/...
    issuer: str | None = None
    audience: str | None = None  # Cognito access tokens carry client_id instead: see audience_claim
    audience_claim: str = "aud"
    algorithms: list[JwtAlgorithm] = ["RS256"]  # pydantic copies the default
    tenant_claim: str = "custom:tenant"
    roles_claim: str = "cognito:groups"  # a list, or a space-separated string such as "scope"
    leeway_s: Annotated[int, Field(ge=0, le=300)] = 30
    jwks_cache_s: Annotated[int, Field(ge=0, le=86_400)] = 300
    timeout_s: Annotated[float, Field(gt=0, le=30)] = 3.0

    @model_validator(mode="after")
    def _issuer_and_audience_are_checked(self) -> JwtSettings:
        if self.jwks_url and not (self.issuer and self.audience):
            raise ValueError("auth.jwt.issuer and auth.jwt.audience are required with jwks_url")
        return self


class AuthSettings(_Section):
    """``auth``: where API keys live and how they are hashed."""

    key_store: Literal["sqlite", "dynamodb"] = "sqlite"
    dynamodb_table: str = "xin-api-keys"
    # Server-side secret mixed into every key hash (HMAC-SHA256). Required outside development.
    pepper: SecretStr | None = None
    jwt: JwtSettings = Field(default_factory=JwtSettings)

    @model_validator(mode="after")
    def _pepper_is_long_enough(self) -> AuthSettings:
        if self.pepper is not None and len(self.pepper.get_secret_value()) < 32:
            raise ValueError("auth.pepper must be at least 32 characters")
        return self


class BucketSettings(_Section):
    """A token bucket: ``burst`` requests at once, refilled at ``rate`` per second."""

    rate: Annotated[float, Field(gt=0, le=100_000)]
    burst: Annotated[int, Field(ge=1, le=1_000_000)]


class TenantRateLimits(_Section):
    """The limits a tenant overrides; anything left out falls back to ``rate_limit``."""

    per_key: BucketSettings | None = None
    per_tenant: BucketSettings | None = None
    daily_messages: Annotated[int, Field(ge=0)] | None = None


class RateLimitSettings(_Section):
    """``rate_limit``: token buckets per caller and per client IP, and a daily quota."""

    enabled: bool = True
    backend: Literal["memory", "redis", "dynamodb"] = "memory"
    redis_url: str | None = None  # redis://host:6379/0 (rediss:// for TLS)
    key_prefix: str = "xin:rl:"
    dynamodb_table: str = "xin-rate-limits"
    # What to do when the backend cannot answer: refuse with 503 (false) or let requests in.
    fail_open: bool = False
    per_key: BucketSettings = Field(default_factory=lambda: BucketSettings(rate=2.0, burst=30))
    per_ip: BucketSettings = Field(default_factory=lambda: BucketSettings(rate=5.0, burst=60))
    per_tenant: BucketSettings | None = None  # one bucket shared by every key of a tenant
    daily_messages: Annotated[int, Field(ge=0)] | None = (
        None  # chat messages per tenant per UTC day
    )

    @model_validator(mode="after")
    def _backend_is_configured(self) -> RateLimitSettings:
        if self.enabled and self.backend == "redis" and not self.redis_url:
            raise ValueError("rate_limit.redis_url is required when rate_limit.backend is 'redis'")
        return self


class TenantSettings(_Section):
    """``tenants.<name>``: per-tenant overrides."""

    rate_limit: TenantRateLimits = Field(default_factory=TenantRateLimits)
    guard: TenantGuardSettings = Field(default_factory=TenantGuardSettings)
    redaction: TenantRedactionSettings = Field(default_factory=TenantRedactionSettings)
    allowed_channels: list[str] | None = None  # None: every channel; the HTTP API is "api"

    def allows_channel(self, channel: str) -> bool:
        return self.allowed_channels is None or channel in self.allowed_channels


def tenant_overrides(tenants: Mapping[str, TenantSettings], tenant: str) -> TenantSettings:
    """The tenant's overrides, or the defaults when it has none."""
    return tenants.get(tenant) or TenantSettings()
