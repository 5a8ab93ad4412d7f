"""Soak test: constant Locust load on a running Xin while sampling the server's RSS.

    python -m tests.load.server -- python -m tests.load.soak --pid {pid} --duration 300 --json

Runs the chat and health scenarios (no ingestion: a growing index would grow memory for a
good reason) at a constant user count, samples the server's resident set size every few
seconds from ``/proc/<pid>/status``, and reports the error count and the RSS growth: the
median of the last minute against the median of the first minute after the warm-up
(target < 10 %).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from tests.load import run_load
from tests.load.scenarios import LoadConfig

WINDOW_S = 60.0


def rss_mb(pid: int) -> float:
    """Resident set size of ``pid`` in MiB (Linux ``/proc``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def rss_growth(samples: list[tuple[float, float]], warmup_s: float) -> dict[str, float]:
    """Baseline (first minute after ``warmup_s``), final (last minute) and growth in %."""
    if not samples:
        raise ValueError("no RSS samples")
    end = samples[-1][0]
    after = [(t, mb) for t, mb in samples if t >= warmup_s] or samples
    start = after[0][0]
    baseline = statistics.median(mb for t, mb in after if t <= start + WINDOW_S)
    final = statistics.median(mb for t, mb in after if t >= end - WINDOW_S)
    return {
        "baseline_mb": round(baseline, 1),
        "final_mb": round(final, 1),
        "peak_mb": round(max(mb for _, mb in samples), 1),
        "growth_pct": round((final - baseline) / baseline * 100, 2),
    }


def soak(pid: int, config: LoadConfig, *, interval_s: float, warmup_s: float) -> dict[str, Any]:
    samples: list[tuple[float, float]] = []
    done = threading.Event()
    started = time.monotonic()
    before = rss_mb(pid)

    def sample() -> None:
        while not done.wait(interval_s):
            samples.append((round(time.monotonic() - started, 1), round(rss_mb(pid), 1)))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    with tempfile.TemporaryDirectory(prefix="xin-soak-") as tmp:
        try:
            load = run_load.run(config, Path(tmp), timeout_s=config.duration_s + 120)
        finally:
            done.set()
            sampler.join()
    total = load["total"]
    return {
        "duration_s": config.duration_s,
        "users": config.users,
        "weights": config.scenario_weights(),
        "requests": total["requests"],
        "errors": total["failures"],
        "rps": total["rps"],
        "median_ms": total["median_ms"],
        "p95_ms": total["p95_ms"],
        "rss_before_load_mb": round(before, 1),
        "warmup_s": warmup_s,
        **rss_growth(samples, warmup_s),
        "rss_samples": samples,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pid", type=int, default=int(os.environ.get("XIN_BENCH_SERVER_PID", 0)))
    parser.add_argument("--host", default=os.environ.get("LOAD_HOST", "http://127.0.0.1:8000"))
    parser.add_argument("--duration", type=int, default=300, help="seconds")
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--interval", type=float, default=5.0, help="RSS sampling period (s)")
    parser.add_argument("--warmup", type=float, default=30.0, help="seconds before the baseline")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not args.pid:
        parser.error("--pid (or XIN_BENCH_SERVER_PID) is required")
    config = LoadConfig(
        host=args.host,
        users=args.users,
        spawn_rate=float(args.users),
        duration_s=args.duration,
        profile="mixed",
        weights={"chat": 9, "ingest": 0, "health": 1},
    )
    result = soak(args.pid, config, interval_s=args.interval, warmup_s=args.warmup)
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"soak {result['duration_s']}s @ {result['users']} users: {result['requests']} "
            f"requests, {result['errors']} errors, p95 {result['p95_ms']} ms; RSS "
            f"{result['baseline_mb']} -> {result['final_mb']} MiB ({result['growth_pct']:+.1f}%)"
        )
    return 0 if result["errors"] == 0 and result["growth_pct"] < 10 else 1


if __name__ == "__main__":
    sys.exit(main())
