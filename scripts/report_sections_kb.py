"""The sections of docs/benchmarks.md about the knowledge base: ingestion, retrieval at
scale, guard and redaction, retrieval quality. Same contract as ``report_sections``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scripts.report_format import fmt, plot_link, table, unavailable
from scripts.report_targets import step_result


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
    if isinstance(sizes, Mapping) and sizes.get("sizes"):
        total = fmt(sizes.get("total_kb"))
        lines += ["", f"By document size (the same {total} KB of text cut into documents of"]
        lines += ["one size each, a cold ingest into a fresh store per size):", ""]
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
    return lines + plot_link(plots, "ingest_sizes", "ingestion KB/s vs document size")


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
    result = step_result(results, "retrieval")
    scales = result.get("scales") if isinstance(result, Mapping) else None
    if not isinstance(scales, list) or not all(isinstance(x, Mapping) for x in scales):
        lines += ["`scripts/bench_retrieval.py`: the SQLite store at scale.", ""]
        return lines + _generic(result) + unavailable(results, "retrieval")
    kinds = sorted({str(x.get("vectors", "?")) for x in scales})
    sizes = ", ".join(fmt(x.get("chunks")) for x in scales)
    lines += [
        f"`scripts/bench_retrieval.py`: {sizes} chunks with {' and '.join(kinds)} vectors",
        "inserted straight into the SQLite store, then hybrid retrieval (BM25 + exact dense",
        "search + fusion + reranker) timed per query with a precomputed query vector (query",
        "embedding not included); each scale in its own process.",
        "",
    ]

    def pair(scale: Mapping[str, Any], part: str) -> str:
        timing = scale.get(part)
        timing = timing if isinstance(timing, Mapping) else {}
        return f"{fmt(timing.get('p50_ms'))} / {fmt(timing.get('p95_ms'))}"

    head = ["chunks", "insert KB/s", "store MB", "peak RSS MB", "matrix load ms"]
    head += ["hybrid p50 / p95 ms", "keyword p50 / p95 ms", "dense p50 / p95 ms"]
    keys = ("chunks", "insert_kb_per_s", "store_mb", "peak_rss_mb", "matrix_load_ms")
    rows = [
        [*(x.get(k) for k in keys), pair(x, "query"), pair(x, "keyword"), pair(x, "dense")]
        for x in scales
    ]
    return lines + table(head, rows) + unavailable(results, "retrieval")


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
    result = step_result(results, "ablation")
    quick = " --quick" if isinstance(result, Mapping) and result.get("quick") else ""
    size = ""
    if isinstance(result, Mapping) and result.get("queries") is not None:
        size = f" ({fmt(result.get('queries'))} queries, {fmt(result.get('docs'))} documents)"
    lines += [
        f"`scripts/retrieval_ablation.py{quick}`: the golden retrieval set{size} under several",
        "configurations (nDCG@10, Recall@10, MRR@10; p50 excludes query embedding).",
        "",
    ]
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
