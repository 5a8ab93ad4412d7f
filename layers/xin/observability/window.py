"""Request latency over a rolling window: avg, p50, p95 and p99 per route.

Prometheus histograms answer "how was latency since start-up" and need PromQL to get
quantiles; this answers "how is it right now" directly in ``/metrics``: the samples of the
last ``horizon_s`` seconds (at most ``max_samples`` per route), exported as gauges
``xin_request_latency_window_seconds{route, stat="avg|p50|p95|p99"}`` and
``xin_request_latency_window_requests{route}``.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

STATS = ("avg", "p50", "p95", "p99")


@dataclass(frozen=True, slots=True)
class WindowStats:
    count: int
    avg: float
    p50: float
    p95: float
    p99: float


def _nearest_rank(ordered: list[float], q: float) -> float:
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


class LatencyWindow:
    def __init__(
        self,
        *,
        horizon_s: float = 60.0,
        max_samples: int = 2048,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._horizon = horizon_s
        self._max = max_samples
        self._clock = clock
        self._lock = threading.Lock()
        self._samples: dict[str, deque[tuple[float, float]]] = {}

    def add(self, route: str, seconds: float) -> None:
        with self._lock:
            samples = self._samples.setdefault(route, deque(maxlen=self._max))
            samples.append((self._clock(), seconds))

    def stats(self) -> dict[str, WindowStats]:
        cutoff = self._clock() - self._horizon
        result: dict[str, WindowStats] = {}
        with self._lock:
            for route, samples in self._samples.items():
                while samples and samples[0][0] < cutoff:
                    samples.popleft()
                values = sorted(value for _, value in samples)
                if values:
                    result[route] = WindowStats(
                        count=len(values),
                        avg=sum(values) / len(values),
                        p50=_nearest_rank(values, 0.50),
                        p95=_nearest_rank(values, 0.95),
                        p99=_nearest_rank(values, 0.99),
                    )
        return result


class LatencyWindowCollector:
    """A prometheus_client collector over a :class:`LatencyWindow`."""

    def __init__(self, window: LatencyWindow) -> None:
        self.window = window

    def describe(self) -> list[Any]:
        return []  # computed at scrape time; nothing to check at registration

    def collect(self) -> Iterator[Any]:
        from prometheus_client.core import GaugeMetricFamily

        latency = GaugeMetricFamily(
            "xin_request_latency_window_seconds",
            "Request latency over the rolling window, by route template and statistic.",
            labels=("route", "stat"),
        )
        requests = GaugeMetricFamily(
            "xin_request_latency_window_requests",
            "Requests in the rolling latency window, by route template.",
            labels=("route",),
        )
        for route, stats in sorted(self.window.stats().items()):
            for stat in STATS:
                latency.add_metric((route, stat), getattr(stats, stat))
            requests.add_metric((route,), stats.count)
        yield latency
        yield requests
