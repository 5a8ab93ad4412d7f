"""The query path checks the index's embedding model cheaply: the retriever asks the store once
per store generation (SQLite), the OpenSearch store reads its mapping once per TTL, and a
binding changed by another process is still noticed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.contract.opensearch_fake import FakeCluster, fake_client
from tests.contract.opensearch_spec import load_spec
from tests.contract.vector_store_contract import DIM, MODEL, put, unit
from tests.integration.retrieval.test_index_in_step import English, HashEmbedder
from xin.adapters.opensearch.client import RetryPolicy
from xin.adapters.opensearch.store import OpenSearchVectorStore
from xin.adapters.sqlite.database import Database
from xin.adapters.sqlite.store import SqliteVectorStore
from xin.errors import EmbeddingModelMismatch
from xin.rag.caching import RetrievalCache
from xin.rag.retrieval import HybridRetriever
from xin.services.ingestion import IngestionService
from xin.services.kb_sync import reindex

TENANT = "t1"


class CountingSqliteStore(SqliteVectorStore):
    """The real SQLite store, counting the model checks it is asked for."""

    checks = 0

    def check_model(self, model_id: str, dimension: int) -> None:
        self.checks += 1
        super().check_model(model_id, dimension)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "xin.db")
    yield database
    database.close()


def ingest(store: SqliteVectorStore, name: str, text: str, embedder: HashEmbedder) -> None:
    service = IngestionService(store, embedder, English(), chunk_size=200, chunk_overlap=40)
    assert service.ingest_bytes(text.encode(), name, tenant=TENANT).status == "indexed"


def test_sqlite_binding_is_checked_once_per_store_generation(database: Database) -> None:
    store = CountingSqliteStore(database)
    embedder = HashEmbedder()
    ingest(store, "refunds.md", "# Refunds\n\nRefunds are paid within 14 days.\n", embedder)
    retriever = HybridRetriever(store, embedder, cache=RetrievalCache(max_entries=8))
    for question in ("refunds paid", "how long for refunds", "refunds paid"):
        assert retriever.retrieve(TENANT, question, 3)
    assert store.checks == 1

    ingest(store, "shipping.md", "# Shipping\n\nParcels ship on Mondays.\n", embedder)
    assert retriever.retrieve(TENANT, "refunds paid", 3)
    assert store.checks == 2  # a write bumped the generation: checked again


def test_sqlite_rebinding_by_another_process_is_refused_even_for_cached_results(
    database: Database,
) -> None:
    store = SqliteVectorStore(database)
    embedder = HashEmbedder()
    ingest(store, "refunds.md", "# Refunds\n\nRefunds are paid within 14 days.\n", embedder)
    retriever = HybridRetriever(store, embedder, cache=RetrievalCache(max_entries=8))
    assert retriever.retrieve(TENANT, "refunds paid", 3)  # cached from now on

    # `xin kb reindex` in another process moves the index to a 32-dimension model.
    reindex(SqliteVectorStore(database), HashEmbedder(32))
    with pytest.raises(EmbeddingModelMismatch, match="'hash-test/32' \\(32 dimensions\\)"):
        retriever.retrieve(TENANT, "refunds paid", 3)
    assert HybridRetriever(store, HashEmbedder(32)).retrieve(TENANT, "refunds paid", 3)


def test_an_empty_unbound_index_answers_nothing_rather_than_refusing(database: Database) -> None:
    assert (
        HybridRetriever(SqliteVectorStore(database), HashEmbedder()).retrieve(TENANT, "refunds", 3)
        == []
    )


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class StaticEmbedder:
    def __init__(self, model_id: str = MODEL, dimension: int = DIM) -> None:
        self.model_id, self.dimension = model_id, dimension

    def embed_query(self, text: str) -> object:
        return unit(20)

    def embed_documents(self, texts: object) -> object:
        raise NotImplementedError


def opensearch(cluster: FakeCluster, clock: Clock) -> OpenSearchVectorStore:
    return OpenSearchVectorStore(
        fake_client(cluster),
        retry=RetryPolicy(base_s=0.0),
        sleep=lambda _s: None,
        binding_ttl_s=60.0,
        clock=clock,
    )


def mapping_reads(cluster: FakeCluster) -> int:
    return sum(r.method == "GET" and r.path.endswith("/_mapping") for r in cluster.requests)


def test_opensearch_reads_the_binding_once_per_ttl_not_per_query() -> None:
    cluster, clock = FakeCluster(spec=load_spec()), Clock()
    writer = opensearch(cluster, clock)
    writer.ensure_model(MODEL, DIM)
    put(writer, "t", "helm", ["Roll back a Helm release with helm rollback."], seed=20)

    reader = opensearch(cluster, clock)  # the chat function: never called ensure_model
    retriever = HybridRetriever(reader, StaticEmbedder(), candidates=10)  # type: ignore[arg-type]
    before = mapping_reads(cluster)
    for _ in range(5):
        assert retriever.retrieve("t", "helm rollback", 1)[0].chunk.document_id == "helm"
    assert mapping_reads(cluster) - before == 1
    clock.now += 61
    assert retriever.retrieve("t", "helm rollback", 1)
    assert mapping_reads(cluster) - before == 2  # re-read after the TTL

    other = HybridRetriever(reader, StaticEmbedder("another-model"))  # type: ignore[arg-type]
    with pytest.raises(EmbeddingModelMismatch, match=f"'{MODEL}' \\({DIM} dimensions\\)"):
        other.retrieve("t", "helm rollback", 1)
    assert mapping_reads(cluster) - before == 2  # the refusal came from the cached binding


def test_opensearch_without_an_index_checks_nothing_and_finds_nothing() -> None:
    cluster = FakeCluster(spec=load_spec())
    store = opensearch(cluster, Clock())
    store.check_model("any-model", 3)
    retriever = HybridRetriever(store, StaticEmbedder())  # type: ignore[arg-type]
    assert retriever.retrieve("t", "helm", 3) == []
