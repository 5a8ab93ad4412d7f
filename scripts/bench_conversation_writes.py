#!/usr/bin/env python3
"""Conversation-store write latency under concurrent chat turns (SQLite, one process).

    python scripts/bench_conversation_writes.py --threads 40 --turns 50

Each thread plays chat turns the way ``ChatService`` does: read the session's history, do
``--work-ms`` of Python work (the GIL-bound guards and answerer), then store the question and
the answer. ``--separate`` stores them with two ``append`` calls (two write transactions, as
before ADR 0016) instead of one ``append_turns``. Prints p50/p95/p99 of the write step,
p50/p95 of the whole turn and turns per second. Standard library plus the ``xin`` package.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from xin.adapters.sqlite.conversations import SqliteConversationStore
from xin.adapters.sqlite.database import Database
from xin.domain import Turn


def percentile(sorted_values: list[float], q: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(q / 100 * (len(sorted_values) - 1))))
    return sorted_values[index]


def busy(ms: float) -> None:
    """Python work holding the GIL, standing in for a chat turn's retrieval and guards."""
    end = time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        sum(range(200))


def run(
    threads: int, turns: int, separate: bool, work_ms: float, directory: Path
) -> dict[str, float]:
    store = SqliteConversationStore(Database(directory / "bench.db"))
    store.history("warm", "up", 1)  # creates the schema once
    latencies: list[float] = []
    whole_turns: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def chat() -> None:
        session = uuid.uuid4().hex
        mine: list[float] = []
        whole: list[float] = []
        barrier.wait()
        for i in range(turns):
            turn_started = time.perf_counter()
            store.history("t", session, 6)
            busy(work_ms)
            question = Turn("user", f"question {i}", time.time(), {"language": "en"})
            answer = Turn("assistant", f"answer {i} " * 20, time.time(), {"citations": ["c1"]})
            started = time.perf_counter()
            if separate:
                store.append("t", session, question)
                store.append("t", session, answer)
            else:
                store.append_turns("t", session, (question, answer))
            mine.append((time.perf_counter() - started) * 1000)
            whole.append((time.perf_counter() - turn_started) * 1000)
        with lock:
            latencies.extend(mine)
            whole_turns.extend(whole)

    workers = [threading.Thread(target=chat) for _ in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    wall = time.perf_counter() - started
    latencies.sort()
    whole_turns.sort()
    return {
        "threads": threads,
        "turns": len(latencies),
        "separate": separate,
        "work_ms": work_ms,
        "write_p50_ms": percentile(latencies, 50),
        "write_p95_ms": percentile(latencies, 95),
        "write_p99_ms": percentile(latencies, 99),
        "write_max_ms": latencies[-1],
        "write_avg_ms": statistics.fmean(latencies),
        "turn_p50_ms": percentile(whole_turns, 50),
        "turn_p95_ms": percentile(whole_turns, 95),
        "turns_per_s": len(latencies) / wall,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=40, help="concurrent chat turns")
    parser.add_argument("--turns", type=int, default=50, help="turns per thread")
    parser.add_argument("--separate", action="store_true", help="two append calls per turn")
    parser.add_argument(
        "--work-ms", type=float, default=10.0, help="CPU work per turn besides the store"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        figures = run(args.threads, args.turns, args.separate, args.work_ms, Path(directory))
    if args.json:
        print(json.dumps(figures))
    else:
        print(
            f"{figures['turns']} turns, {args.threads} threads, {args.work_ms:g} ms work"
            f"{' (two appends per turn)' if args.separate else ''}: write p50 "
            f"{figures['write_p50_ms']:.2f} · p95 {figures['write_p95_ms']:.2f} · p99 "
            f"{figures['write_p99_ms']:.2f} · max {figures['write_max_ms']:.1f} ms; whole turn "
            f"p50 {figures['turn_p50_ms']:.1f} · p95 {figures['turn_p95_ms']:.1f} ms · "
            f"{figures['turns_per_s']:.0f} turns/s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
