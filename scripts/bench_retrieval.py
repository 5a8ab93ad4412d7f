"""Scale benchmark for the SQLite store: build, size, memory and query latency at N chunks.

    python scripts/bench_retrieval.py                    # 10k and 100k chunks
    python scripts/bench_retrieval.py --quick --json     # 10k chunks, < 2 min, one JSON object
    python scripts/bench_retrieval.py --chunks 100000 --keep /tmp/xin-bench   # reuse the build

Each scale runs in its own process (so peak RSS is that scale's). Chunks are synthetic
English-like text (Zipf-distributed words, ~700 characters, 20 chunks per document) with
**synthetic random unit vectors** inserted through ``SqliteVectorStore.replace_document``
(text normalisation, FTS5 and SQLite, no embedder): e5-small embeds a few KB/s on this
machine, so 100k real vectors would take hours. ``insert_kb_per_s`` is therefore the store's
rate, not ingestion's; end-to-end ingestion (parse + chunk + real e5-small embedding +
store) is measured separately on real text (``docs/``) by ``scripts/bench_ingest.py`` and
included here as ``ingest`` (skip with ``--ingest-kb 0``).

Query latency times ``HybridRetriever.retrieve`` (BM25 + exact dense search + convex fusion
+ feature reranker, result cache off) with a precomputed query vector, so it excludes the
query embedding (~45 ms for e5-small, cached for repeated queries); keyword and dense
searches are also timed alone. The first dense query, which loads the tenant's matrix, is
reported as ``matrix_load_ms`` and left out of the percentiles.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from xin.adapters.sqlite.database import Database
from xin.adapters.sqlite.store import SqliteVectorStore
from xin.domain import Chunk, DocumentRecord
from xin.rag.rerank import FeatureReranker
from xin.rag.retrieval import HybridRetriever

DIM = 384
PER_DOC = 20
WORDS_PER_CHUNK = 120
VOCAB = 5000
TENANT = "bench"


class FixedEmbedder:
    """Query vectors looked up from a precomputed table (no model in the timed path)."""

    model_id = "bench/384"
    dimension = DIM

    def __init__(self, vectors: dict[str, np.ndarray]) -> None:
        self._vectors = vectors

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        raise NotImplementedError

    def embed_query(self, text: str) -> np.ndarray:
        return self._vectors[text]


def unit_rows(rng: np.random.Generator, n: int) -> np.ndarray:
    rows = rng.standard_normal((n, DIM)).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    return rows


def build(store: SqliteVectorStore, n: int, rng: np.random.Generator) -> tuple[float, float]:
    """Insert ``n`` synthetic chunks; return (seconds, KB of chunk text)."""
    zipf = 1.0 / np.arange(1, VOCAB + 1)
    zipf /= zipf.sum()
    store.ensure_model(FixedEmbedder.model_id, DIM)
    started, total = time.perf_counter(), 0
    for d in range(n // PER_DOC):
        ids = rng.choice(VOCAB, size=(PER_DOC, WORDS_PER_CHUNK), p=zipf)
        texts = [" ".join(f"w{i}" for i in row) for row in ids]
        total += sum(len(t) for t in texts)
        doc_id = f"doc{d}"
        chunks = [Chunk(f"{doc_id}:{i}", doc_id, TENANT, i, t) for i, t in enumerate(texts)]
        record = DocumentRecord(doc_id, TENANT, f"{doc_id}.md", doc_id, "h", PER_DOC, 0.0)
        store.replace_document(record, chunks, unit_rows(rng, PER_DOC))
    return time.perf_counter() - started, total / 1024


def percentiles(fn: Callable[[str], object], queries: list[str]) -> dict[str, float]:
    """Wall-clock p50/p95 and the same for this thread's CPU time (the search is single-
    threaded, so CPU time is what it would take on an idle core; wall time includes waiting
    for a core when other processes hold them)."""
    wall, cpu = [], []
    for query in queries:
        started, cpu_started = time.perf_counter(), time.thread_time()
        fn(query)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - cpu_started) * 1000)
    p50, p95 = np.percentile(wall, [50, 95])
    c50, c95 = np.percentile(cpu, [50, 95])
    return {
        "p50_ms": round(float(p50), 1),
        "p95_ms": round(float(p95), 1),
        "cpu_p50_ms": round(float(c50), 1),
        "cpu_p95_ms": round(float(c95), 1),
    }


def one_scale(n: int, queries: int, keep: Path | None) -> dict[str, object]:
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as tmp:
        folder = keep / f"{n}" if keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        database = Database(folder / "bench.db")
        store = SqliteVectorStore(database)
        report: dict[str, object] = {"chunks": n, "vectors": "synthetic"}
        if len(store.list_documents(TENANT)) * PER_DOC != n:
            seconds, kb = build(store, n, rng)
            report |= {"build_s": round(seconds, 1), "insert_kb_per_s": round(kb / seconds, 1)}
        report["store_mb"] = round(sum(p.stat().st_size for p in folder.iterdir()) / 1e6, 1)

        words = [f"w{i}" for i in rng.integers(0, 2000, size=queries * 4)]
        texts = [" ".join(words[i * 4 : i * 4 + 4]) for i in range(queries)]
        vectors = dict(zip(texts, unit_rows(rng, queries), strict=True))
        started = time.perf_counter()
        store.vector_search(TENANT, vectors[texts[0]], 40)
        report["matrix_load_ms"] = round((time.perf_counter() - started) * 1000)
        retriever = HybridRetriever(store, FixedEmbedder(vectors), reranker=FeatureReranker())
        report["keyword"] = percentiles(lambda q: store.keyword_search(TENANT, q, 40), texts)
        report["dense"] = percentiles(lambda q: store.vector_search(TENANT, vectors[q], 40), texts)
        report["query"] = percentiles(lambda q: retriever.retrieve(TENANT, q, 5), texts)
        report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        database.close()
    return report


def ingest_figures(limit_kb: float) -> dict[str, object]:
    """End-to-end ingestion on real text with the real embedder (scripts/bench_ingest.py)."""
    command = [sys.executable, str(Path(__file__).with_name("bench_ingest.py"))]
    command += ["--limit-kb", str(limit_kb), "--json"]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    figures: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chunks", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--ingest-kb", type=float, default=40.0)
    parser.add_argument("--quick", action="store_true", help="10k chunks, 100 queries, 6 KB")
    parser.add_argument("--keep", type=Path, help="keep (and reuse) stores under this folder")
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    parser.add_argument("--one-scale", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one_scale:
        print(json.dumps(one_scale(args.one_scale, args.queries, args.keep)))
        return
    if args.quick:
        args.chunks, args.queries, args.ingest_kb = [10_000], 100, 6.0

    started = time.perf_counter()
    scales = []
    for n in args.chunks:
        command = [sys.executable, __file__, "--one-scale", str(n), "--queries", str(args.queries)]
        if args.keep:
            command += ["--keep", str(args.keep)]
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        scales.append(json.loads(out))
        if not args.json:
            print(_line(scales[-1]), flush=True)
    report: dict[str, object] = {"scales": scales, "cpus": os.cpu_count()}
    if args.ingest_kb > 0:
        report["ingest"] = ingest_figures(args.ingest_kb)
        if not args.json:
            print(f"ingest (real text, e5-small): {json.dumps(report['ingest'])}")
    report["load_avg_1m"] = round(os.getloadavg()[0], 1)
    report["seconds"] = round(time.perf_counter() - started, 1)
    if args.json:
        print(json.dumps(report))


def _line(scale: dict[str, object]) -> str:
    query, keyword, dense = (dict(scale[k]) for k in ("query", "keyword", "dense"))  # type: ignore[call-overload]
    return (
        f"chunks={scale['chunks']} insert_KB/s={scale.get('insert_kb_per_s', 'reused')} "
        f"store_MB={scale['store_mb']} peak_rss_MB={scale['peak_rss_mb']} "
        f"matrix_load_ms={scale['matrix_load_ms']} "
        f"query_p50_ms={query['p50_ms']} query_p95_ms={query['p95_ms']} "
        f"query_cpu_p50/p95_ms={query['cpu_p50_ms']}/{query['cpu_p95_ms']} "
        f"(keyword p50/p95 {keyword['p50_ms']}/{keyword['p95_ms']}, "
        f"dense {dense['p50_ms']}/{dense['p95_ms']})"
    )


if __name__ == "__main__":
    main()
