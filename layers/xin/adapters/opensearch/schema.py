"""What the OpenSearch store asks the cluster to create: index body and search pipelines.

One versioned index (``<alias>-v<N>``) sits behind the alias the application uses, so a
reindex builds ``v<N+1>`` and swaps the alias in one ``_aliases`` call. Chunks and document
records share the index (``doc_type``), so a swap moves both at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

SCHEMA_VERSION = 1
Engine = Literal["faiss", "lucene", "nmslib"]
SpaceType = Literal["cosinesimil", "innerproduct", "l2"]
HybridMode = Literal["auto", "rrf", "normalization", "client"]
CHUNK = "chunk"
DOCUMENT = "document"
VECTOR_FIELD = "embedding"
# Keys a filter may name directly; anything else is looked up under ``metadata.<key>``.
TOP_LEVEL_FILTERS = {"document_id": "document_id", "language": "language", "source": "source"}
TAGS_FILTER = "tags"


@dataclass(frozen=True, slots=True)
class IndexOptions:
    engine: Engine = "faiss"
    space_type: SpaceType = "cosinesimil"
    m: int = 16
    ef_construction: int = 128
    ef_search: int = 100
    shards: int = 1
    replicas: int = 1
    serverless: bool = False


def index_name(alias: str, version: int) -> str:
    return f"{alias}-v{version}"


def _text(analyzer: str) -> dict[str, Any]:
    return {
        "type": "text",
        "analyzer": analyzer,
        "fields": {"fa": {"type": "text", "analyzer": "persian"}},
    }


def index_body(
    *, alias: str | None, dimension: int, model_id: str, options: IndexOptions
) -> dict[str, Any]:
    """Settings, mappings and (optionally) the alias for a new versioned index."""
    index_settings: dict[str, Any] = {"knn": True}
    if options.engine != "lucene":  # lucene takes ef_search from the query instead
        index_settings["knn.algo_param.ef_search"] = options.ef_search
    if not options.serverless:  # Serverless manages shards and replicas itself
        index_settings["number_of_shards"] = options.shards
        index_settings["number_of_replicas"] = options.replicas
    body: dict[str, Any] = {
        "settings": {"index": index_settings},
        "mappings": {
            "dynamic": "false",
            "_meta": {
                "xin": {
                    "schema_version": SCHEMA_VERSION,
                    "embedding_model": model_id,
                    "dimension": dimension,
                }
            },
            "dynamic_templates": [
                {
                    "metadata_as_keywords": {
                        "path_match": "metadata.*",
                        "match_mapping_type": "string",
                        "mapping": {"type": "keyword", "ignore_above": 1024},
                    }
                }
            ],
            "properties": {
                "doc_type": {"type": "keyword"},
                "tenant": {"type": "keyword"},
                "document_id": {"type": "keyword"},
                "chunk_id": {"type": "keyword"},
                "ordinal": {"type": "integer"},
                "language": {"type": "keyword"},
                "source": {"type": "keyword"},
                "tags": {"type": "keyword"},
                "title": _text("english"),
                "heading": {"type": "keyword", "index": False},
                "location": {"type": "keyword", "index": False},
                "text": {"type": "text", "index": False},
                "body": _text("english"),
                "content_hash": {"type": "keyword"},
                "chunk_count": {"type": "integer"},
                "indexed_at": {"type": "date", "format": "epoch_millis"},
                "metadata": {"type": "object", "dynamic": "true"},
                VECTOR_FIELD: {
                    "type": "knn_vector",
                    "dimension": dimension,
                    "method": {
                        "name": "hnsw",
                        "engine": options.engine,
                        "space_type": options.space_type,
                        "parameters": {"m": options.m, "ef_construction": options.ef_construction},
                    },
                },
            },
        },
    }
    if alias is not None:
        body["aliases"] = {alias: {"is_write_index": True}}
    return body


def rrf_pipeline(rank_constant: int) -> dict[str, Any]:
    """OpenSearch >= 2.19: reciprocal-rank fusion in the neural-search score ranker."""
    return {
        "description": "Xin hybrid search: reciprocal-rank fusion of BM25 and k-NN",
        "phase_results_processors": [
            {
                "score-ranker-processor": {
                    "combination": {"technique": "rrf", "rank_constant": rank_constant}
                }
            }
        ],
    }


def normalization_pipeline(lexical_weight: float = 0.4) -> dict[str, Any]:
    """OpenSearch 2.10 - 2.18: min-max normalisation and a weighted arithmetic mean."""
    return {
        "description": "Xin hybrid search: min-max normalised BM25 and k-NN, weighted mean",
        "phase_results_processors": [
            {
                "normalization-processor": {
                    "normalization": {"technique": "min_max"},
                    "combination": {
                        "technique": "arithmetic_mean",
                        "parameters": {"weights": [lexical_weight, round(1 - lexical_weight, 6)]},
                    },
                }
            }
        ],
    }


def pick_hybrid_mode(mode: HybridMode, version: str | None, *, serverless: bool) -> HybridMode:
    """``auto``: RRF from 2.19, normalisation from 2.10, client-side fusion otherwise."""
    if mode != "auto":
        return mode
    if serverless or not version:
        return "client"
    try:
        major, minor = (int(part) for part in version.split(".")[:2])
    except ValueError:
        return "client"
    if (major, minor) >= (2, 19):
        return "rrf"
    if (major, minor) >= (2, 10):
        return "normalization"
    return "client"


def cosine_from_score(score: float, space_type: SpaceType) -> float:
    """Undo the k-NN plugin's score transform, so ``dense`` scores mean cosine everywhere.

    cosinesimil: (1 + cos) / 2; innerproduct (unit vectors): 1 + ip, or 1 / (1 - ip) when
    ip < 0; l2: 1 / (1 + d²) with d² = 2 - 2 cos.
    """
    if space_type == "cosinesimil":
        return 2.0 * score - 1.0
    if space_type == "innerproduct":
        return score - 1.0 if score >= 1.0 else 1.0 - 1.0 / score
    if score <= 0:
        return -1.0
    return 1.0 - (1.0 / score - 1.0) / 2.0


def cosine(a: list[float], b: list[float]) -> float:
    dot = math.fsum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(math.fsum(x * x for x in a)) * math.sqrt(math.fsum(y * y for y in b))
    return dot / norm if norm else 0.0
