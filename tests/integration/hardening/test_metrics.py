"""/metrics: rolling-window latency (avg/p50/p95/p99), rate-limit rejections, protection."""

from __future__ import annotations

import pytest

from tests.integration.hardening.conftest import AppFactory, bearer
from xin.observability.window import LatencyWindow


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_window_statistics_over_the_last_minute_only() -> None:
    clock = Clock()
    window = LatencyWindow(horizon_s=60, clock=clock)
    for ms in range(1, 101):  # 1..100 ms
        window.add("/chat", ms / 1000)
    stats = window.stats()["/chat"]
    assert stats.count == 100
    assert stats.avg == pytest.approx(0.0505)
    assert (stats.p50, stats.p95, stats.p99) == (0.05, 0.095, 0.099)
    clock.now = 61  # every sample is now older than the window
    window.add("/chat", 2.0)
    assert window.stats()["/chat"].count == 1
    assert window.stats()["/chat"].p99 == 2.0


def test_window_keeps_at_most_max_samples() -> None:
    window = LatencyWindow(max_samples=10)
    for _ in range(50):
        window.add("/health", 0.01)
    assert window.stats()["/health"].count == 10


def test_metrics_expose_window_histogram_and_rejections(make_deployment: AppFactory) -> None:
    d = make_deployment(rate_limit={"enabled": True, "per_ip": {"rate": 0.001, "burst": 2}})
    for _ in range(3):
        d.client.get("/admin/stats", headers=bearer(d.keys.acme_admin))
    text = d.client.get("/metrics").text
    for stat in ("avg", "p50", "p95", "p99"):
        assert f'xin_request_latency_window_seconds{{route="/admin/stats",stat="{stat}"}}' in text
    assert 'xin_request_latency_window_requests{route="/admin/stats"} 3.0' in text
    assert 'xin_request_duration_seconds_bucket{le="0.005",route="/admin/stats"}' in text
    assert 'xin_rate_limited_total{route="/admin/stats",scope="ip"} 1.0' in text
    assert 'xin_errors_total{code="rate_limited",route="/admin/stats"} 1.0' in text


def test_protected_metrics_need_a_metrics_or_admin_principal(make_deployment: AppFactory) -> None:
    d = make_deployment(api={"metrics_protected": True})
    assert d.client.get("/metrics").status_code == 401
    assert d.client.get("/metrics", headers=bearer(d.keys.acme_chat)).status_code == 403
    scraper = d.container.api_keys.create("ops", ["metrics"]).secret
    assert d.client.get("/metrics", headers=bearer(scraper)).status_code == 200
    assert d.client.get("/metrics", headers=bearer(d.keys.acme_admin)).status_code == 200


def test_metrics_are_open_by_default(make_deployment: AppFactory) -> None:
    assert make_deployment().client.get("/metrics").status_code == 200
