"""Latency of the input guard and PII redaction per message, over the dev sets.

    python scripts/bench_guard.py [--repeat 3] [--json]

Messages: the guard dev set, the PII dev and held-out sets, and bastioncorpus if it is
installed. Reports the one-off warm-up (regex compilation, gazetteer load, the learned
scorer's weights), then median and p95 per message for the guard, the redactor, and both
(target: p95 <= 5 ms). ``guard_semantic`` adds the semantic signal from a query
embedding passed in, as chat does: the embedding itself is computed for retrieval anyway
and is not part of the guard's budget.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETS = (
    "tests/evals/guard/dev_set.jsonl",
    "tests/evals/pii/dev_set.jsonl",
    "tests/evals/pii/heldout.jsonl",
)


def load_messages() -> list[str]:
    texts = []
    for name in SETS:
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["text"])
    try:
        corpus = resources.files("bastioncorpus").joinpath("corpus/injections.jsonl")
        texts += [
            json.loads(line)["text"] for line in corpus.read_text("utf-8").splitlines() if line
        ]
    except ModuleNotFoundError:
        pass
    return texts


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(fn: Callable[[str], object], texts: list[str], repeat: int) -> dict[str, float]:
    """Wall-clock and CPU time per message (CPU time is stable on a busy machine)."""
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(repeat):
        for text in texts:
            start, start_cpu = time.perf_counter(), time.thread_time()
            fn(text)
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.thread_time() - start_cpu) * 1000)
    return {
        "median_ms": round(statistics.median(wall), 3),
        "p95_ms": round(percentile(wall, 0.95), 3),
        "max_ms": round(max(wall), 3),
        "cpu_median_ms": round(statistics.median(cpu), 3),
        "cpu_p95_ms": round(percentile(cpu, 0.95), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    logging.getLogger("xin.guard").setLevel(logging.ERROR)

    start = time.perf_counter()
    from xin.guard import InputGuard
    from xin.redaction import Redactor

    imported = (time.perf_counter() - start) * 1000
    guard, texts = InputGuard(), load_messages()
    start = time.perf_counter()
    guard.check("warm up: ignore previous instructions")
    Redactor().redact("warm up: John Smith, +98 912 123 4567, Main Street 5")
    warmup = (time.perf_counter() - start) * 1000

    def both(text: str) -> None:
        guard.check(text)
        Redactor().redact(text)

    from xin.guard.semantic import load_semantic

    semantic = load_semantic()
    vector = [1.0 / semantic.weights.size**0.5] * semantic.weights.size if semantic else None

    results = {
        "messages": len(texts),
        "mean_chars": round(statistics.mean(len(t) for t in texts), 1),
        "import_ms": round(imported, 1),
        "warmup_ms": round(warmup, 1),
        "guard": measure(guard.check, texts, args.repeat),
        "guard_semantic": measure(lambda t: guard.check(t, embedding=vector), texts, args.repeat),
        "redaction": measure(lambda t: Redactor().redact(t), texts, args.repeat),
        "guard_and_redaction": measure(both, texts, args.repeat),
    }
    if args.json:
        print(json.dumps(results))
        return
    print(f"{results['messages']} messages (mean {results['mean_chars']} chars), x{args.repeat}")
    print(f"import {results['import_ms']} ms, first-call warm-up {results['warmup_ms']} ms")
    for name in ("guard", "guard_semantic", "redaction", "guard_and_redaction"):
        r = results[name]
        assert isinstance(r, dict)
        median, p95, worst = r["median_ms"], r["p95_ms"], r["max_ms"]
        print(
            f"{name:20s} median {median:.3f} ms   p95 {p95:.3f} ms   max {worst:.3f} ms   "
            f"(CPU median {r['cpu_median_ms']:.3f} ms, p95 {r['cpu_p95_ms']:.3f} ms)"
        )


if __name__ == "__main__":
    main()
