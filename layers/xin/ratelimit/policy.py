"""Which limits apply to a request, and the checks in the order the API runs them.

1. per client IP (before authentication, so key guessing is throttled too);
2. per caller (API key id or JWT subject), with the caller's tenant's overrides;
3. per tenant (optional), and the tenant's daily chat-message quota (optional).

Every check raises ``RateLimited`` when refused; ``most_restrictive`` picks the decision the
``RateLimit-*`` response headers describe.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from xin.config.security import BucketSettings, RateLimitSettings, TenantSettings
from xin.observability.logging import get_logger
from xin.ratelimit.errors import RateLimited, RateLimiterUnavailable
from xin.ratelimit.ports import Bucket, Decision, RateLimiter


@dataclass(frozen=True, slots=True)
class Limits:
    per_key: Bucket
    per_ip: Bucket
    per_tenant: Bucket | None
    daily_messages: int | None


def _bucket(settings: BucketSettings | None) -> Bucket | None:
    return None if settings is None else Bucket(rate=settings.rate, burst=settings.burst)


def end_of_utc_day(now: float) -> float:
    today = dt.datetime.fromtimestamp(now, tz=dt.UTC).date()
    midnight = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    return midnight.timestamp()


def most_restrictive(decisions: Iterable[Decision]) -> Decision | None:
    """The decision closest to refusing: refused first, then fewest remaining, soonest reset."""
    ranked = sorted(decisions, key=lambda d: (d.allowed, d.remaining, -d.reset_s))
    return ranked[0] if ranked else None


class RateLimitPolicy:
    def __init__(
        self,
        limiter: RateLimiter,
        settings: RateLimitSettings,
        tenants: Mapping[str, TenantSettings] | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._limiter = limiter
        self._settings = settings
        self._tenants = dict(tenants or {})
        self._clock = clock

    @property
    def enabled(self) -> bool:
        return self._settings.enabled

    def limits_for(self, tenant: str | None) -> Limits:
        base = self._settings
        override = self._tenants.get(tenant or "")
        mine = override.rate_limit if override else None
        per_key = (mine.per_key if mine else None) or base.per_key
        per_tenant = (mine.per_tenant if mine else None) or base.per_tenant
        daily = mine.daily_messages if mine and mine.daily_messages is not None else None
        return Limits(
            per_key=Bucket(rate=per_key.rate, burst=per_key.burst),
            per_ip=Bucket(rate=base.per_ip.rate, burst=base.per_ip.burst),
            per_tenant=_bucket(per_tenant),
            daily_messages=daily if daily is not None else base.daily_messages,
        )

    def _guarded(self, scope: str, run: Callable[[], Decision]) -> Decision | None:
        try:
            decision = run()
        except RateLimiterUnavailable:
            if not self._settings.fail_open:
                raise
            get_logger().warning(
                "rate limiter unavailable; letting the request in", extra={"scope": scope}
            )
            return None
        if not decision.allowed:
            raise RateLimited(decision, scope)
        return decision

    def check_ip(self, ip: str) -> Decision | None:
        bucket = self.limits_for(None).per_ip
        return self._guarded("ip", lambda: self._limiter.acquire(f"ip:{ip}", bucket))

    def check_caller(self, caller: str, tenant: str | None) -> Decision | None:
        bucket = self.limits_for(tenant).per_key
        return self._guarded("key", lambda: self._limiter.acquire(f"key:{caller}", bucket))

    def check_tenant(self, tenant: str, *, messages: int = 0) -> list[Decision]:
        limits = self.limits_for(tenant)
        decisions: list[Decision | None] = []
        if limits.per_tenant is not None:
            bucket = limits.per_tenant
            decisions.append(
                self._guarded("tenant", lambda: self._limiter.acquire(f"tenant:{tenant}", bucket))
            )
        if messages and limits.daily_messages is not None:
            daily = limits.daily_messages
            now = self._clock()
            day = dt.datetime.fromtimestamp(now, tz=dt.UTC).strftime("%Y%m%d")
            key, window_end = f"quota:{tenant}:{day}", end_of_utc_day(now)
            decisions.append(
                self._guarded(
                    "daily_quota",
                    lambda: self._limiter.consume_quota(key, daily, window_end, messages),
                )
            )
        return [d for d in decisions if d is not None]
