#!/usr/bin/env python
"""Retrieval ablation on a BEIR dataset (default: the golden set in tests/evals/retrieval).

Runs the same evaluation as ``xin eval retrieval`` (real loader, chunker, embedder, SQLite
store and retriever) under several configurations and prints a Markdown table, or one JSON
object with ``--json``: nDCG@10, Recall@10 and MRR@10 overall, per language and per
query-id half (odd/even: a change worth keeping wins on both), p50 latency, and per-query
nDCG@10 against the first row (queries won/lost, paired sign-flip test p-value).

    .venv/bin/python scripts/retrieval_ablation.py            # every variant
    .venv/bin/python scripts/retrieval_ablation.py --quick    # fewer variants (make bench)
    .venv/bin/python scripts/retrieval_ablation.py --only baseline,mmr-0.7 --json

Index variants (chunk size/overlap, heading context, stemming) each re-ingest the corpus;
retrieval variants (fusion, weights, reranker, MMR) reuse the baseline index. Vectors are
memoised per exact text in ``--cache`` (default ``.xin/ablation-vectors.npz``), so a chunk
text already embedded by an earlier variant or run costs nothing; latency therefore
excludes query embedding. XIN_* environment variables are ignored: built-in defaults and
the YAML overlays are the baseline. Deterministic: the same code gives the same figures.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "evals" / "retrieval"


def _chunks(size: int, overlap: int) -> dict[str, Any]:
    return {"rag": {"chunk_size": size, "chunk_overlap": overlap}}


def variants(quick: bool) -> tuple[list[Any], list[Any], dict[str, list[Any]]]:
    """(index variants, retrieval variants on the baseline index, retrieval variants on
    other indexes by name); the first index variant is the baseline."""
    from xin.evals.ablation import IndexVariant, RetrievalVariant

    sizes = [(600, 90), (1500, 225)] if quick else [(400, 60), (600, 90), (800, 120), (1500, 225)]
    index = [IndexVariant("baseline")]
    index += [IndexVariant(f"chunks-{s}/{o}", _chunks(s, o)) for s, o in sizes]
    if not quick:
        index += [IndexVariant(f"chunks-1000/{o}", _chunks(1000, o)) for o in (0, 300)]
    index += [IndexVariant("no-headings", headings=False), IndexVariant("no-stemming")]
    weights = [0.5, 0.7] if quick else [0.4, 0.5, 0.7, 0.8, 0.9]
    lambdas = [0.7] if quick else [0.5, 0.7, 0.85]
    retrieval = [RetrievalVariant("rrf-60", {"fusion": "rrf", "rrf_k": 60})]
    retrieval += [RetrievalVariant(f"convex-{w}", {"dense_weight": w}) for w in weights]
    retrieval += [RetrievalVariant("no-reranker", {"reranker": "none"})]
    retrieval += [RetrievalVariant(f"mmr-{lam}", {"mmr_lambda": lam}) for lam in lambdas]
    # Small chunks give MMR more near-duplicates (several chunks per section) to push down.
    combos = (
        {} if quick else {"chunks-400/60": [RetrievalVariant("mmr-0.85", {"mmr_lambda": 0.85})]}
    )
    return index, retrieval, combos


class SqliteChunkVectors:
    """Implements ``ChunkVectors`` by reading stored vectors straight from the index file
    (the SQLite store does not expose them yet)."""

    def __init__(self, path: Path) -> None:
        self._conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)

    def chunk_vectors(self, tenant: str, chunk_ids: Sequence[str]) -> np.ndarray:
        marks = ",".join("?" * len(chunk_ids))
        rows = self._conn.execute(
            f"SELECT chunk_id, embedding FROM chunks WHERE tenant = ? AND chunk_id IN ({marks})",
            (tenant, *chunk_ids),
        ).fetchall()
        found = {cid: np.frombuffer(blob, dtype=np.float32) for cid, blob in rows}
        dim = len(next(iter(found.values()))) if found else 1
        return np.vstack([found.get(cid, np.zeros(dim, dtype=np.float32)) for cid in chunk_ids])

    def close(self) -> None:
        self._conn.close()


@contextmanager
def unstemmed_keyword_index() -> Iterator[None]:
    """Keyword index and queries without stemming: FTS5 without its Porter tokenizer and
    Persian words unstemmed (normalisation stays). Ablation only: while the index is built
    and searched, swaps the names the SQLite adapter's modules imported from
    ``xin.rag.text`` (wherever they live) and the FTS5 tokenizer in its schema; fails
    loudly when it finds nothing to swap."""
    import importlib
    import pkgutil

    from xin.adapters import sqlite as package
    from xin.adapters.sqlite import database
    from xin.rag.text import STOPWORDS, query_terms, search_terms, words

    def plain_terms(text: str) -> list[str]:
        return words(text)

    def plain_query_terms(text: str) -> list[str]:
        return list(dict.fromkeys(t for t in words(text) if t not in STOPWORDS))

    modules = [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
    ]
    swaps = [
        (module, name, original, plain)
        for module in modules
        for name, original, plain in (
            ("search_terms", search_terms, plain_terms),
            ("query_terms", query_terms, plain_query_terms),
        )
        if getattr(module, name, None) is original
    ]
    schema = getattr(database, "_SCHEMA", "")
    swapped = {name for _, name, _, _ in swaps}
    if "porter unicode61" not in schema or swapped != {"search_terms", "query_terms"}:
        raise SystemExit("no-stemming: the SQLite adapter changed; update this ablation")
    database._SCHEMA = schema.replace("porter unicode61", "unicode61")
    for module, name, _, plain in swaps:
        setattr(module, name, plain)
    try:
        yield
    finally:
        database._SCHEMA = schema
        for module, name, original, _ in swaps:
            setattr(module, name, original)


def run(dataset_dir: Path, quick: bool, only: set[str], cache: Path | None) -> dict[str, Any]:
    from xin.config import load_settings
    from xin.deps import Container
    from xin.evals.ablation import (
        MemoEmbedder,
        RetrievalVariant,
        built_index,
        figures,
        retriever_for,
    )
    from xin.evals.beir import load_beir
    from xin.evals.retrieval_eval import RetrievalReport, judged_queries, run_queries

    started = time.perf_counter()
    dataset = load_beir(dataset_dir)
    queries = judged_queries(dataset)
    model = Container(load_settings()).embedder
    embedder = MemoEmbedder(model, cache)
    index_variants, retrieval_variants, combos = variants(quick)
    rows: list[dict[str, Any]] = []
    per_query: dict[str, dict[str, float]] = {}
    for number, variant in enumerate(index_variants):
        others = combos.get(variant.name, [])
        searches = [("", None)] + (
            [(f"{variant.name}+{r.name}", r) for r in others]
            if number
            else [(r.name, r) for r in retrieval_variants]
        )
        wanted = [(n, r) for n, r in searches if not only or (n or variant.name) in only]
        if not wanted:
            continue
        patch = unstemmed_keyword_index() if variant.name == "no-stemming" else nullcontext()
        with patch, built_index(dataset, variant, embedder) as index:
            vectors = SqliteChunkVectors(index.sqlite_path)
            for name, retrieval in wanted:
                chosen = retrieval or RetrievalVariant("baseline")
                retriever = retriever_for(index, chosen, vectors)
                results = run_queries(retriever, queries, dataset.qrels)
                report = RetrievalReport(tuple(results), len(dataset.corpus), (), 0, index.ingest_s)
                row: dict[str, Any] = {"variant": name or variant.name, **figures(report)}
                row["ingest_s"] = round(index.ingest_s, 2)
                per_query[row["variant"]] = {r.query_id: r.metrics["ndcg@10"] for r in results}
                rows.append(row)
                print(f"{row['variant']}: nDCG@10 {row['all']['ndcg@10']}", file=sys.stderr)
            vectors.close()
        embedder.save()
    return {
        "dataset": str(dataset_dir),
        "quick": quick,
        "queries": len(queries),
        "docs": len(dataset.corpus),
        "embedded_texts": embedder.computed,
        "elapsed_s": round(time.perf_counter() - started, 1),
        "variants": [{**row, "vs_first": paired(per_query, rows[0], row)} for row in rows],
    }


def paired(
    per_query: dict[str, dict[str, float]], first: dict[str, Any], row: dict[str, Any]
) -> dict[str, float | int]:
    """Per-query nDCG@10 of ``row`` against the first row: queries won and lost, the mean
    difference, and a two-sided paired randomisation (sign-flip) test's p-value."""
    base, other = per_query[first["variant"]], per_query[row["variant"]]
    diffs = np.array([other[q] - base[q] for q in base if q in other])
    if not len(diffs) or not diffs.any():
        return {"wins": 0, "losses": 0, "mean_diff": 0.0, "p": 1.0}
    signs = np.random.default_rng(0).choice((-1.0, 1.0), size=(20_000, len(diffs)))
    flipped = np.abs((signs * diffs).mean(axis=1))
    p = float((flipped >= abs(diffs.mean()) - 1e-12).mean())
    return {
        "wins": int((diffs > 1e-9).sum()),
        "losses": int((diffs < -1e-9).sum()),
        "mean_diff": round(float(diffs.mean()), 4),
        "p": round(p, 3),
    }


def markdown_table(result: dict[str, Any]) -> str:
    head = (
        "| variant | nDCG@10 all | en | fa | odd | even | R@10 all | en | fa "
        "| MRR@10 all | en | fa | docs@5 | p50 ms | won/lost vs first | p |"
    )
    lines = [head, "|" + "---|" * 17]
    for row in result["variants"]:
        cells = [row["variant"]]
        cells += [_cell(row, g, "ndcg@10") for g in ("all", "en", "fa", "odd", "even")]
        cells += [_cell(row, g, "recall@10") for g in ("all", "en", "fa")]
        cells += [_cell(row, g, "mrr@10") for g in ("all", "en", "fa")]
        cells.append(f"{row['all']['docs@5']:.2f}")
        cells.append(f"{row['all']['p50_ms']:.1f}")
        versus = row.get("vs_first", {})
        cells.append(f"{versus.get('wins', 0)}/{versus.get('losses', 0)}")
        cells.append(f"{versus.get('p', 1.0):.2f}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _cell(row: dict[str, Any], group: str, key: str) -> str:
    return f"{row[group][key]:.3f}" if group in row else "-"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", type=Path, default=GOLDEN)
    parser.add_argument("--quick", action="store_true", help="fewer variants (for make bench)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--only", default="", help="comma-separated variant names")
    parser.add_argument("--cache", type=Path, default=REPO / ".xin" / "ablation-vectors.npz")
    parser.add_argument("--no-cache", action="store_true", help="do not read or write --cache")
    args = parser.parse_args(argv)
    for name in [n for n in os.environ if n.startswith("XIN_") or n == "APP_ENV"]:
        del os.environ[name]
    only = {n.strip() for n in args.only.split(",") if n.strip()}
    result = run(args.dataset, args.quick, only, None if args.no_cache else args.cache)
    if args.json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
    else:
        sys.stdout.write(markdown_table(result) + "\n")
        sys.stdout.write(f"\n{result['queries']} queries, {result['elapsed_s']} s\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
