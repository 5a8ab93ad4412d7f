"""MMR diversity: on hand-made vectors, and inside the hybrid retriever over a real store."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import cast

import numpy as np
import pytest

from xin.adapters.sqlite.database import Database
from xin.adapters.sqlite.store import SqliteVectorStore
from xin.domain import Chunk, SearchHit
from xin.errors import ConfigurationError
from xin.ports import Matrix, Vector, VectorStore
from xin.rag.mmr import ChunkVectors, mmr_rerank
from xin.rag.retrieval import HybridRetriever
from xin.services.ingestion import IngestionService

TENANT = "t1"


def hit(chunk_id: str, score: float) -> SearchHit:
    chunk = Chunk(chunk_id=chunk_id, document_id=chunk_id, tenant="t", ordinal=0, text=chunk_id)
    return SearchHit(chunk=chunk, score=score)


def ids(hits: Sequence[SearchHit]) -> list[str]:
    return [h.chunk.chunk_id for h in hits]


# "a" and its near-copy "a2" point the same way; "b" points elsewhere.
VECTORS = np.array([[1.0, 0.0], [0.99, 0.14], [0.0, 1.0]], dtype=np.float32)
HITS = [hit("a", 0.90), hit("a2", 0.88), hit("b", 0.70)]


def test_lambda_one_keeps_the_relevance_order() -> None:
    assert ids(mmr_rerank(HITS, VECTORS, lam=1.0, depth=3)) == ["a", "a2", "b"]


def test_a_near_duplicate_drops_below_a_different_relevant_hit() -> None:
    diversified = mmr_rerank(HITS, VECTORS, lam=0.5, depth=3)
    assert ids(diversified) == ["a", "b", "a2"]
    assert [h.scores["relevance"] for h in diversified] == [0.90, 0.70, 0.88]


def test_a_high_lambda_still_prefers_relevance_over_small_gains_in_novelty() -> None:
    hits = [hit("a", 0.90), hit("a2", 0.89), hit("b", 0.10)]
    assert ids(mmr_rerank(hits, VECTORS, lam=0.9, depth=3)) == ["a", "a2", "b"]


def test_scores_never_rise_so_sorting_by_score_keeps_the_mmr_order() -> None:
    tail = [hit("c", 0.65), hit("d", 0.60)]
    diversified = mmr_rerank(HITS + tail, VECTORS, lam=0.5, depth=3)
    assert ids(diversified) == ["a", "b", "a2", "c", "d"]  # the tail is not reordered
    scores = [h.score for h in diversified]
    assert scores == sorted(scores, reverse=True)
    assert ids(sorted(diversified, key=lambda h: -h.score)) == ids(diversified)


def test_invalid_lambda_and_misaligned_vectors_are_refused() -> None:
    with pytest.raises(ValueError, match="lam"):
        mmr_rerank(HITS, VECTORS, lam=1.5, depth=3)
    with pytest.raises(ValueError, match="one vector"):
        mmr_rerank(HITS, VECTORS[:2], lam=0.5, depth=3)


class HashEmbedder:
    """Deterministic bag-of-words vectors, so identical texts get identical vectors."""

    dimension = 64
    model_id = "hash-test/64"

    def _vector(self, text: str) -> Vector:
        vector = np.zeros(self.dimension, dtype=np.float32)
        for word in text.lower().split():
            vector[int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimension] += 1.0
        return vector / (float(np.linalg.norm(vector)) or 1.0)

    def embed_documents(self, texts: Sequence[str]) -> Matrix:
        return np.vstack([self._vector(t) for t in texts])

    def embed_query(self, text: str) -> Vector:
        return self._vector(text)


class English:
    def detect(self, text: str) -> str:
        return "en"


class StoredVectors:
    """Implements ``ChunkVectors`` by embedding each stored chunk's text again."""

    def __init__(self, store: SqliteVectorStore, embedder: HashEmbedder) -> None:
        self._store = store
        self._embedder = embedder

    def chunk_vectors(self, tenant: str, chunk_ids: Sequence[str]) -> Matrix:
        texts = {
            c.chunk_id: c.text
            for d in self._store.list_documents(tenant)
            for c in self._store.document_chunks(tenant, d.document_id)
        }
        return self._embedder.embed_documents([texts[i] for i in chunk_ids])


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteVectorStore]:
    database = Database(tmp_path / "xin.db")
    store = SqliteVectorStore(database)
    ingest = IngestionService(store, HashEmbedder(), English())
    copy = "Refunds are paid within 14 days by bank transfer to the original account."
    for name, text in (
        ("refunds.md", copy),
        ("refunds-copy.md", copy),  # the same policy pasted into a second page
        ("credit.md", "Refunds for gift cards are paid as store credit instead."),
    ):
        ingest.ingest_bytes(f"{text}\n".encode(), name, tenant=TENANT)
    yield store
    database.close()


def test_the_retriever_returns_the_other_policy_instead_of_a_copy(
    store: SqliteVectorStore,
) -> None:
    embedder = HashEmbedder()
    vectors = StoredVectors(store, embedder)
    assert isinstance(vectors, ChunkVectors)
    plain = HybridRetriever(store, embedder, reranker=None)
    diverse = HybridRetriever(store, embedder, mmr_lambda=0.5, vectors=vectors)
    query = "how are refunds paid"
    assert {h.chunk.document_id for h in plain.retrieve(TENANT, query, 2)} == {
        "refunds.md",
        "refunds-copy.md",
    }
    docs = {h.chunk.document_id for h in diverse.retrieve(TENANT, query, 2)}
    assert "credit.md" in docs
    assert len(docs & {"refunds.md", "refunds-copy.md"}) == 1


class SearchOnly:
    """A store with what the retriever needs (the model check and the two searches) and no
    ``chunk_vectors``."""

    def __init__(self, store: SqliteVectorStore) -> None:
        self.check_model = store.check_model
        self.keyword_search = store.keyword_search
        self.vector_search = store.vector_search


def test_mmr_without_a_source_of_vectors_is_a_configuration_error(
    store: SqliteVectorStore,
) -> None:
    searches = cast(VectorStore, SearchOnly(store))
    assert HybridRetriever(searches, HashEmbedder()).retrieve(TENANT, "refunds", 1)
    with pytest.raises(ConfigurationError, match="chunk vectors"):
        HybridRetriever(searches, HashEmbedder(), mmr_lambda=0.7)


def test_a_model_with_squeezed_cosines_still_gets_its_near_duplicate_pushed_down() -> None:
    # Every pair has cosine >= 0.99 (as e5 squeezes passages together); a2 copies a.
    common = np.array([1.0, 0.0, 0.0, 0.0, 0.0])
    a = common + 0.1 * np.array([0.0, 1.0, 0.0, 0.0, 0.0])
    a2 = a + 0.01 * np.array([0.0, 0.0, 0.0, 0.0, 1.0])
    b = common + 0.1 * np.array([0.0, 0.0, 1.0, 0.0, 0.0])
    d = common + 0.1 * np.array([0.0, 0.0, 0.0, 1.0, 0.0])
    hits = [hit("a", 0.90), hit("a2", 0.88), hit("b", 0.86), hit("d", 0.50)]
    vectors = np.vstack([a, a2, b, d]).astype(np.float32)
    assert ids(mmr_rerank(hits, vectors, lam=0.7, depth=4))[:2] == ["a", "b"]
