from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from xin.adapters.sqlite.conversations import SqliteConversationStore
from xin.adapters.sqlite.database import Database
from xin.adapters.sqlite.store import SqliteVectorStore
from xin.domain import Chunk, DocumentRecord, Turn
from xin.errors import EmbeddingModelMismatch, InvalidRequest

DIM = 8


def unit(seed: int) -> np.ndarray:
    vector = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
    return vector / np.linalg.norm(vector)


def document(
    store: SqliteVectorStore, tenant: str, doc_id: str, texts: list[str], seed: int = 0
) -> None:
    chunks = [
        Chunk(
            chunk_id=f"{doc_id}:{i}",
            document_id=doc_id,
            tenant=tenant,
            ordinal=i,
            text=t,
            language="en",
            metadata={"team": "docs"},
        )
        for i, t in enumerate(texts)
    ]
    record = DocumentRecord(
        doc_id, tenant, f"{doc_id}.md", doc_id.title(), f"hash-{seed}", len(chunks), 1.0
    )
    store.replace_document(record, chunks, np.vstack([unit(seed + i) for i in range(len(texts))]))


@pytest.fixture
def store(tmp_path: Path) -> SqliteVectorStore:
    return SqliteVectorStore(Database(tmp_path / "xin.db"))


def chunk_rows(store: SqliteVectorStore, tenant: str, doc_id: str) -> int:
    conn = store._db.connection()
    row = conn.execute(
        "SELECT COUNT(*) FROM chunks WHERE tenant = ? AND document_id = ?", (tenant, doc_id)
    ).fetchone()
    return int(row[0])


def test_keyword_and_vector_search_find_the_chunk(store: SqliteVectorStore) -> None:
    document(
        store, "acme", "helm", ["Install the Helm chart on Kubernetes.", "Bananas are yellow."]
    )
    keyword = store.keyword_search("acme", "kubernetes deployment", 5)
    assert [h.chunk.chunk_id for h in keyword] == ["helm:0"]
    dense = store.vector_search("acme", unit(1), 5)
    assert dense[0].chunk.chunk_id == "helm:1"
    assert dense[0].score == pytest.approx(1.0, abs=1e-5)


def test_english_stemming_matches_inflected_forms(store: SqliteVectorStore) -> None:
    document(store, "t", "d", ["Deploying services requires configuration."])
    assert store.keyword_search("t", "deploy service", 5)


def test_persian_search_is_normalised(store: SqliteVectorStore) -> None:
    document(store, "t", "fa", ["شین را با فرمان make run نصب می‌کنید."])
    assert store.keyword_search("t", "نصب مي كنيد", 5)  # Arabic letters, no ZWNJ


def test_tenants_never_see_each_other(store: SqliteVectorStore) -> None:
    document(store, "a", "secret", ["Tenant A payroll figures."], seed=5)
    document(store, "b", "public", ["Tenant B brochure."], seed=9)
    assert store.keyword_search("b", "payroll figures", 10) == []
    assert all(h.chunk.tenant == "b" for h in store.vector_search("b", unit(5), 10))
    assert store.get_document("b", "secret") is None
    assert [d.document_id for d in store.list_documents("a")] == ["secret"]


def test_replace_swaps_all_chunks_of_a_document(store: SqliteVectorStore) -> None:
    document(store, "t", "d", ["old one", "old two", "old three"])
    document(store, "t", "d", ["new only"], seed=3)
    assert chunk_rows(store, "t", "d") == 1
    assert store.keyword_search("t", "old", 5) == []
    assert store.get_document("t", "d") is not None


def test_a_failed_replace_leaves_the_old_version(store: SqliteVectorStore) -> None:
    document(store, "t", "d", ["original text"])
    bad = [Chunk(chunk_id="x", document_id="d", tenant="t", ordinal=0, text="new")] * 2  # same id
    record = DocumentRecord("d", "t", "d.md", "D", "h2", 2, 2.0)
    with pytest.raises(Exception, match="UNIQUE"):
        store.replace_document(record, bad, np.vstack([unit(1), unit(2)]))
    assert store.keyword_search("t", "original", 5)
    assert store.get_document("t", "d").content_hash == "hash-0"  # type: ignore[union-attr]


def test_delete_document(store: SqliteVectorStore) -> None:
    document(store, "t", "d", ["to be removed"])
    assert store.delete_document("t", "d") is True
    assert store.delete_document("t", "d") is False
    assert store.keyword_search("t", "removed", 5) == []
    assert store.vector_search("t", unit(0), 5) == []


def test_filters_restrict_both_searches(store: SqliteVectorStore) -> None:
    document(store, "t", "one", ["alpha text"], seed=1)
    document(store, "t", "two", ["alpha text too"], seed=2)
    assert {
        h.chunk.document_id for h in store.keyword_search("t", "alpha", 5, {"document_id": "two"})
    } == {"two"}
    dense = store.vector_search("t", unit(1), 5, {"document_id": "two"})
    assert [h.chunk.document_id for h in dense] == ["two"]
    assert store.keyword_search("t", "alpha", 5, {"team": "docs"})
    with pytest.raises(InvalidRequest):
        store.keyword_search("t", "alpha", 5, {"bad key'": "x"})


def test_vector_cache_sees_writes_from_another_connection(tmp_path: Path) -> None:
    reader = SqliteVectorStore(Database(tmp_path / "xin.db"))
    writer = SqliteVectorStore(Database(tmp_path / "xin.db"))
    document(writer, "t", "first", ["first"], seed=1)
    assert len(reader.vector_search("t", unit(1), 5)) == 1
    document(writer, "t", "second", ["second"], seed=2)
    assert len(reader.vector_search("t", unit(1), 5)) == 2


def test_index_refuses_another_embedding_model(store: SqliteVectorStore) -> None:
    store.ensure_model("model-a", 384)
    store.ensure_model("model-a", 384)
    with pytest.raises(EmbeddingModelMismatch, match="model-a"):
        store.ensure_model("model-b", 768)


def test_fts_query_syntax_in_user_text_is_harmless(store: SqliteVectorStore) -> None:
    document(store, "t", "d", ["quotes and stars"])
    for nasty in ['"', "NEAR(a b)", "* OR", "a AND (", "-- ;DROP TABLE chunks"]:
        store.keyword_search("t", nasty, 5)
    assert store.keyword_search("t", "stars", 5)


def test_conversation_memory_keeps_the_last_turns(tmp_path: Path) -> None:
    conversations = SqliteConversationStore(Database(tmp_path / "c.db"), max_turns_kept=3)
    for i in range(5):
        conversations.append("t", "s1", Turn("user", f"q{i}", float(i)))
    conversations.append("other", "s1", Turn("user", "other tenant", 9.0))
    assert [t.text for t in conversations.history("t", "s1", 10)] == ["q2", "q3", "q4"]
    assert [t.text for t in conversations.history("t", "s1", 2)] == ["q3", "q4"]
    assert conversations.history("t", "unknown", 5) == []
