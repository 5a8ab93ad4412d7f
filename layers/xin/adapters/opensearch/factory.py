"""Builds the OpenSearch store from ``Settings`` (used by ``deps.Container``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from xin.adapters.opensearch.bulk import BulkLimits
from xin.adapters.opensearch.client import RetryPolicy, build_client
from xin.adapters.opensearch.schema import IndexOptions
from xin.adapters.opensearch.store import OpenSearchVectorStore

if TYPE_CHECKING:
    from xin.config import Settings
    from xin.ports import SecretSource


def build_store(settings: Settings, secrets: Callable[[], SecretSource]) -> OpenSearchVectorStore:
    config = settings.store.opensearch
    client = build_client(
        config,
        secrets=secrets() if config.auth == "basic" else None,
        region=settings.aws.region,
    )
    options = IndexOptions(
        engine=config.engine,
        space_type=config.space_type,
        m=config.m,
        ef_construction=config.ef_construction,
        ef_search=config.ef_search,
        shards=config.shards,
        replicas=config.replicas,
        serverless=config.service == "aoss",
    )
    return OpenSearchVectorStore(
        client,
        alias=config.alias,
        options=options,
        hybrid=config.hybrid,
        rrf_k=settings.rag.rrf_k,
        refresh=config.refresh,
        bulk=BulkLimits(max_docs=config.bulk_max_docs, max_bytes=config.bulk_max_bytes),
        retry=RetryPolicy(
            max_retries=config.max_retries,
            base_s=config.backoff_base_s,
            max_s=config.backoff_max_s,
        ),
    )
