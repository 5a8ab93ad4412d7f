"""Query DSL builders. Every query is built around :func:`scope`, which always carries the
tenant filter: callers pass a tenant, they cannot pass a query without one."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from xin.adapters.opensearch.schema import (
    CHUNK,
    DOCUMENT,
    TAGS_FILTER,
    TOP_LEVEL_FILTERS,
    VECTOR_FIELD,
)
from xin.errors import InvalidRequest

_FILTER_KEY = re.compile(r"^[A-Za-z0-9_]{1,64}$")
_RESULT_FIELDS = {"excludes": [VECTOR_FIELD, "body"]}


def scope(
    tenant: str, doc_type: str, filters: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """Filter clauses: the tenant (never optional), the kind of doc, then metadata filters."""
    if not tenant:
        raise InvalidRequest("a tenant is required for every store query")
    clauses: list[dict[str, Any]] = [
        {"term": {"tenant": tenant}},
        {"term": {"doc_type": doc_type}},
    ]
    for key, value in (filters or {}).items():
        if not _FILTER_KEY.match(key):
            raise InvalidRequest(f"invalid metadata filter key: {key!r}")
        if key in TOP_LEVEL_FILTERS:
            field = TOP_LEVEL_FILTERS[key]
        elif key == TAGS_FILTER:
            field = "tags"
        else:
            field = f"metadata.{key}"
        clauses.append({"term": {field: value}})
    return clauses


def lexical(query: str) -> dict[str, Any]:
    """BM25 over the English-analysed body and its Persian-analysed sub-field."""
    return {"multi_match": {"query": query, "fields": ["body", "body.fa"], "type": "most_fields"}}


def knn(vector: Sequence[float], k: int, clauses: list[dict[str, Any]]) -> dict[str, Any]:
    """k-NN with the scope as an efficient (pre-)filter."""
    return {
        "knn": {
            VECTOR_FIELD: {
                "vector": [float(x) for x in vector],
                "k": k,
                "filter": {"bool": {"filter": clauses}},
            }
        }
    }


def scoped(clauses: list[dict[str, Any]], must: dict[str, Any] | None = None) -> dict[str, Any]:
    """A bool query whose filter is the scope; the scope also post-filters k-NN results."""
    body: dict[str, Any] = {"filter": clauses}
    if must is not None:
        body["must"] = [must]
    return {"bool": body}


def keyword_search(
    tenant: str, query: str, k: int, filters: Mapping[str, str] | None
) -> dict[str, Any]:
    clauses = scope(tenant, CHUNK, filters)
    return {"size": k, "query": scoped(clauses, lexical(query)), "_source": _RESULT_FIELDS}


def vector_search(
    tenant: str, vector: Sequence[float], k: int, filters: Mapping[str, str] | None
) -> dict[str, Any]:
    clauses = scope(tenant, CHUNK, filters)
    return {
        "size": k,
        "query": scoped(clauses, knn(vector, k, clauses)),
        "_source": _RESULT_FIELDS,
    }


def hybrid_search(
    tenant: str,
    query: str,
    vector: Sequence[float],
    k: int,
    filters: Mapping[str, str] | None,
) -> dict[str, Any]:
    """Both sub-queries carry the scope, so the fused list cannot leave the tenant."""
    clauses = scope(tenant, CHUNK, filters)
    return {
        "size": k,
        "query": {
            "hybrid": {
                "queries": [
                    scoped(clauses, lexical(query)),
                    scoped(clauses, knn(vector, k, clauses)),
                ]
            }
        },
        "_source": {"excludes": ["body"]},  # the vectors give each hit its cosine
    }


def document_records(tenant: str, size: int, document_id: str | None = None) -> dict[str, Any]:
    clauses = scope(tenant, DOCUMENT)
    if document_id is not None:
        clauses.append({"term": {"document_id": document_id}})
    return {
        "size": size,
        "query": scoped(clauses),
        "sort": ["document_id"],  # ascending
    }


def stale_chunks(
    tenant: str, document_id: str, keep_ids: Sequence[str], size: int
) -> dict[str, Any]:
    """Chunks of a document whose ids are not in ``keep_ids`` (left over by a replace)."""
    clauses = scope(tenant, CHUNK)
    clauses.append({"term": {"document_id": document_id}})
    query: dict[str, Any] = {"bool": {"filter": clauses}}
    if keep_ids:
        query["bool"]["must_not"] = [{"ids": {"values": list(keep_ids)}}]
    return {"size": size, "query": query, "_source": False}
