"""Rate-limit errors. The API maps them to 429/503 in the standard error envelope."""

from __future__ import annotations

import math

from xin.errors import XinError
from xin.ratelimit.ports import Decision


class RateLimited(XinError):  # named like the errors in xin.errors
    """A limit refused this request. ``headers`` carries ``Retry-After`` (whole seconds)."""

    code = "rate_limited"
    http_status = 429

    def __init__(self, decision: Decision, scope: str) -> None:
        wait = max(1, math.ceil(decision.retry_after_s))
        if scope == "daily_quota":
            message = f"The daily message quota is used up; it resets in {wait} s."
            self.code = "quota_exceeded"
        else:
            message = f"Too many requests; retry in {wait} s."
        super().__init__(message)
        self.decision = decision
        self.scope = scope
        self.headers = {"Retry-After": str(wait)}


class RateLimiterUnavailable(XinError):
    """The rate-limit backend (Redis, DynamoDB) could not answer."""

    code = "rate_limiter_unavailable"
    http_status = 503
