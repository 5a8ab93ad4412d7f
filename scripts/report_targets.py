"""The performance targets of the issues, checked against a benchmark results JSON.

Each target reads one figure from ``benchmarks/results.json`` (written by
``scripts/bench_all.py``); a figure that is absent — the step was missing, failed or timed
out — gives "not measured", never a verdict.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Results = Mapping[str, Any]
Extractor = Callable[[Results], float | None]
CHAT_USERS = 50  # the "50 concurrent users"
COLDSTART_TARGETS_MS = {"health": 150.0, "chat": 400.0, "ingest": 600.0}  # the functions issue

MET, NOT_MET, NOT_MEASURED = "met", "not met", "not measured"


def step_result(results: Results, step: str) -> Any:
    """The parsed output of ``step``, or None when it did not run to a result."""
    entry = results.get("steps", {}).get(step)
    if not isinstance(entry, Mapping) or entry.get("status") != "ok":
        return None
    return entry.get("result")


def dig(value: Any, *path: str | int) -> float | None:
    """``value[path[0]][path[1]]...`` as a float, or None if any part is missing."""
    for key in path:
        in_list = (
            isinstance(key, int) and isinstance(value, list) and -len(value) <= key < len(value)
        )
        in_map = isinstance(key, str) and isinstance(value, Mapping) and key in value
        if not (in_list or in_map):
            return None
        value = value[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def chat_run(results: Results, step: str, concurrency: int) -> Mapping[str, Any] | None:
    """The perf_bench run of ``step`` at ``concurrency`` (one object or ``{"runs": [...]}``)."""
    result = step_result(results, step)
    if not isinstance(result, Mapping):
        return None
    runs = result.get("runs", [result])
    for run in runs if isinstance(runs, list) else []:
        if isinstance(run, Mapping) and run.get("concurrency") == concurrency:
            return run
    return None


def _chat(step: str, key: str) -> Extractor:
    def extract(results: Results) -> float | None:
        run = chat_run(results, step, CHAT_USERS)
        return None if run is None else dig(run, key)

    return extract


def _at(step: str, *path: str | int) -> Extractor:
    return lambda results: dig(step_result(results, step), *path)


def coldstart_function(results: Results, name: str) -> Mapping[str, Any] | None:
    result = step_result(results, "coldstart")
    rows = result.get("results") if isinstance(result, Mapping) else None
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, Mapping) and row.get("function") == name:
            return row
    return None


def _coldstart(name: str) -> Extractor:
    def extract(results: Results) -> float | None:
        row = coldstart_function(results, name)
        return None if row is None else dig(row, "median_ms")

    return extract


@dataclass(frozen=True)
class Target:
    name: str
    unit: str
    op: str  # "<=", "<", ">=" or "=="
    threshold: float
    extract: Extractor
    source: str  # which step measures it

    def check(self, results: Results) -> dict[str, Any]:
        measured = self.extract(results)
        compare: Callable[[float, float], bool] = {
            "<=": operator.le,
            "<": operator.lt,
            ">=": operator.ge,
            "==": operator.eq,
        }[self.op]
        verdict = (
            NOT_MEASURED
            if measured is None
            else MET
            if compare(measured, self.threshold)
            else NOT_MET
        )
        return {
            "target": self.name,
            "goal": f"{self.op} {self.threshold:g} {self.unit}".strip(),
            "measured": measured,
            "unit": self.unit,
            "verdict": verdict,
            "source": self.source,
        }


# Issue #10 (benchmarks) and the functions issue (cold starts, per function).
TARGETS: tuple[Target, ...] = (
    Target(
        "chat p95, 50 concurrent, unique questions",
        "ms",
        "<=",
        100,
        _chat("chat_latency", "p95_ms"),
        "chat_latency",
    ),
    Target(
        "chat throughput, 50 concurrent, unique questions",
        "req/s",
        ">=",
        150,
        _chat("chat_latency", "rps"),
        "chat_latency",
    ),
    Target(
        "chat errors, 50 concurrent, unique questions",
        "",
        "==",
        0,
        _chat("chat_latency", "errors"),
        "chat_latency",
    ),
    Target(
        "chat p95, 50 concurrent, repeated questions",
        "ms",
        "<=",
        100,
        _chat("chat_cached", "p95_ms"),
        "chat_cached",
    ),
    Target(
        "chat throughput, 50 concurrent, repeated questions",
        "req/s",
        ">=",
        150,
        _chat("chat_cached", "rps"),
        "chat_cached",
    ),
    Target(
        "chat errors, 50 concurrent, repeated questions",
        "",
        "==",
        0,
        _chat("chat_cached", "errors"),
        "chat_cached",
    ),
    Target("soak errors", "", "==", 0, _at("soak", "errors"), "soak"),
    Target("soak RSS growth", "%", "<", 10, _at("soak", "growth_pct"), "soak"),
    Target(
        "ingestion throughput, end to end",
        "KB/s",
        ">=",
        50,
        _at("ingest", "cold", "kb_per_s"),
        "ingest",
    ),
    *(
        Target(f"cold start: {name} (median)", "ms", "<=", goal, _coldstart(name), "coldstart")
        for name, goal in COLDSTART_TARGETS_MS.items()
    ),
    Target(
        "guard + redaction p95 per message",
        "ms",
        "<=",
        5,
        _at("guard", "guard_and_redaction", "p95_ms"),
        "guard",
    ),
)


def evaluate(results: Results, targets: tuple[Target, ...] = TARGETS) -> list[dict[str, Any]]:
    """Every target with its measured figure and verdict."""
    return [target.check(results) for target in targets]
