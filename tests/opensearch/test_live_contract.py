"""The VectorStore contract against a real OpenSearch cluster (``-m opensearch``).

Runs when ``OPENSEARCH_URL`` is set (CI: an ``opensearchproject/opensearch:2`` service
container with the security plugin disabled); each test gets its own alias, deleted after.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from tests.contract.vector_store_contract import DIM, MODEL, VectorStoreContract
from xin.adapters.opensearch.client import build_client
from xin.adapters.opensearch.schema import IndexOptions
from xin.adapters.opensearch.store import OpenSearchVectorStore
from xin.config.settings import OpenSearchSettings

URL = os.environ.get("OPENSEARCH_URL")
pytestmark = [
    pytest.mark.opensearch,
    pytest.mark.skipif(not URL, reason="OPENSEARCH_URL is not set: no OpenSearch cluster to test"),
]


@pytest.fixture
def store() -> Iterator[OpenSearchVectorStore]:
    settings = OpenSearchSettings(url=URL, replicas=0, engine="lucene")
    client = build_client(settings)
    alias = f"xin-test-{uuid.uuid4().hex[:10]}"
    options = IndexOptions(engine=settings.engine, replicas=settings.replicas)
    built = OpenSearchVectorStore(client, alias=alias, options=options)
    built.ensure_model(MODEL, DIM)
    yield built
    current = built.current_index()
    if current is not None:
        client.indices.delete(index=current)
    if built.hybrid_available():
        client.search_pipeline.delete(id=built.pipeline)


class TestLiveVectorStoreContract(VectorStoreContract):
    pass
