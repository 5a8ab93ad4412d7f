"""The sections of docs/benchmarks.md, one function per benchmark, each from the results JSON.

A section function takes the results and the written plots and returns Markdown lines. The
prose is fixed text with no figures in it; every number comes from the results.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from scripts.report_targets import step_result

Section = Callable[[Mapping[str, Any], Mapping[str, str]], list[str]]


def fmt(value: Any) -> str:
    """A figure for a table: ``—`` when absent, fewer decimals as numbers grow."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and math.isfinite(value):
        digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2 if abs(value) >= 1 else 3
        return f"{value:.{digits}f}"
    if value is None or isinstance(value, float):  # absent, NaN or infinite
        return "—"
    return str(value)


def table(head: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(fmt(cell) for cell in row) + " |" for row in rows]
    return lines


def unavailable(results: Mapping[str, Any], step: str) -> list[str]:
    """Why a step has no figures (empty when it has)."""
    entry = results.get("steps", {}).get(step)
    if entry is None:
        return ["", f"_Not run in this report (step `{step}`)._"]
    if entry.get("status") == "ok" and entry.get("result") is not None:
        return []
    why = str(entry.get("error") or "").strip().splitlines()
    reason = f": {why[-1][:200]}" if why else ""
    return ["", f"_Not measured: step `{step}` {entry.get('status', '?')}{reason}._"]


def _plot(plots: Mapping[str, str], name: str, alt: str) -> list[str]:
    return ["", f"![{alt}]({plots[name]})"] if name in plots else []


def _runs(result: Any) -> list[Mapping[str, Any]]:
    if not isinstance(result, Mapping):
        return []
    runs = result.get("runs", [result])
    return [r for r in runs if isinstance(r, Mapping)] if isinstance(runs, list) else []


def chat(results: Mapping[str, Any], plots: Mapping[str, str]) -> list[str]:
    lines = ["## Chat latency", ""]
    lines += [
        "`scripts/perf_bench.py`: closed-loop clients (one request at a time each) posting to",
        "`/chat` on a local `xin serve` over the sample knowledge base, English and Persian",
        "questions, some answered by the documents and some not. *Unique questions* carry a",
        "counter so no cache can answer them; *repeated questions* cycle through a fixed list,",
        "as a popular FAQ would. Latency is client-side wall time per request.",
        "",
    ]
    rows = []
    for step, label in (("chat_latency", "unique"), ("chat_cached", "repeated")):
        for run in _runs(step_result(results, step)):
            rows.append(
                [
                    label,
                    run.get("concurrency"),
                    run.get("requests"),
                    run.get("errors"),
                    run.get("p50_ms"),
                    run.get("p95_ms"),
                    run.get("p99_ms"),
                    run.get("avg_ms"),
                    run.get("rps"),
                ]
            )
    if rows:
        head = [
            "questions",
            "concurrency",
            "requests",
            "errors",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "mean ms",
            "req/s",
        ]
        lines += table(head, rows)
    lines += unavailable(results, "chat_latency") + unavailable(results, "chat_cached")
    return lines + _plot(plots, "latency", "chat latency percentiles vs concurrency")


def load(results: Mapping[str, Any], plots: Mapping[str, str]) -> list[str]:
    lines = ["## Load (Locust)", ""]
    result = step_result(results, "load")
    if isinstance(result, Mapping):
        weights = ", ".join(f"{k} {v}" for k, v in result.get("weights", {}).items())
        lines += [
            f"`tests/load/locustfile.py`, {result.get('profile')} profile (weights: {weights}),",
            f"{fmt(result.get('users'))} users spawned at {fmt(result.get('spawn_rate'))}/s for"
            f" {fmt(result.get('duration_s'))} s; each user waits between its requests. Figures"
            " from Locust's final CSV only.",
            "",
        ]
        rows = [
            [
                name,
                r.get("requests"),
                r.get("failures"),
                r.get("median_ms"),
                r.get("p95_ms"),
                r.get("p99_ms"),
                r.get("rps"),
            ]
            for name, r in [
                *result.get("requests", {}).items(),
                ("**total**", result.get("total", {})),
            ]
        ]
        lines += table(
            ["request", "count", "failures", "median ms", "p95 ms", "p99 ms", "req/s"], rows
        )
    return lines + unavailable(results, "load")


def soak(results: Mapping[str, Any], plots: Mapping[str, str]) -> list[str]:
    lines = ["## Soak", ""]
    result = step_result(results, "soak")
    if isinstance(result, Mapping):
        lines += [
            "Constant chat and health load (no ingestion, so the index does not grow) while the",
            "server's resident set size is sampled; growth compares the median of the last minute",
            "with the median of the first minute after the warm-up.",
            "",
        ]
        rows = [
            [
                result.get(k)
                for k in (
                    "duration_s",
                    "users",
                    "requests",
                    "errors",
                    "rps",
                    "p95_ms",
                    "baseline_mb",
                    "final_mb",
                    "peak_mb",
                    "growth_pct",
                )
            ]
        ]
        head = [
            "seconds",
            "users",
            "requests",
            "errors",
            "req/s",
            "p95 ms",
            "RSS start MiB",
            "RSS end MiB",
            "RSS peak MiB",
            "growth %",
        ]
        lines += table(head, rows)
    return (
        lines
        + unavailable(results, "soak")
        + _plot(plots, "soak_rss", "server RSS during the soak")
    )


COLDSTART_PROSE = [
    "What a Lambda function pays before its first answer (`scripts/coldstart.py`): a fresh",
    "interpreter imports `functions/<name>/handler.py` and serves its first event from",
    "`tests/events/`. The figure is the median wall time over fresh interpreters minus the",
    "median of a bare one (`python -c pass`); CPU is user + sys of the whole process and moves",
    "much less than wall time when other work shares the machine. Each run gets a fresh copy",
    "of a data dir holding the sample knowledge base, one embedding thread, tracing off. The",
    "ingest event names an object a local stand-in for S3 serves, so its first event really",
    "downloads, parses, chunks, embeds and indexes a document. `scripts/coldstart_phases.py`",
    "splits the time into phases; ADR 0007 covers SnapStart, which skips most of it.",
    "",
]


def coldstart(results: Mapping[str, Any], plots: Mapping[str, str]) -> list[str]:
    lines = ["## Cold start", "", *COLDSTART_PROSE]
    result = step_result(results, "coldstart")
    rows = result.get("results", []) if isinstance(result, Mapping) else []
    if rows:
        runs, bare = fmt(result.get("runs")), fmt(result.get("bare_ms"))
        lines += [f"Runs per function: {runs}; bare interpreter {bare} ms.", ""]
        lines += table(
            [
                "function",
                "target ms",
                "median ms",
                "min",
                "max",
                "CPU ms",
                "first event ms",
                "within target",
            ],
            [
                [
                    r.get("function"),
                    r.get("target_ms"),
                    r.get("median_ms"),
                    r.get("min_ms"),
                    r.get("max_ms"),
                    r.get("cpu_ms"),
                    r.get("first_event_ms"),
                    r.get("within_target"),
                ]
                for r in rows
            ],
        )
    return (
        lines
        + unavailable(results, "coldstart")
        + _plot(plots, "coldstart", "cold start per function")
    )


def ingestion(results: Mapping[str, Any], plots: Mapping[str, str]) -> list[str]:
    lines = ["## Ingestion", ""]
    lines += [
        "`scripts/bench_ingest.py`: read, parse, chunk, detect language, embed (the local",
        "multilingual model) and store, into a fresh SQLite store; then one paragraph of every",
        "file is edited and the set ingested again. KB are source-file bytes.",
        "",
    ]
    result = step_result(results, "ingest")
    if isinstance(result, Mapping):
        phases = [p for p in ("cold", "edited") if isinstance(result.get(p), Mapping)]
        lines += table(
            ["phase", "KB", "documents", "chunks", "seconds", "KB/s", "KB per CPU-s"],
            [
                [
                    p,
                    *(
                        result[p].get(k)
                        for k in ("kb", "docs", "chunks", "seconds", "kb_per_s", "kb_per_cpu_s")
                    ),
                ]
                for p in phases
            ],
        )
        lines += [
            "",
            f"Embedder `{result.get('embedder')}`, {fmt(result.get('threads'))} threads,"
            f" peak RSS {fmt(result.get('peak_rss_mb'))} MB.",
        ]
    lines += unavailable(results, "ingest")
    sizes = step_result(results, "ingest_sizes")
    lines += ["", "By document size (same text cut into documents of one size each):", ""]
    if isinstance(sizes, Mapping) and sizes.get("sizes"):
        lines += table(
            ["document KB", "documents", "chunks", "seconds", "KB/s", "KB per CPU-s"],
            [
                [
                    s.get("doc_kb"),
                    s.get("docs"),
                    s.get("chunks"),
                    s.get("seconds"),
                    s.get("kb_per_s"),
                    s.get("kb_per_cpu_s"),
                ]
                for s in sizes["sizes"]
            ],
        )
    lines += unavailable(results, "ingest_sizes")
    return lines + _plot(plots, "ingest_sizes", "ingestion KB/s vs document size")


def _generic(result: Any) -> list[str]:
    """A table for any list of flat objects in ``result`` (scripts that evolve stay readable)."""
    rows = (
        result
        if isinstance(result, list)
        else next(
            (v for v in result.values() if isinstance(v, list) and v and isinstance(v[0], Mapping)),
            None,
        )
        if isinstance(result, Mapping)
        else None
    )
    if not rows:
        if isinstance(result, Mapping):
            flat = [[k, v] for k, v in result.items() if not isinstance(v, Mapping | list)]
            return table(["figure", "value"], flat)
        return []
    keys = [k for k in rows[0] if not isinstance(rows[0][k], Mapping | list)]
    return table(keys, [[r.get(k) for k in keys] for r in rows])


def retrieval(results: Mapping[str, Any], plots: Mapping[str, str]) -> list[str]:
    lines = ["## Retrieval at scale", ""]
    lines += [
        "`scripts/bench_retrieval.py --quick`: synthetic chunks inserted straight into the SQLite",
        "store, then hybrid retrieval (BM25 + exact dense search + fusion + reranker) timed per",
        "query with a precomputed query vector (query embedding not included).",
        "",
    ]
    return lines + _generic(step_result(results, "retrieval")) + unavailable(results, "retrieval")


def guard(results: Mapping[str, Any], plots: Mapping[str, str]) -> list[str]:
    lines = ["## Guard and redaction", ""]
    lines += [
        "`scripts/bench_guard.py`: the input guard and PII redaction over the guard and PII",
        "development sets (and the injection corpus when installed), per message, in process.",
        "",
    ]
    result = step_result(results, "guard")
    if isinstance(result, Mapping):
        lines += [
            f"{fmt(result.get('messages'))} messages,"
            f" mean {fmt(result.get('mean_chars'))} characters;"
            f" import {fmt(result.get('import_ms'))} ms,"
            f" first-call warm-up {fmt(result.get('warmup_ms'))} ms.",
            "",
        ]
        names = [
            n
            for n in ("guard", "redaction", "guard_and_redaction")
            if isinstance(result.get(n), Mapping)
        ]
        lines += table(
            ["", "median ms", "p95 ms", "max ms", "CPU median ms", "CPU p95 ms"],
            [
                [
                    n.replace("_", " "),
                    *(
                        result[n].get(k)
                        for k in ("median_ms", "p95_ms", "max_ms", "cpu_median_ms", "cpu_p95_ms")
                    ),
                ]
                for n in names
            ],
        )
    return lines + unavailable(results, "guard")


def ablation(results: Mapping[str, Any], plots: Mapping[str, str]) -> list[str]:
    lines = ["## Retrieval quality (ablation)", ""]
    lines += [
        "`scripts/retrieval_ablation.py --quick`: the golden retrieval set under several",
        "configurations (nDCG@10, Recall@10, MRR@10; p50 excludes query embedding).",
        "",
    ]
    result = step_result(results, "ablation")
    variants = result.get("variants") if isinstance(result, Mapping) else None
    if isinstance(variants, list) and variants:

        def metric(row: Mapping[str, Any], group: str, key: str) -> Any:
            value = row.get(group)
            return value.get(key) if isinstance(value, Mapping) else None

        rows = [
            [
                v.get("variant"),
                metric(v, "all", "ndcg@10"),
                metric(v, "en", "ndcg@10"),
                metric(v, "fa", "ndcg@10"),
                metric(v, "all", "recall@10"),
                metric(v, "all", "mrr@10"),
                metric(v, "all", "p50_ms"),
            ]
            for v in variants
            if isinstance(v, Mapping)
        ]
        lines += table(
            ["variant", "nDCG@10", "nDCG@10 en", "nDCG@10 fa", "R@10", "MRR@10", "p50 ms"], rows
        )
    return lines + unavailable(results, "ablation")


SECTIONS: tuple[Section, ...] = (chat, load, soak, coldstart, ingestion, retrieval, guard, ablation)
