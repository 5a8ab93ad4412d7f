"""Hybrid retrieval: BM25 and dense candidates fused with reciprocal-rank fusion (RRF)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from xin.domain import SearchHit
from xin.ports import Embedder, HybridSearch, VectorStore


def reciprocal_rank_fusion(
    rankings: Mapping[str, Sequence[SearchHit]], *, k: int = 60
) -> list[SearchHit]:
    """Fuse ranked lists: score = Σ 1 / (k + rank). Keeps each list's own score per hit."""
    fused: dict[str, float] = {}
    first_seen: dict[str, SearchHit] = {}
    component: dict[str, dict[str, float]] = {}
    for name, hits in rankings.items():
        for rank, hit in enumerate(hits, start=1):
            key = hit.chunk.chunk_id
            fused[key] = fused.get(key, 0.0) + 1.0 / (k + rank)
            first_seen.setdefault(key, hit)
            component.setdefault(key, {})[name] = hit.score
    ordered = sorted(fused, key=lambda key: (-fused[key], key))
    return [replace(first_seen[key], score=fused[key], scores=component[key]) for key in ordered]


class HybridRetriever:
    """Implements the ``Retriever`` port over any ``VectorStore`` and ``Embedder``."""

    def __init__(
        self, store: VectorStore, embedder: Embedder, *, candidates: int = 40, rrf_k: int = 60
    ) -> None:
        self._store = store
        self._embedder = embedder
        self._candidates = candidates
        self._rrf_k = rrf_k

    def retrieve(
        self, tenant: str, query: str, k: int, filters: Mapping[str, str] | None = None
    ) -> list[SearchHit]:
        pool = max(k, self._candidates)
        store = self._store
        if isinstance(store, HybridSearch) and store.hybrid_available():
            # The store fuses lexical and dense results itself (e.g. an OpenSearch pipeline).
            native = store.hybrid_search(
                tenant, query, self._embedder.embed_query(query), pool, filters
            )
            return native[:k]
        keyword = self._store.keyword_search(tenant, query, pool, filters)
        vector = self._embedder.embed_query(query)
        dense = self._store.vector_search(tenant, vector, pool, filters)
        fused = reciprocal_rank_fusion({"bm25": keyword, "dense": dense}, k=self._rrf_k)
        return fused[:k]
