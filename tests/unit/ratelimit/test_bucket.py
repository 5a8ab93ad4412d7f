"""Token-bucket and fixed-window arithmetic (shared by the memory and DynamoDB backends)."""

from __future__ import annotations

import pytest

from xin.ratelimit.bucket import BucketState, quota_decision, take
from xin.ratelimit.ports import Bucket


def test_a_fresh_bucket_allows_burst_then_refuses_with_an_exact_wait() -> None:
    bucket = Bucket(rate=2.0, burst=3)
    state = None
    allowed = []
    for _ in range(4):
        new_state, decision = take(state, bucket, now=100.0)
        allowed.append(decision.allowed)
        if decision.allowed:
            state = new_state
    assert allowed == [True, True, True, False]
    assert decision.remaining == 0
    assert decision.retry_after_s == pytest.approx(0.5)  # one token at 2/s
    assert decision.reset_s == pytest.approx(1.5)  # three tokens to refill


def test_tokens_refill_with_time_but_never_past_burst() -> None:
    bucket = Bucket(rate=1.0, burst=2)
    state = BucketState(tokens=0.0, updated=10.0)
    _, early = take(state, bucket, now=10.4)
    assert not early.allowed
    _, later = take(state, bucket, now=11.0)
    assert later.allowed and later.remaining == 0
    _, much_later = take(state, bucket, now=1000.0)
    assert much_later.remaining == 1  # capped at burst (2), minus this request


def test_a_clock_that_goes_back_refills_nothing() -> None:
    bucket = Bucket(rate=1.0, burst=5)
    state = BucketState(tokens=0.2, updated=50.0)
    _, decision = take(state, bucket, now=40.0)
    assert not decision.allowed
    assert decision.retry_after_s == pytest.approx(0.8)


def test_cost_above_the_burst_is_never_allowed() -> None:
    _, decision = take(None, Bucket(rate=1.0, burst=2), now=0.0, cost=3)
    assert not decision.allowed


@pytest.mark.parametrize(("rate", "burst"), [(0.0, 1), (-1.0, 1), (1.0, 0)])
def test_a_bucket_needs_a_positive_rate_and_burst(rate: float, burst: int) -> None:
    with pytest.raises(ValueError, match="rate > 0"):
        Bucket(rate=rate, burst=burst)


def test_quota_decision_reports_what_is_left_and_when_it_resets() -> None:
    ok = quota_decision(3, 10, now=100.0, window_end=160.0, allowed=True)
    assert (ok.remaining, ok.reset_s, ok.retry_after_s) == (7, 60.0, 0.0)
    refused = quota_decision(10, 10, now=100.0, window_end=160.0, allowed=False)
    assert refused.remaining == 0 and refused.retry_after_s == 60.0
