"""The ``VectorStore`` contract: what every backend must do, whatever it runs on.

Subclass :class:`VectorStoreContract` and provide a ``store`` fixture; the SQLite store and
the OpenSearch store (fake transport here, a real cluster in tests/opensearch) run the same
tests, so a behaviour the core relies on cannot differ between laptop and production.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from xin.domain import Chunk, DocumentRecord
from xin.errors import EmbeddingModelMismatch, InvalidRequest
from xin.ports import VectorStore
from xin.rag.retrieval import HybridRetriever

DIM = 8
MODEL = "contract-model"


def unit(seed: int) -> np.ndarray:
    vector = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
    return vector / np.linalg.norm(vector)


def put(
    store: VectorStore,
    tenant: str,
    doc_id: str,
    texts: list[str],
    seed: int = 0,
    metadata: dict[str, str] | None = None,
) -> list[Chunk]:
    chunks = [
        Chunk(
            chunk_id=f"{doc_id}:{seed}:{i}",
            document_id=doc_id,
            tenant=tenant,
            ordinal=i,
            text=t,
            heading_path=("Guide", "Install"),
            location=f"section {i}",
            language="en",
            metadata=metadata or {"team": "docs"},
        )
        for i, t in enumerate(texts)
    ]
    record = DocumentRecord(
        doc_id, tenant, f"{doc_id}.md", doc_id.title(), f"hash-{seed}", len(chunks), 1000.5
    )
    store.replace_document(record, chunks, np.vstack([unit(seed + i) for i in range(len(texts))]))
    return chunks


class _StaticEmbedder:
    model_id = MODEL
    dimension = DIM

    def __init__(self, vectors: dict[str, np.ndarray]) -> None:
        self._vectors = vectors

    def embed_query(self, text: str) -> Any:
        return self._vectors[text]

    def embed_documents(self, texts: Any) -> Any:
        raise NotImplementedError


class VectorStoreContract:
    """Tests every ``VectorStore`` must pass. The ``store`` fixture is bound to MODEL/DIM."""

    def test_keyword_and_vector_search_find_the_chunk(self, store: VectorStore) -> None:
        put(store, "acme", "helm", ["Install the Helm chart on Kubernetes.", "Bananas are yellow."])
        keyword = store.keyword_search("acme", "kubernetes deployment", 5)
        assert [h.chunk.chunk_id for h in keyword] == ["helm:0:0"]
        assert keyword[0].scores["bm25"] > 0
        dense = store.vector_search("acme", unit(1), 5)
        assert dense[0].chunk.chunk_id == "helm:0:1"
        assert dense[0].score == pytest.approx(1.0, abs=1e-4)  # cosine, whatever the backend
        assert dense[0].scores["dense"] == pytest.approx(1.0, abs=1e-4)

    def test_hits_carry_the_chunk_and_its_document(self, store: VectorStore) -> None:
        put(
            store,
            "acme",
            "guide",
            ["Rotate the API keys every ninety days."],
            metadata={"team": "sec"},
        )
        (hit,) = store.keyword_search("acme", "rotate keys", 5)
        assert hit.document_title == "Guide"
        assert hit.source == "guide.md"
        assert hit.chunk.heading == "Guide > Install"
        assert hit.chunk.location == "section 0"
        assert hit.chunk.language == "en"
        assert hit.chunk.metadata == {"team": "sec"}
        assert hit.chunk.text == "Rotate the API keys every ninety days."

    def test_english_stemming_matches_inflected_forms(self, store: VectorStore) -> None:
        put(store, "t", "d", ["Deploying services requires configuration."])
        assert store.keyword_search("t", "deploy service", 5)

    def test_persian_search_is_normalised(self, store: VectorStore) -> None:
        put(store, "t", "fa", ["شین را با فرمان make run نصب می‌کنید."])
        assert store.keyword_search("t", "نصب", 5)

    def test_tenants_never_see_each_other(self, store: VectorStore) -> None:
        put(store, "a", "secret", ["Tenant A payroll figures."], seed=5)
        put(store, "b", "public", ["Tenant B brochure."], seed=9)
        assert store.keyword_search("b", "payroll figures", 10) == []
        assert all(h.chunk.tenant == "b" for h in store.vector_search("b", unit(5), 10))
        assert store.get_document("b", "secret") is None
        assert [d.document_id for d in store.list_documents("a")] == ["secret"]
        assert store.delete_document("b", "secret") is False
        assert store.get_document("a", "secret") is not None

    def test_replace_leaves_no_stale_chunks(self, store: VectorStore) -> None:
        put(store, "t", "d", ["old one", "old two", "old three"])
        put(store, "t", "d", ["new only"], seed=3)
        assert store.keyword_search("t", "old", 5) == []
        dense = store.vector_search("t", unit(0), 10)
        assert [h.chunk.chunk_id for h in dense] == ["d:3:0"]
        record = store.get_document("t", "d")
        assert record is not None
        assert (record.content_hash, record.chunk_count) == ("hash-3", 1)

    def test_replace_keeps_unchanged_chunks_once(self, store: VectorStore) -> None:
        put(store, "t", "d", ["same text", "other text"])
        put(store, "t", "d", ["same text", "other text"])
        assert len(store.vector_search("t", unit(0), 10)) == 2

    def test_delete_document(self, store: VectorStore) -> None:
        put(store, "t", "d", ["to be removed"])
        assert store.delete_document("t", "d") is True
        assert store.delete_document("t", "d") is False
        assert store.keyword_search("t", "removed", 5) == []
        assert store.vector_search("t", unit(0), 5) == []
        assert store.list_documents("t") == []

    def test_filters_restrict_both_searches(self, store: VectorStore) -> None:
        put(store, "t", "one", ["alpha text"], seed=1)
        put(store, "t", "two", ["alpha text too"], seed=2, metadata={"team": "ops"})
        keyword = store.keyword_search("t", "alpha", 5, {"document_id": "two"})
        assert {h.chunk.document_id for h in keyword} == {"two"}
        dense = store.vector_search("t", unit(1), 5, {"document_id": "two"})
        assert [h.chunk.document_id for h in dense] == ["two"]
        assert [
            h.chunk.document_id for h in store.keyword_search("t", "alpha", 5, {"team": "docs"})
        ] == ["one"]
        assert [
            h.chunk.document_id for h in store.vector_search("t", unit(2), 5, {"team": "docs"})
        ] == ["one"]
        with pytest.raises(InvalidRequest):
            store.keyword_search("t", "alpha", 5, {"bad key'": "x"})

    def test_list_documents_in_id_order(self, store: VectorStore) -> None:
        for name in ("zeta", "alpha", "mid"):
            put(store, "t", name, [f"{name} text"])
        assert [d.document_id for d in store.list_documents("t")] == ["alpha", "mid", "zeta"]
        record = store.get_document("t", "mid")
        assert record is not None
        assert record.indexed_at == pytest.approx(1000.5)

    def test_index_refuses_another_embedding_model(self, store: VectorStore) -> None:
        store.ensure_model(MODEL, DIM)  # the same binding again is fine
        with pytest.raises(EmbeddingModelMismatch, match=MODEL):
            store.ensure_model("another-model", 768)

    def test_check_model_refuses_another_model_or_dimension(self, store: VectorStore) -> None:
        put(store, "t", "d", ["alpha beta"], seed=3)
        store.check_model(MODEL, DIM)  # the bound model passes
        for model, dimension in (("another-model", DIM), (MODEL, 2 * DIM)):
            with pytest.raises(EmbeddingModelMismatch) as refused:
                store.check_model(model, dimension)
            assert refused.value.code == "index_model_mismatch"
            assert f"'{MODEL}' ({DIM} dimensions)" in refused.value.message
            assert f"'{model}' ({dimension} dimensions) is configured" in refused.value.message
        store.ensure_model(MODEL, DIM)  # checking never rebinds the index

        class OtherModel(_StaticEmbedder):
            model_id = "another-model"

        retriever = HybridRetriever(store, OtherModel({"alpha": unit(3)}))
        with pytest.raises(EmbeddingModelMismatch):
            retriever.retrieve("t", "alpha", 1)
        assert HybridRetriever(store, _StaticEmbedder({"alpha": unit(3)})).retrieve("t", "alpha", 1)

    def test_query_syntax_in_user_text_is_harmless(self, store: VectorStore) -> None:
        put(store, "t", "d", ["quotes and stars"])
        for nasty in ['"', "NEAR(a b)", "* OR", "a AND (", "-- ;DROP TABLE chunks", '{"x":1}']:
            store.keyword_search("t", nasty, 5)
        assert store.keyword_search("t", "stars", 5)
        assert store.keyword_search("t", "   ", 5) == []

    def test_k_limits_results(self, store: VectorStore) -> None:
        put(store, "t", "d", [f"common word number {i}" for i in range(6)])
        assert len(store.keyword_search("t", "common word", 3)) == 3
        assert len(store.vector_search("t", unit(0), 4)) == 4

    def test_hybrid_retriever_ranks_the_relevant_chunk_first(self, store: VectorStore) -> None:
        put(
            store,
            "t",
            "helm",
            ["Roll back a Helm release with helm rollback.", "Bananas."],
            seed=20,
        )
        put(store, "t", "other", ["Lambda cold starts and layers."], seed=30)
        query = "how do I roll back a helm release"
        retriever = HybridRetriever(store, _StaticEmbedder({query: unit(20)}), candidates=10)
        hits = retriever.retrieve("t", query, 2)
        assert hits[0].chunk.chunk_id == "helm:20:0"
        assert hits[0].scores["dense"] == pytest.approx(1.0, abs=1e-4)
        assert all(h.chunk.tenant == "t" for h in hits)

    def test_ping(self, store: VectorStore) -> None:
        store.ping()
