"""The index follows its sources: edits replace chunks, deletions are pruned, staleness shows,
and a reindex moves the whole index to another embedding model."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from xin.adapters.sqlite.database import Database
from xin.adapters.sqlite.store import SqliteVectorStore
from xin.errors import EmbeddingModelMismatch
from xin.ports import Matrix, Vector
from xin.rag.retrieval import HybridRetriever
from xin.services.ingestion import IngestionService
from xin.services.kb_sync import prune, reindex, stale_reason

TENANT = "t1"


class HashEmbedder:
    """Deterministic unit vectors from word hashes; ``dim`` picks a different "model"."""

    def __init__(self, dim: int = 16) -> None:
        self.dimension = dim
        self.model_id = f"hash-test/{dim}"

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


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteVectorStore]:
    database = Database(tmp_path / "xin.db")
    yield SqliteVectorStore(database)
    database.close()


def service(store: SqliteVectorStore, embedder: HashEmbedder | None = None) -> IngestionService:
    return IngestionService(
        store, embedder or HashEmbedder(), English(), chunk_size=200, chunk_overlap=40
    )


def texts_found(store: SqliteVectorStore, query: str) -> list[str]:
    hits = HybridRetriever(store, HashEmbedder()).retrieve(TENANT, query, 10)
    return [h.chunk.text for h in hits]


def all_chunk_texts(store: SqliteVectorStore) -> list[str]:
    return [
        c.text
        for d in store.list_documents(TENANT)
        for c in store.document_chunks(TENANT, d.document_id)
    ]


def test_editing_a_doc_and_reingesting_changes_answers_and_leaves_no_stale_chunk(
    tmp_path: Path, store: SqliteVectorStore
) -> None:
    kb = tmp_path / "kb"
    kb.mkdir()
    doc = kb / "refunds.md"
    doc.write_text("# Refunds\n\nRefunds are paid within 14 days by bank transfer.\n")
    ingest = service(store)
    assert [r.status for r in ingest.ingest_paths([kb], tenant=TENANT)] == ["indexed"]
    assert [r.status for r in ingest.ingest_paths([kb], tenant=TENANT)] == ["skipped"]
    assert any("14 days" in t for t in texts_found(store, "when are refunds paid"))

    doc.write_text("# Refunds\n\nRefunds are paid within 30 days as store credit.\n")
    assert [r.status for r in ingest.ingest_paths([kb], tenant=TENANT)] == ["indexed"]
    found = texts_found(store, "when are refunds paid")
    assert any("30 days" in t for t in found)
    assert not any("14 days" in t for t in found + all_chunk_texts(store))
    assert store.keyword_search(TENANT, "bank transfer", 10) == []  # gone from BM25 too


def test_prune_deletes_documents_whose_file_is_gone_only_under_the_given_dirs(
    tmp_path: Path, store: SqliteVectorStore
) -> None:
    kb, other = tmp_path / "kb", tmp_path / "other"
    kb.mkdir()
    other.mkdir()
    (kb / "keep.md").write_text("# Keep\n\nThe office opens at nine.\n")
    (kb / "gone.md").write_text("# Gone\n\nThe old warehouse address.\n")
    (other / "elsewhere.md").write_text("# Elsewhere\n\nAnother directory.\n")
    ingest = service(store)
    ingest.ingest_paths([kb, other], tenant=TENANT)
    (kb / "gone.md").unlink()

    assert prune(store, TENANT, [kb]) == ["gone.md"]
    assert [d.document_id for d in store.list_documents(TENANT)] == ["elsewhere.md", "keep.md"]
    assert not any("warehouse" in t for t in texts_found(store, "warehouse address"))
    assert prune(store, TENANT, [kb]) == []


def test_stale_when_the_source_changed_vanished_or_is_too_old(
    tmp_path: Path, store: SqliteVectorStore
) -> None:
    doc = tmp_path / "a.md"
    doc.write_text("# A\n\nSome text.\n")
    service(store).ingest_paths([doc], tenant=TENANT)
    (record,) = store.list_documents(TENANT)
    assert stale_reason(record) == ""
    assert stale_reason(record, now=record.indexed_at + 3 * 86_400, stale_after_days=2) == (
        "older than 2 days"
    )
    os.utime(doc, (record.indexed_at + 60, record.indexed_at + 60))
    assert stale_reason(record) == "source changed"
    doc.unlink()
    assert stale_reason(record) == "source missing"


def test_another_model_is_refused_until_reindex_rebuilds_the_index(
    tmp_path: Path, store: SqliteVectorStore
) -> None:
    doc = tmp_path / "a.md"
    doc.write_text("# Shipping\n\nParcels ship from Tehran every Monday.\n")
    service(store).ingest_paths([doc], tenant=TENANT)
    bigger = HashEmbedder(dim=32)
    with pytest.raises(EmbeddingModelMismatch, match="xin kb reindex"):
        service(store, bigger).ingest_bytes(b"# B\n\nMore.", "b.md", tenant=TENANT)

    result = reindex(store, bigger)
    assert (result.documents, result.chunks) == (1, 1)
    store.ensure_model(bigger.model_id, bigger.dimension)  # now bound to the new model
    hits = HybridRetriever(store, bigger).retrieve(TENANT, "when do parcels ship", 3)
    assert "Monday" in hits[0].chunk.text
    assert hits[0].scores["dense"] > 0.3  # vectors really are the new model's
