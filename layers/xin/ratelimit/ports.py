"""The ``RateLimiter`` port and the values it trades in. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True, slots=True)
class Bucket:
    """A token bucket: up to ``burst`` requests at once, refilled at ``rate`` per second."""

    rate: float
    burst: int

    def __post_init__(self) -> None:
        if self.rate <= 0 or self.burst < 1:
            raise ValueError("a bucket needs rate > 0 and burst >= 1")


@dataclass(frozen=True, slots=True)
class Decision:
    """The answer for one request against one limit.

    ``remaining`` is what is left after this request; ``reset_s`` is how long until the
    limit is whole again; ``retry_after_s`` is how long until a refused request could pass
    (0 when allowed).
    """

    allowed: bool
    limit: int
    remaining: int
    reset_s: float
    retry_after_s: float = 0.0


@runtime_checkable
class RateLimiter(Protocol):
    """Atomic limit checks. Backends raise ``RateLimiterUnavailable`` when they cannot answer."""

    def acquire(self, key: str, bucket: Bucket, cost: int = 1) -> Decision:
        """Take ``cost`` tokens from the bucket ``key`` if it holds them; never overdraw."""
        ...

    def consume_quota(self, key: str, limit: int, window_end: float, cost: int = 1) -> Decision:
        """Count ``cost`` against a fixed window (ending at epoch ``window_end``) of ``limit``."""
        ...
