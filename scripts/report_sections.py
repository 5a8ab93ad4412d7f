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
    "of a data dir holding the sample knowledge base, one embedding thread, tracing off. The",
    "ingest event names an object a local stand-in for S3 serves, so its first event really",
    "downloads, parses, chunks, embeds and indexes a document. `scripts/coldstart_phases.py`",
    "splits the time into phases; ADR 0007 covers SnapStart, which skips most of it.",
    "",
]

# Still-valid findings from the hand-written report this one replaced (no figures in them).
COLDSTART_NOTES = [
    "",
    "What was cut, and what is left:",
    "",
    "- `health` in Lambda does not load FastAPI (`xin.lambda_http`; a test holds its responses",
    "  equal to the app's).",
    "- The X-Ray SDK (it builds botocore clients at import) is imported only when tracing is on;",
    "  OpenTelemetry only when an OTLP endpoint is set; Prometheus only when an app builds its",
    "  registry; boto3 only by the functions that download; document parsers only for their own",
    "  file type. Each function imports only its own route modules; nothing is built at import.",
    "- `embedding.threads`: two OpenMP threads on a busy or fractional CPU spin-wait for a core",
    "  and make a query embedding many times slower. Small Lambda functions have at most one",
    "  vCPU: deploy them with `XIN_EMBEDDING__THREADS=1`.",
    "- What remains on every function is the settings model (pydantic), Powertools and numpy;",
    "  `chat` adds FastAPI, the language profiles and its first answer, `ingest` the embedding",
    "  of its document and boto3. SnapStart (the handlers are SnapStart-safe and preload",
    "  during init, `xin.lambda_snapstart`) or provisioned concurrency for `chat` close most of",
    "  the gap to the targets.",
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
        + plot_link(plots, "coldstart", "cold start per function")
        + COLDSTART_NOTES
    )


SECTIONS: tuple[Section, ...] = (chat, load, soak, coldstart, ingestion, retrieval, guard, ablation)
