"""The sections of docs/benchmarks.md about the server: chat latency, Locust load, soak, and
cold starts. A section takes the results JSON and the written plots and returns Markdown
lines; the prose is fixed text without figures, every number comes from the results.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from scripts.report_format import fmt, plot_link, runs_of, table, unavailable
from scripts.report_sections_kb import ablation, guard, ingestion, retrieval
from scripts.report_targets import step_result

Section = Callable[[Mapping[str, Any], Mapping[str, str]], list[str]]


def _errors(run: Mapping[str, Any]) -> str:
    """The error count, with its HTTP statuses (or exception names) when perf_bench gave them."""
    by_status = run.get("errors_by_status")
    detail = ", ".join(f"{k}: {v}" for k, v in by_status.items()) if by_status else ""
    return f"{fmt(run.get('errors'))} ({detail})" if detail else fmt(run.get("errors"))


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
        for run in runs_of(step_result(results, step)):
            rows.append(
                [
                    label,
                    run.get("concurrency"),
                    run.get("requests"),
                    _errors(run),
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
    return lines + plot_link(plots, "latency", "chat latency percentiles vs concurrency")


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
            "RSS baseline MiB",
            "RSS end MiB",
            "RSS peak MiB",
            "growth %",
        ]
        lines += table(head, rows)
    return (
        lines
        + unavailable(results, "soak")
        + plot_link(plots, "soak_rss", "server RSS during the soak")
    )


COLDSTART_PROSE = [
    "What a Lambda function pays before its first answer (`scripts/coldstart.py`): a fresh",
    "interpreter imports `functions/<name>/handler.py` and serves its first event from",
    "`tests/events/`. The figure is the median wall time over fresh interpreters minus the",
    "median of a bare one (`python -c pass`); CPU is user + sys of the whole process and moves",
    "much less than wall time when other work shares the machine. Each run gets a fresh copy",
    "of a data dir holding the sample knowledge base. The ingest event names an object a local",
    "stand-in for S3 serves, so its first event really downloads, parses, chunks, embeds and",
    "indexes a document. `scripts/coldstart_phases.py` splits the time into phases; ADR 0019",
    "(cold-start budget) says what was cut and why, ADR 0007 covers SnapStart.",
    "",
]


def _coldstart_setup(result: Mapping[str, Any]) -> str:
    threads, xray = result.get("embedding_threads"), result.get("xray")
    parts = [
        f"Runs per function: {fmt(result.get('runs'))}",
        f"bare interpreter {fmt(result.get('bare_ms'))} ms",
    ]
    if threads is not None:
        parts.append(f"embedding threads: {threads}")
    if xray is not None:
        parts.append("X-Ray tracing on" if xray else "tracing off")
    return "; ".join(parts) + "."


def _coldstart_findings(rows: list[Mapping[str, Any]]) -> list[str]:
    """One sentence per function, every figure and verdict read from its row."""
    lines = []
    for r in rows:
        median, target = r.get("median_ms"), r.get("target_ms")
        if not isinstance(median, int | float):
            continue
        sentence = f"- `{r.get('function')}`: {fmt(median)} ms"
        if isinstance(target, int | float) and target > 0:
            verdict = "within it" if median <= target else f"{median / target:.1f}x the target"
            sentence += f" against a {fmt(target)} ms target ({verdict})"
        first, imports = r.get("first_event_ms"), r.get("import_ms")
        if isinstance(first, int | float) and isinstance(imports, int | float) and median > 0:
            larger = "its first event" if first >= imports else "importing its handler"
            sentence += (
                f"; importing the handler took {fmt(imports)} ms and the first event"
                f" {fmt(first)} ms, so {larger} dominates"
            )
        lines.append(sentence + ".")
    return ["", *lines] if lines else []


def coldstart(results: Mapping[str, Any], plots: Mapping[str, str]) -> list[str]:
    lines = ["## Cold start", "", *COLDSTART_PROSE]
    result = step_result(results, "coldstart")
    rows = result.get("results", []) if isinstance(result, Mapping) else []
    rows = [r for r in rows if isinstance(r, Mapping)]
    if rows:
        lines += [_coldstart_setup(result), ""]
        lines += table(
            [
                "function",
                "target ms",
                "median ms",
                "min",
                "max",
                "CPU ms",
                "import ms",
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
                    r.get("import_ms"),
                    r.get("first_event_ms"),
                    r.get("within_target"),
                ]
                for r in rows
            ],
        )
        lines += _coldstart_findings(rows)
    return (
        lines
        + unavailable(results, "coldstart")
        + plot_link(plots, "coldstart", "cold start per function")
    )


SECTIONS: tuple[Section, ...] = (chat, load, soak, coldstart, ingestion, retrieval, guard, ablation)
