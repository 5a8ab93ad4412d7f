"""Token-bucket and fixed-window arithmetic shared by the Python backends.

The Redis backend runs the same steps in Lua (``backends/redis.py``); the contract tests hold
all three to the same behaviour.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from xin.ratelimit.ports import Bucket, Decision


@dataclass(frozen=True, slots=True)
class BucketState:
    tokens: float
    updated: float  # epoch seconds of the last successful take


def take(
    state: BucketState | None, bucket: Bucket, now: float, cost: int = 1
) -> tuple[BucketState, Decision]:
    """Refill ``state`` up to ``now`` and take ``cost`` tokens if there are enough.

    The returned state only needs storing when the decision allows: refilling is a pure
    function of time, so a refused request changes nothing.
    """
    if state is None:
        tokens = float(bucket.burst)
    else:
        elapsed = max(0.0, now - state.updated)  # a clock that went back refills nothing
        tokens = min(float(bucket.burst), state.tokens + elapsed * bucket.rate)
    allowed = tokens >= cost
    retry_after = 0.0 if allowed else (cost - tokens) / bucket.rate
    if allowed:
        tokens -= cost
    decision = Decision(
        allowed=allowed,
        limit=bucket.burst,
        remaining=max(0, math.floor(tokens)),
        reset_s=(bucket.burst - tokens) / bucket.rate,
        retry_after_s=retry_after,
    )
    return BucketState(tokens=tokens, updated=now), decision


def quota_decision(
    used: int, limit: int, now: float, window_end: float, *, allowed: bool
) -> Decision:
    """The decision for a fixed window after ``used`` units were counted (or refused)."""
    reset = max(0.0, window_end - now)
    return Decision(
        allowed=allowed,
        limit=limit,
        remaining=max(0, limit - used),
        reset_s=reset,
        retry_after_s=0.0 if allowed else max(1.0, reset),
    )
