"""The VectorStore contract against SQLite and OpenSearch (in-process fake transport whose
every request body is validated against the OpenSearch REST API spec when it is available)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.contract.opensearch_fake import FakeCluster, fake_client
from tests.contract.opensearch_spec import OpenSearchSpec, load_spec
from tests.contract.vector_store_contract import DIM, MODEL, VectorStoreContract
from xin.adapters.opensearch.client import RetryPolicy
from xin.adapters.opensearch.store import OpenSearchVectorStore
from xin.adapters.sqlite.database import Database
from xin.adapters.sqlite.store import SqliteVectorStore
from xin.ports import VectorStore


@pytest.fixture(scope="session")
def spec() -> OpenSearchSpec | None:
    return load_spec()


@pytest.fixture(params=["sqlite", "opensearch"])
def store(
    request: pytest.FixtureRequest, tmp_path: Path, spec: OpenSearchSpec | None
) -> Iterator[VectorStore]:
    if request.param == "sqlite":
        built: VectorStore = SqliteVectorStore(Database(tmp_path / "xin.db"))
        cluster = None
    else:
        cluster = FakeCluster(spec=spec)
        built = OpenSearchVectorStore(
            fake_client(cluster), retry=RetryPolicy(base_s=0.0), sleep=lambda _s: None
        )
    built.ensure_model(MODEL, DIM)
    yield built
    if cluster is not None and spec is not None:
        assert cluster.validated, "no request was validated against the spec"


class TestVectorStoreContract(VectorStoreContract):
    pass
