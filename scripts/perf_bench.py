#!/usr/bin/env python3
"""Latency benchmark for POST /chat against a running Xin.

    python scripts/perf_bench.py --host http://127.0.0.1:8000 --iters 400 --concurrency 20
    python scripts/perf_bench.py --concurrency 1,10,25,50 --unique --json   # a sweep

Prints avg/p50/p95/p99 latency, throughput and errors. Questions mix English and Persian,
covered and uncovered. ``--concurrency`` takes a comma-separated list: each level runs its own
warm-up and ``--iters`` requests; ``--json`` then prints ``{"runs": [...]}`` (one object per
level) instead of a single object. Uses only the standard library plus httpx.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

QUESTIONS = (
    "How do I deploy Xin to Kubernetes?",
    "Which document types can Xin ingest?",
    "How are webhook requests verified?",
    "Where are secrets stored?",
    "How does hybrid retrieval work?",
    "What is the capital of France?",
    "چگونه شین را نصب کنم؟",
    "شین از چه زبان‌هایی پشتیبانی می‌کند؟",
)


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(q / 100 * (len(sorted_values) - 1))))
    return sorted_values[index]


def run(host: str, iters: int, concurrency: int, warmup: int, unique: bool) -> dict[str, Any]:
    local = threading.local()

    def client() -> httpx.Client:
        if not hasattr(local, "client"):
            local.client = httpx.Client(base_url=host, timeout=30.0)
        c: httpx.Client = local.client
        return c

    def one(i: int) -> tuple[float, str]:
        started = time.perf_counter()
        try:
            question = QUESTIONS[i % len(QUESTIONS)]
            if unique:  # defeat every cache: each request is a new text
                question = f"{question} ({i} {time.perf_counter_ns()})"
            response = client().post("/chat", json={"message": question})
            outcome = str(response.status_code)
        except httpx.HTTPError as exc:
            outcome = type(exc).__name__
        return (time.perf_counter() - started) * 1000, outcome

    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(max(warmup, concurrency))))  # every worker opens its client
        started = time.perf_counter()
        results = list(pool.map(one, range(iters)))
        wall = time.perf_counter() - started
    latencies = sorted(ms for ms, _ in results)
    failed = Counter(outcome for _, outcome in results if outcome != "200")
    return {
        "requests": iters,
        "concurrency": concurrency,
        "errors": sum(failed.values()),
        "errors_by_status": dict(failed),  # HTTP status or exception name
        "avg_ms": statistics.fmean(latencies),
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99),
        "rps": iters / wall,
        "unique": unique,
    }


def _levels(text: str) -> list[int]:
    levels = [int(part) for part in text.split(",") if part.strip()]
    if not levels or min(levels) < 1:
        raise argparse.ArgumentTypeError("concurrency levels must be positive integers")
    return levels


def _line(figures: dict[str, Any]) -> str:
    return (
        f"/chat x{figures['requests']} @ {figures['concurrency']} concurrent"
        f"{' (unique questions)' if figures['unique'] else ''}: "
        f"avg {figures['avg_ms']:.1f} ms · p50 {figures['p50_ms']:.1f} · "
        f"p95 {figures['p95_ms']:.1f} · p99 {figures['p99_ms']:.1f} ms · "
        f"{figures['rps']:.1f} req/s · errors {figures['errors']}"
        f" {figures['errors_by_status'] or ''}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--host", default="http://127.0.0.1:8000")
    parser.add_argument("--iters", type=int, default=200)
    parser.add_argument(
        "--concurrency", type=_levels, default=[20], help="one level or a list: 1,10,25,50"
    )
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--unique", action="store_true", help="make every question unique (no cache hits)"
    )
    args = parser.parse_args()
    runs = [run(args.host, args.iters, c, args.warmup, args.unique) for c in args.concurrency]
    if args.json:
        print(json.dumps(runs[0] if len(runs) == 1 else {"runs": runs}))
    else:
        for figures in runs:
            print(_line(figures))
    return 1 if any(figures["errors"] for figures in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
