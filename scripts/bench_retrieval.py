"""Scale benchmark for SQLite retrieval: synthetic chunks, hybrid query latency, size, RSS.

    python scripts/bench_retrieval.py --chunks 10000 100000

Chunks are synthetic English-like text from a fixed vocabulary with random unit vectors
inserted straight through the store (no embedder: e5-small runs at ~5 KB/s here, so 100k
chunks would take hours). Query latency times the full ``HybridRetriever.retrieve`` (BM25 +
exact dense search + convex fusion + feature reranker) with a precomputed query vector; add
~45 ms for a real e5-small query embedding (cached for repeated queries). The result cache is
off so every query searches.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import numpy as np

from xin.adapters.sqlite.database import Database
from xin.adapters.sqlite.store import SqliteVectorStore
from xin.domain import Chunk, DocumentRecord
from xin.rag.rerank import FeatureReranker
from xin.rag.retrieval import HybridRetriever

DIM = 384
PER_DOC = 20
VOCAB = 5000


class FixedEmbedder:
    model_id = "bench/384"
    dimension = DIM

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng

    def embed_documents(self, texts: object) -> np.ndarray:
        raise NotImplementedError

    def embed_query(self, text: str) -> np.ndarray:
        v = self._rng.standard_normal(DIM).astype(np.float32)
        return v / np.linalg.norm(v)


def build(store: SqliteVectorStore, n: int, rng: np.random.Generator) -> float:
    words = [f"w{i}" for i in range(VOCAB)]
    zipf = 1.0 / np.arange(1, VOCAB + 1)
    zipf /= zipf.sum()
    started = time.perf_counter()
    total_bytes = 0
    for d in range(n // PER_DOC):
        doc_id = f"doc{d}"
        texts = [" ".join(rng.choice(words, 120, p=zipf)) for _ in range(PER_DOC)]
        total_bytes += sum(len(t) for t in texts)
        chunks = [Chunk(f"{doc_id}:{i}", doc_id, "bench", i, t) for i, t in enumerate(texts)]
        vectors = rng.standard_normal((PER_DOC, DIM)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        record = DocumentRecord(doc_id, "bench", f"{doc_id}.md", doc_id, "h", PER_DOC, 0.0)
        store.replace_document(record, chunks, vectors)
    return total_bytes / 1024 / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chunks", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    for n in args.chunks:
        rng = np.random.default_rng(0)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "bench.db"
            database = Database(path)
            store = SqliteVectorStore(database)
            store_kbs = build(store, n, rng)
            embedder = FixedEmbedder(rng)
            retriever = HybridRetriever(store, embedder, reranker=FeatureReranker())
            words = [f"w{i}" for i in rng.integers(0, 2000, size=(args.queries, 4)).ravel()]
            queries = [" ".join(words[i * 4 : i * 4 + 4]) for i in range(args.queries)]
            retriever.retrieve("bench", "warm up", 5)
            latencies = []
            for query in queries:
                started = time.perf_counter()
                retriever.retrieve("bench", query, 5)
                latencies.append((time.perf_counter() - started) * 1000)
            size_mb = sum(p.stat().st_size for p in Path(tmp).iterdir()) / 1e6
            rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            p50, p95 = np.percentile(latencies, [50, 95])
            print(
                f"chunks={n} store_insert_KB/s={store_kbs:.0f} store_MB={size_mb:.0f} "
                f"peak_rss_MB={rss_mb:.0f} query_p50_ms={p50:.1f} query_p95_ms={p95:.1f}",
                flush=True,
            )
            database.close()


if __name__ == "__main__":
    main()
