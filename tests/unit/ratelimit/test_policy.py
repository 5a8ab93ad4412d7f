"""Which limits apply to whom: tenant overrides, daily quotas, fail-open/closed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from xin.config.security import RateLimitSettings, TenantSettings
from xin.ratelimit import Bucket, Decision, RateLimited, RateLimiterUnavailable
from xin.ratelimit.backends.memory import MemoryRateLimiter
from xin.ratelimit.policy import RateLimitPolicy, end_of_utc_day, most_restrictive


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class BrokenLimiter:
    """A backend that cannot answer (Redis down)."""

    def acquire(self, key: str, bucket: Bucket, cost: int = 1) -> Decision:
        raise RateLimiterUnavailable("down")

    def consume_quota(self, key: str, limit: int, window_end: float, cost: int = 1) -> Decision:
        raise RateLimiterUnavailable("down")


def settings(**values: Any) -> RateLimitSettings:
    return RateLimitSettings.model_validate(values)


def test_tenant_overrides_replace_only_what_they_name() -> None:
    policy = RateLimitPolicy(
        MemoryRateLimiter(),
        settings(per_key={"rate": 1, "burst": 5}, daily_messages=100),
        {
            "acme": TenantSettings.model_validate(
                {"rate_limit": {"per_key": {"rate": 9, "burst": 90}}}
            )
        },
    )
    acme, other = policy.limits_for("acme"), policy.limits_for("globex")
    assert (acme.per_key.rate, acme.per_key.burst) == (9, 90)
    assert acme.daily_messages == 100  # inherited
    assert (other.per_key.rate, other.per_key.burst) == (1, 5)


def test_each_caller_has_its_own_bucket() -> None:
    policy = RateLimitPolicy(MemoryRateLimiter(), settings(per_key={"rate": 0.001, "burst": 2}))
    policy.check_caller("key:a", "acme")
    policy.check_caller("key:a", "acme")
    with pytest.raises(RateLimited) as refused:
        policy.check_caller("key:a", "acme")
    assert refused.value.scope == "key"
    assert refused.value.headers["Retry-After"] == str(1000)
    assert policy.check_caller("key:b", "acme") is not None  # another key is unaffected


def test_daily_quota_counts_messages_and_resets_at_utc_midnight() -> None:
    day = dt.datetime(2026, 3, 1, 23, 59, 0, tzinfo=dt.UTC).timestamp()
    clock = Clock(day)
    policy = RateLimitPolicy(
        MemoryRateLimiter(clock=clock),
        settings(),
        {"acme": TenantSettings.model_validate({"rate_limit": {"daily_messages": 2}})},
        clock=clock,
    )
    assert policy.check_tenant("acme", messages=1)[0].remaining == 1
    policy.check_tenant("acme", messages=1)
    with pytest.raises(RateLimited) as refused:
        policy.check_tenant("acme", messages=1)
    assert refused.value.code == "quota_exceeded"
    assert refused.value.headers["Retry-After"] == "60"  # one minute to midnight
    assert policy.check_tenant("acme", messages=0) == []  # ingest, admin: no quota charge
    assert policy.check_tenant("globex", messages=1) == []  # no quota configured
    clock.now = day + 120  # the next UTC day
    assert policy.check_tenant("acme", messages=1)[0].allowed


def test_the_shared_tenant_bucket_applies_to_every_key_of_the_tenant() -> None:
    policy = RateLimitPolicy(MemoryRateLimiter(), settings(per_tenant={"rate": 0.001, "burst": 1}))
    policy.check_tenant("acme")
    with pytest.raises(RateLimited):
        policy.check_tenant("acme")


def test_an_unavailable_backend_refuses_unless_fail_open() -> None:
    closed = RateLimitPolicy(BrokenLimiter(), settings())
    with pytest.raises(RateLimiterUnavailable):
        closed.check_ip("10.0.0.1")
    opened = RateLimitPolicy(BrokenLimiter(), settings(fail_open=True))
    assert opened.check_ip("10.0.0.1") is None


def test_most_restrictive_prefers_refusals_then_fewest_remaining() -> None:
    wide = Decision(True, 100, 90, 5.0)
    tight = Decision(True, 10, 1, 9.0)
    refused = Decision(False, 60, 0, 1.0, 1.0)
    assert most_restrictive([wide, tight]) == tight
    assert most_restrictive([wide, refused, tight]) == refused
    assert most_restrictive([]) is None


def test_end_of_utc_day() -> None:
    noon = dt.datetime(2026, 7, 4, 12, 0, tzinfo=dt.UTC).timestamp()
    assert end_of_utc_day(noon) - noon == 12 * 3600


def test_redis_backend_needs_a_url() -> None:
    with pytest.raises(ValueError, match="redis_url"):
        settings(backend="redis")
