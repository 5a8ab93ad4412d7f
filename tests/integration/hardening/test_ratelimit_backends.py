"""One contract for every ``RateLimiter`` backend: memory, Redis (a real redis-server) and
DynamoDB (moto). The concurrency test is the one that matters: N threads released at once
against a bucket of N-1 tokens get exactly one refusal, never more grants than tokens."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from xin.ratelimit import Bucket, RateLimiter, RateLimiterUnavailable
from xin.ratelimit.backends.dynamodb import DynamoDbRateLimiter
from xin.ratelimit.backends.memory import MemoryRateLimiter
from xin.ratelimit.backends.redis import RedisRateLimiter

SLOW = 0.001  # tokens per second: nothing refills during a test


@pytest.fixture(params=["memory", "redis", "dynamodb"])
def limiter(request: pytest.FixtureRequest) -> Iterator[RateLimiter]:
    prefix = f"t{uuid.uuid4().hex[:8]}:"
    if request.param == "memory":
        yield MemoryRateLimiter()
    elif request.param == "redis":
        yield RedisRateLimiter(url=request.getfixturevalue("redis_url"), prefix=prefix)
    else:
        client = request.getfixturevalue("dynamodb")
        yield DynamoDbRateLimiter("xin-rate-limits", client=client, prefix=prefix)


def test_burst_then_refusal_with_retry_after(limiter: RateLimiter) -> None:
    bucket = Bucket(rate=SLOW, burst=3)
    decisions = [limiter.acquire("k", bucket) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert [d.remaining for d in decisions] == [2, 1, 0, 0]
    assert decisions[-1].retry_after_s == pytest.approx(1 / SLOW, rel=0.01)
    assert all(d.limit == 3 for d in decisions)


def test_buckets_are_independent_and_refill(limiter: RateLimiter) -> None:
    fast = Bucket(rate=20.0, burst=1)
    assert limiter.acquire("a", fast).allowed
    assert not limiter.acquire("a", fast).allowed
    assert limiter.acquire("b", fast).allowed  # another key, another bucket
    time.sleep(0.12)  # 20/s refills one token in 50 ms
    assert limiter.acquire("a", fast).allowed


def test_quota_counts_up_to_the_limit_and_no_further(limiter: RateLimiter) -> None:
    window_end = time.time() + 3600
    results = [limiter.consume_quota("q", 3, window_end).allowed for _ in range(5)]
    assert results == [True, True, True, False, False]
    refused = limiter.consume_quota("q", 3, window_end)
    assert refused.remaining == 0 and refused.retry_after_s > 3500
    assert limiter.consume_quota("q2", 0, window_end).allowed is False


@pytest.mark.parametrize("burst", [5, 20])
def test_parallel_requests_never_exceed_the_budget(limiter: RateLimiter, burst: int) -> None:
    bucket = Bucket(rate=SLOW, burst=burst)
    threads = burst + 1
    barrier = threading.Barrier(threads)

    def one(_: int) -> bool:
        barrier.wait()
        return limiter.acquire("shared", bucket).allowed

    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(one, range(threads)))
    assert results.count(True) == burst
    assert results.count(False) == 1


def test_parallel_quota_never_exceeds_the_limit(limiter: RateLimiter) -> None:
    threads, limit = 12, 7
    barrier = threading.Barrier(threads)
    window_end = time.time() + 60

    def one(_: int) -> bool:
        barrier.wait()
        return limiter.consume_quota("daily", limit, window_end).allowed

    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(one, range(threads)))
    assert results.count(True) == limit


def test_an_unreachable_redis_is_reported_not_ignored() -> None:
    from tests.integration.hardening.conftest import free_port

    dead = RedisRateLimiter(url=f"redis://127.0.0.1:{free_port()}/0", timeout_s=0.2)
    with pytest.raises(RateLimiterUnavailable):
        dead.acquire("k", Bucket(rate=1, burst=1))


def test_a_missing_dynamodb_table_is_reported(dynamodb: Any) -> None:
    broken = DynamoDbRateLimiter("no-such-table", client=dynamodb)
    with pytest.raises(RateLimiterUnavailable):
        broken.acquire("k", Bucket(rate=1, burst=1))


def test_redis_buckets_expire_once_full_again(redis_url: str) -> None:
    import redis

    limiter = RedisRateLimiter(url=redis_url, prefix="exp:")
    limiter.acquire("k", Bucket(rate=10.0, burst=5))
    ttl_ms = redis.Redis.from_url(redis_url).pttl("exp:k")
    assert 0 < ttl_ms <= 1100  # refilled in 100 ms, plus one second of slack


def test_dynamodb_items_carry_a_ttl(dynamodb: Any) -> None:
    limiter = DynamoDbRateLimiter("xin-rate-limits", client=dynamodb, prefix="ttl:")
    limiter.acquire("k", Bucket(rate=1.0, burst=10))
    item = dynamodb.get_item(TableName="xin-rate-limits", Key={"pk": {"S": "ttl:k"}})["Item"]
    assert 0 < float(item["expires_at"]["N"]) - time.time() <= 61 + 1
