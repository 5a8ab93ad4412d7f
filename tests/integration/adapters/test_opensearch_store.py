"""OpenSearch store behaviour beyond the shared contract: retries, bulk chunking and item
errors, alias swaps, hybrid pipelines, tenant scoping of every request, client auth."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest

from tests.contract.opensearch_fake import FakeCluster, fake_client
from tests.contract.opensearch_spec import load_spec
from tests.contract.vector_store_contract import DIM, MODEL, put, unit
from xin.adapters.opensearch.bulk import BulkLimits, BulkWriteError
from xin.adapters.opensearch.client import RetryPolicy, build_client
from xin.adapters.opensearch.schema import IndexOptions, cosine_from_score, pick_hybrid_mode
from xin.adapters.opensearch.store import OpenSearchVectorStore
from xin.config.settings import OpenSearchSettings
from xin.errors import ConfigurationError, StoreUnavailable
from xin.rag.retrieval import HybridRetriever


def make(
    cluster: FakeCluster | None = None, **kwargs: object
) -> tuple[OpenSearchVectorStore, FakeCluster, list[float]]:
    cluster = cluster or FakeCluster(spec=load_spec())
    pauses: list[float] = []
    options = {"retry": RetryPolicy(max_retries=3, base_s=0.5, max_s=4.0), "sleep": pauses.append}
    options.update(kwargs)
    store = OpenSearchVectorStore(fake_client(cluster), **options)  # type: ignore[arg-type]
    store.ensure_model(MODEL, DIM)
    return store, cluster, pauses


def searches(cluster: FakeCluster) -> list[Any]:
    return [r.body for r in cluster.requests if r.path.endswith("/_search")]


def test_throttled_search_is_retried_with_growing_jittered_backoff() -> None:
    store, cluster, pauses = make()
    put(store, "t", "d", ["kubernetes helm chart"])
    cluster.fail_next("POST", "/_search", 429, "too_many_requests", times=3)
    assert store.keyword_search("t", "helm", 5)
    assert len(pauses) == 3
    assert all(0 <= p <= cap for p, cap in zip(pauses, [0.5, 1.0, 2.0], strict=True))


def test_server_errors_past_the_retry_budget_become_store_unavailable() -> None:
    store, cluster, pauses = make()
    cluster.fail_next("POST", "/_search", 503, "unavailable", times=4)
    with pytest.raises(StoreUnavailable, match="503"):
        store.keyword_search("t", "helm", 5)
    assert len(pauses) == 3


def test_client_errors_are_not_retried() -> None:
    store, cluster, pauses = make()
    cluster.fail_next("POST", "/_search", 400, "parsing_exception")
    with pytest.raises(StoreUnavailable, match="parsing_exception"):
        store.keyword_search("t", "helm", 5)
    assert pauses == []


def test_bulk_writes_are_split_into_bounded_requests() -> None:
    store, cluster, _ = make(bulk=BulkLimits(max_docs=2, max_bytes=10_000_000))
    put(store, "t", "d", [f"chunk {i}" for i in range(5)])
    bulks = [r.body for r in cluster.requests if r.path == "/_bulk"]
    index_lines = [[line for line in body if "index" in line] for body in bulks]
    assert [len(lines) for lines in index_lines][:3] == [2, 2, 1]
    assert len(store.vector_search("t", unit(0), 10)) == 5


def test_a_rejected_document_is_reported_and_the_old_version_stays() -> None:
    from xin.adapters.opensearch.store import chunk_doc_id

    store, cluster, _ = make()
    put(store, "t", "d", ["original text"], seed=0)
    cluster.fail_item(chunk_doc_id("t", "d:7:0"), 400, "mapper_parsing_exception")
    with pytest.raises(BulkWriteError, match="mapper_parsing_exception") as info:
        put(store, "t", "d", ["new text"], seed=7)
    assert info.value.failures[0][1] == 400
    record = store.get_document("t", "d")
    assert record is not None and record.content_hash == "hash-0"  # next ingest retries it
    assert store.keyword_search("t", "original", 5)


def test_throttled_bulk_items_are_sent_again() -> None:
    from xin.adapters.opensearch.store import chunk_doc_id

    store, cluster, pauses = make()
    cluster.fail_item(chunk_doc_id("t", "d:0:1"), 429, "es_rejected_execution_exception", times=2)
    put(store, "t", "d", ["first", "second"])
    assert len(store.vector_search("t", unit(0), 10)) == 2
    assert len(pauses) == 2


def test_items_throttled_beyond_the_budget_fail_loudly() -> None:
    from xin.adapters.opensearch.store import chunk_doc_id

    store, cluster, _ = make()
    cluster.fail_item(chunk_doc_id("t", "d:0:0"), 429, "es_rejected_execution_exception", times=9)
    with pytest.raises(BulkWriteError, match="throttled"):
        put(store, "t", "d", ["first"])


def test_reindex_swaps_the_alias_in_one_atomic_call() -> None:
    store, cluster, _ = make()
    put(store, "t", "d", ["kubernetes helm chart"])
    before = store.keyword_search("t", "helm", 5)
    assert store.reindex() == "xin-chunks-v2"
    swaps = [r.body for r in cluster.requests if r.path == "/_aliases"]
    assert swaps == [
        {
            "actions": [
                {"remove": {"index": "xin-chunks-v1", "alias": "xin-chunks"}},
                {"add": {"index": "xin-chunks-v2", "alias": "xin-chunks", "is_write_index": True}},
            ]
        }
    ]
    assert cluster.aliases["xin-chunks"] == "xin-chunks-v2"
    assert [h.chunk.chunk_id for h in store.keyword_search("t", "helm", 5)] == [
        h.chunk.chunk_id for h in before
    ]
    store.ensure_model(MODEL, DIM)  # the binding moved with the data


def test_every_search_request_is_scoped_to_the_tenant() -> None:
    store, cluster, _ = make()
    put(store, "t", "d", ["kubernetes helm chart"])
    store.keyword_search("t", "helm", 5, {"team": "docs"})
    store.vector_search("t", unit(0), 5)
    store.hybrid_search("t", "helm", unit(0), 5)
    store.list_documents("t")
    store.delete_document("t", "d")
    bodies = searches(cluster)
    assert len(bodies) >= 6
    for body in bodies:
        text = str(body["query"])
        assert "{'term': {'tenant': 't'}}" in text, body
    knn_filters = [q for b in bodies for q in _knn_clauses(b["query"])]
    assert knn_filters and all("{'term': {'tenant': 't'}}" in str(f) for f in knn_filters)


def _knn_clauses(node: object) -> list[object]:
    if isinstance(node, dict):
        found = [v["embedding"]["filter"] for k, v in node.items() if k == "knn"]
        return found + [x for v in node.values() for x in _knn_clauses(v)]
    if isinstance(node, list):
        return [x for v in node for x in _knn_clauses(v)]
    return []


@pytest.mark.parametrize(
    ("version", "processor"),
    [("2.19.1", "score-ranker-processor"), ("2.15.0", "normalization-processor")],
)
def test_hybrid_search_uses_the_pipeline_the_cluster_supports(version: str, processor: str) -> None:
    store, cluster, _ = make(FakeCluster(spec=load_spec(), version=version))
    put(store, "t", "helm", ["Roll back a Helm release.", "Bananas."], seed=20)
    retriever = HybridRetriever(store, _Embedder(unit(20)), candidates=10)
    hits = retriever.retrieve("t", "roll back helm", 2)
    assert hits[0].chunk.chunk_id == "helm:20:0"
    assert hits[0].scores["dense"] == pytest.approx(1.0, abs=1e-4)  # cosine from the vectors
    (pipeline,) = cluster.pipelines.values()
    assert processor in pipeline["phase_results_processors"][0]
    assert any(r.params.get("search_pipeline") == store.pipeline for r in cluster.requests)


@pytest.mark.parametrize("cluster_kwargs", [{"version": "2.5.0"}, {"pipelines_supported": False}])
def test_old_or_pluginless_clusters_fall_back_to_client_side_fusion(
    cluster_kwargs: dict[str, Any],
) -> None:
    store, cluster, _ = make(FakeCluster(spec=load_spec(), **cluster_kwargs))
    put(store, "t", "helm", ["Roll back a Helm release.", "Bananas."], seed=20)
    assert store.hybrid_available() is False
    hits = HybridRetriever(store, _Embedder(unit(20)), candidates=10).retrieve("t", "helm", 2)
    assert hits[0].chunk.chunk_id == "helm:20:0"
    assert set(hits[0].scores) == {"bm25", "dense"}  # fused on the client
    assert not any("hybrid" in str(b.get("query")) for b in searches(cluster))


def test_serverless_uses_client_fusion_and_no_shard_settings() -> None:
    options = IndexOptions(serverless=True)
    store, cluster, _ = make(options=options)
    assert store.hybrid_available() is False
    assert not any(r.path == "/" for r in cluster.requests)  # no version probe on Serverless
    created = next(r.body for r in cluster.requests if r.method == "PUT")
    assert "number_of_shards" not in created["settings"]["index"]
    put(store, "t", "d", ["text"])
    assert all("refresh" not in r.params for r in cluster.requests if r.path == "/_bulk")


def test_index_mapping_carries_the_model_binding_and_hnsw_parameters() -> None:
    options = IndexOptions(engine="lucene", space_type="innerproduct", m=24, ef_construction=256)
    _store, cluster, _ = make(options=options)
    created = next(r for r in cluster.requests if r.method == "PUT")
    assert created.path == "/xin-chunks-v1"
    mappings = created.body["mappings"]
    assert mappings["_meta"]["xin"] == {
        "schema_version": 1,
        "embedding_model": MODEL,
        "dimension": DIM,
    }
    vector = mappings["properties"]["embedding"]
    assert vector["dimension"] == DIM
    assert vector["method"] == {
        "name": "hnsw",
        "engine": "lucene",
        "space_type": "innerproduct",
        "parameters": {"m": 24, "ef_construction": 256},
    }
    assert mappings["properties"]["body"]["analyzer"] == "english"
    assert mappings["properties"]["body"]["fields"]["fa"]["analyzer"] == "persian"
    assert created.body["aliases"] == {"xin-chunks": {"is_write_index": True}}


@pytest.mark.parametrize("space", ["cosinesimil", "innerproduct", "l2"])
def test_knn_scores_are_reported_as_cosine_in_every_space(space: str) -> None:
    # No spec validation here: three more mappings would cost ~4 s each to validate.
    store, _cluster, _ = make(FakeCluster(), options=IndexOptions(space_type=space))  # type: ignore[arg-type]
    put(store, "t", "d", ["a", "b", "c"], seed=40)
    query = unit(40)
    hits = store.vector_search("t", query, 3)
    for hit in hits:
        expected = float(np.dot(query, unit(40 + hit.chunk.ordinal)))
        assert hit.scores["dense"] == pytest.approx(expected, abs=1e-4)


def test_cosine_from_score_inverts_the_plugin_transforms() -> None:
    for cos in (-0.9, -0.2, 0.0, 0.3, 0.99):
        assert cosine_from_score((1 + cos) / 2, "cosinesimil") == pytest.approx(cos)
        ip = cos + 1 if cos >= 0 else 1 / (1 - cos)
        assert cosine_from_score(ip, "innerproduct") == pytest.approx(cos)
        assert cosine_from_score(1 / (1 + 2 - 2 * cos), "l2") == pytest.approx(cos)


def test_pick_hybrid_mode() -> None:
    assert pick_hybrid_mode("auto", "2.19.0", serverless=False) == "rrf"
    assert pick_hybrid_mode("auto", "3.1.0", serverless=False) == "rrf"
    assert pick_hybrid_mode("auto", "2.12.0", serverless=False) == "normalization"
    assert pick_hybrid_mode("auto", "2.9.0", serverless=False) == "client"
    assert pick_hybrid_mode("auto", "2.19.0", serverless=True) == "client"
    assert pick_hybrid_mode("normalization", None, serverless=False) == "normalization"


def test_searching_before_anything_was_indexed_returns_nothing() -> None:
    cluster = FakeCluster(spec=load_spec())
    store = OpenSearchVectorStore(fake_client(cluster), retry=RetryPolicy(base_s=0))
    assert store.keyword_search("t", "anything", 5) == []
    assert store.get_document("t", "d") is None
    assert store.list_documents("t") == []
    with pytest.raises(ConfigurationError, match="ensure_model"):
        put(store, "t", "d", ["text"])


def test_backoff_is_capped_and_jittered() -> None:
    policy = RetryPolicy(max_retries=10, base_s=0.5, max_s=3.0)
    rng = random.Random(1)
    delays = [policy.delay(attempt, rng) for attempt in range(10)]
    assert max(delays) <= 3.0
    assert len(set(delays)) == 10


class _Embedder:
    model_id = MODEL
    dimension = DIM

    def __init__(self, vector: np.ndarray) -> None:
        self._vector = vector

    def embed_query(self, text: str) -> np.ndarray:
        return self._vector

    def embed_documents(self, texts: object) -> np.ndarray:
        raise NotImplementedError


# -- client construction ----------------------------------------------------------------
def test_sigv4_client_signs_for_the_configured_service(monkeypatch: pytest.MonkeyPatch) -> None:
    from opensearchpy import Urllib3AWSV4SignerAuth

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-a-real-secret")
    settings = OpenSearchSettings(
        url="https://abc.eu-west-1.aoss.amazonaws.com", auth="sigv4", service="aoss"
    )
    client = build_client(settings, region="eu-west-1")
    connection = client.transport.get_connection()
    auth = client.transport.kwargs["http_auth"]
    assert isinstance(auth, Urllib3AWSV4SignerAuth)
    headers = auth("GET", "https://abc.eu-west-1.aoss.amazonaws.com/xin-chunks/_search", b"{}")
    assert "/eu-west-1/aoss/aws4_request" in headers["Authorization"]
    assert "x-amz-content-sha256" in {k.lower() for k in headers}
    assert client.transport.kwargs["verify_certs"] is True
    assert connection.host == "https://abc.eu-west-1.aoss.amazonaws.com:443"


def test_basic_auth_reads_the_password_from_the_secret_source() -> None:
    class Secrets:
        def get(self, name: str) -> str:
            assert name == "opensearch-password"
            return "s3cret-value"

    settings = OpenSearchSettings(url="http://search.internal:9200", auth="basic", username="xin")
    client = build_client(settings, secrets=Secrets())
    assert client.transport.kwargs["http_auth"] == ("xin", "s3cret-value")
    assert client.transport.get_connection().host == "http://search.internal:9200"


def test_a_malformed_url_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="https://host"):
        build_client(OpenSearchSettings(url="search.internal:9200"))
