"""Rate limits through the app: 429 in the error envelope with Retry-After and RateLimit-*
headers, per key, per IP, per tenant quota, on every backend and under concurrency."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.integration.hardening.conftest import ACME_DOC, AppFactory, Deployment, Reply, bearer
from xin.ratelimit import Bucket, Decision, RateLimiterUnavailable

QUESTION = {"message": "How often does the Zephyr gateway rotate its signing keys?"}
WIDE = {"rate": 100.0, "burst": 1000}


def limited(burst: int, **extra: Any) -> dict[str, Any]:
    return {
        "rate_limit": {
            "enabled": True,
            "per_key": {"rate": 0.001, "burst": burst},
            "per_ip": WIDE,
            **extra,
        }
    }


def with_doc(d: Deployment) -> Deployment:
    d.container.ingestion.ingest_bytes(ACME_DOC.encode(), "zephyr.md", tenant="acme")
    return d


def assert_429(response: Reply, code: str = "rate_limited") -> None:
    assert response.status_code == 429
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["request_id"] == response.headers["x-request-id"]
    assert int(response.headers["retry-after"]) >= 1
    assert response.headers["ratelimit-remaining"] == "0"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_burst_plus_one_gives_exactly_one_429(make_deployment: AppFactory) -> None:
    d = with_doc(make_deployment(**limited(3)))
    key = bearer(d.keys.acme_chat)
    responses = [d.client.post("/chat", json=QUESTION, headers=key) for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert [r.headers["ratelimit-remaining"] for r in responses[:3]] == ["2", "1", "0"]
    assert all(r.headers["ratelimit-limit"] == "3" for r in responses)
    assert_429(responses[3])
    assert int(responses[3].headers["retry-after"]) == 1000  # one token at 0.001/s
    # another key of the same tenant has its own bucket
    assert (
        d.client.post("/chat", json=QUESTION, headers=bearer(d.keys.acme_admin)).status_code == 200
    )
    metrics = d.client.get("/metrics").text
    assert 'xin_rate_limited_total{route="/chat",scope="key"} 1.0' in metrics


def test_unlimited_routes_carry_no_rate_limit_headers(make_deployment: AppFactory) -> None:
    d = make_deployment(**limited(3))
    assert "ratelimit-limit" not in d.client.get("/health").headers


def test_the_ip_bucket_throttles_key_guessing_before_authentication(
    make_deployment: AppFactory,
) -> None:
    d = make_deployment(rate_limit={"enabled": True, "per_ip": {"rate": 0.001, "burst": 5}})
    guesses = [
        d.client.post("/chat", json=QUESTION, headers=bearer(f"xin_{i:012x}_{'A' * 43}"))
        for i in range(6)
    ]
    assert [r.status_code for r in guesses] == [401] * 5 + [429]
    assert_429(guesses[-1])


def test_forwarded_for_splits_ip_buckets_only_behind_a_trusted_proxy(
    make_deployment: AppFactory,
) -> None:
    ip_limited = {"rate_limit": {"enabled": True, "per_ip": {"rate": 0.001, "burst": 1}}}
    direct = make_deployment(**ip_limited)
    spoofed = [
        direct.client.get(
            "/admin/stats",
            headers={**bearer(direct.keys.acme_admin), "X-Forwarded-For": f"198.51.100.{i}"},
        )
        for i in range(2)
    ]
    assert [r.status_code for r in spoofed] == [200, 429]  # the header is ignored
    proxied = make_deployment(**ip_limited, api={"trust_proxy": True})
    admin = bearer(proxied.keys.acme_admin)
    by_ip = [
        proxied.client.get("/admin/stats", headers={**admin, "X-Forwarded-For": f"6.6.6.6, {ip}"})
        for ip in ("198.51.100.1", "198.51.100.2", "198.51.100.1")
    ]
    assert [r.status_code for r in by_ip] == [200, 200, 429]


def test_daily_message_quota_per_tenant(make_deployment: AppFactory) -> None:
    d = with_doc(
        make_deployment(
            rate_limit={"enabled": True, "per_ip": WIDE, "per_key": WIDE},
            tenants={"acme": {"rate_limit": {"daily_messages": 2}}},
        )
    )
    chat, admin = bearer(d.keys.acme_chat), bearer(d.keys.acme_admin)
    assert d.client.post("/chat", json=QUESTION, headers=chat).status_code == 200
    assert d.client.post("/chat", json=QUESTION, headers=admin).status_code == 200
    refused = d.client.post("/chat", json=QUESTION, headers=chat)
    assert_429(refused, "quota_exceeded")
    assert refused.headers["ratelimit-limit"] == "2"
    assert d.client.get("/admin/stats", headers=admin).status_code == 200  # not a message
    other = d.client.post("/chat", json=QUESTION, headers=bearer(d.keys.globex_chat))
    assert other.status_code == 200  # globex has no quota


def test_a_tenant_without_the_api_channel_is_refused(make_deployment: AppFactory) -> None:
    d = make_deployment(tenants={"acme": {"allowed_channels": ["slack"]}})
    response = d.client.post("/chat", json=QUESTION, headers=bearer(d.keys.acme_chat))
    assert response.status_code == 403
    other = d.client.post("/chat", json=QUESTION, headers=bearer(d.keys.globex_chat))
    assert other.status_code == 200


class DownLimiter:
    def acquire(self, key: str, bucket: Bucket, cost: int = 1) -> Decision:
        raise RateLimiterUnavailable("redis down")

    def consume_quota(self, key: str, limit: int, window_end: float, cost: int = 1) -> Decision:
        raise RateLimiterUnavailable("redis down")


@pytest.mark.parametrize(("fail_open", "status"), [(False, 503), (True, 200)])
def test_an_unavailable_limiter_fails_closed_unless_configured_open(
    make_deployment: AppFactory, fail_open: bool, status: int
) -> None:
    d = make_deployment(limiter=DownLimiter(), rate_limit={"enabled": True, "fail_open": fail_open})
    response = d.client.get("/admin/stats", headers=bearer(d.keys.acme_admin))
    assert response.status_code == status
    if status == 503:
        assert response.json()["error"]["code"] == "rate_limiter_unavailable"
        assert "redis" not in response.text  # internal detail stays in the logs


@pytest.mark.parametrize("backend", ["memory", "redis", "dynamodb"])
def test_concurrent_burst_plus_one_gives_exactly_one_429_on_every_backend(
    make_deployment: AppFactory, request: pytest.FixtureRequest, backend: str
) -> None:
    burst = 6
    extra: dict[str, Any] = {"backend": backend}
    if backend == "redis":
        extra["redis_url"] = request.getfixturevalue("redis_url")
        extra["key_prefix"] = f"api-{id(request)}:"
    if backend == "dynamodb":
        request.getfixturevalue("dynamodb")
        extra["dynamodb_table"] = "xin-rate-limits"
    d = with_doc(make_deployment(aws={"region": "eu-west-1"}, **limited(burst, **extra)))
    key = bearer(d.keys.acme_chat)
    barrier = threading.Barrier(burst + 1)

    def one(_: int) -> Reply:
        barrier.wait()
        reply: Reply = d.client.post("/chat", json=QUESTION, headers=key)
        return reply

    with ThreadPoolExecutor(max_workers=burst + 1) as pool:
        responses = list(pool.map(one, range(burst + 1)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * burst + [429]
    assert_429(next(r for r in responses if r.status_code == 429))
