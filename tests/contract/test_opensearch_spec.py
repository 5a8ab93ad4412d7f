"""Every body the OpenSearch store builds, validated against the OpenSearch REST API spec.

Skipped, with the reason, when ``$XIN_OPENSEARCH_SPEC`` is not set. (The contract suite also
validates every request the store sends through the fake transport when the spec is there.)
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.contract.opensearch_spec import (
    SKIP_REASON,
    OpenSearchSpec,
    SpecViolationError,
    load_spec,
)
from xin.adapters.opensearch import queries
from xin.adapters.opensearch.schema import (
    IndexOptions,
    index_body,
    normalization_pipeline,
    rrf_pipeline,
)

VECTOR = [0.1] * 8


@pytest.fixture(scope="module")
def spec() -> OpenSearchSpec:
    loaded = load_spec()
    if loaded is None:
        pytest.skip(SKIP_REASON)
    return loaded


def test_index_body_with_knn_mapping_and_analyzers(spec: OpenSearchSpec) -> None:
    body = index_body(alias="xin-chunks", dimension=384, model_id="e5", options=IndexOptions())
    assert spec.validate("PUT", "/xin-chunks-v1", body) == "/{index}"


def test_search_pipelines(spec: OpenSearchSpec) -> None:
    assert spec.validate("PUT", "/_search/pipeline/xin-hybrid", rrf_pipeline(60))
    assert spec.validate("PUT", "/_search/pipeline/xin-hybrid", normalization_pipeline())


@pytest.mark.parametrize(
    "body",
    [
        queries.keyword_search("t", "helm rollback", 10, {"team": "docs", "language": "en"}),
        queries.vector_search("t", VECTOR, 10, {"tags": "faq"}),
        queries.hybrid_search("t", "helm", VECTOR, 10, None),
        queries.document_records("t", 1000, "doc-1"),
        queries.stale_chunks("t", "doc-1", ["a", "b"], 1000),
    ],
    ids=["keyword", "vector", "hybrid", "records", "stale-chunks"],
)
def test_search_bodies(spec: OpenSearchSpec, body: dict[str, Any]) -> None:
    assert spec.validate("POST", "/xin-chunks/_search", body) == "/{index}/_search"


def test_bulk_and_alias_bodies(spec: OpenSearchSpec) -> None:
    bulk = [
        {"index": {"_index": "xin-chunks", "_id": "a1"}},
        {"doc_type": "chunk", "tenant": "t", "embedding": VECTOR},
        {"delete": {"_index": "xin-chunks", "_id": "a2"}},
    ]
    assert spec.validate("POST", "/_bulk", bulk) == "/_bulk"
    swap = {
        "actions": [
            {"remove": {"index": "xin-chunks-v1", "alias": "xin-chunks"}},
            {"add": {"index": "xin-chunks-v2", "alias": "xin-chunks", "is_write_index": True}},
        ]
    }
    assert spec.validate("POST", "/_aliases", swap) == "/_aliases"


@pytest.mark.parametrize(
    "body",
    [
        {"query": {"bool": {"filtr": [{"term": {"tenant": "t"}}]}}},  # misspelt clause
        {"query": {"knn": {"embedding": {"k": 3}}}},  # knn without a vector
        {"size": "ten"},
        {"sort": [{"chunk_id": {"order": "asc"}}]},  # ambiguous under the spec's oneOf
    ],
)
def test_the_validator_rejects_what_the_spec_rejects(
    spec: OpenSearchSpec, body: dict[str, Any]
) -> None:
    with pytest.raises(SpecViolationError):
        spec.validate("POST", "/xin-chunks/_search", body)


@pytest.mark.parametrize("mistake", ["field", "type", "method"])
def test_a_broken_vector_mapping_is_rejected(spec: OpenSearchSpec, mistake: str) -> None:
    body = index_body(alias="x", dimension=8, model_id="m", options=IndexOptions())
    vector = body["mappings"]["properties"]["embedding"]
    body["mappings"]["properties"] = {"embedding": vector}  # keep the check fast
    if mistake == "field":
        vector["dimensoin"] = vector.pop("dimension")
    elif mistake == "type":
        vector["type"] = "knn_vectr"
    else:
        vector["method"]["spacetype"] = vector["method"].pop("space_type")
    with pytest.raises(SpecViolationError, match="mappings/properties/embedding"):
        spec.validate("PUT", "/x-v1", body)
