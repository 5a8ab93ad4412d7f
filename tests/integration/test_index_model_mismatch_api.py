"""A deployment whose index was built with another embedding model refuses to answer over
HTTP (FastAPI, SSE and the Lambda chat handler) with a stable 503 envelope naming both models,
instead of ranking passages with incomparable vectors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import load_event
from tests.integration.embedding_server import EmbeddingServer, running_embedding_server
from tests.integration.test_lambda_handlers import LambdaContext, load_handler
from xin.api.app import create_app
from xin.config import load_settings
from xin.deps import Container

REFUNDS = b"# Refunds\n\nRefunds are paid within 14 days by bank transfer.\n"
QUESTION = "How long until refunds are paid?"
BUILT = "'openai:model-a/384' (384 dimensions)"


@pytest.fixture
def embeddings() -> Iterator[EmbeddingServer]:
    with running_embedding_server() as server:
        yield server


def use_model(monkeypatch: pytest.MonkeyPatch, server: EmbeddingServer, model: str) -> None:
    for name, value in server.environment(model).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("XIN_RAG__MIN_RELEVANCE", "0.3")  # calibrated for e5, not these vectors


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, embeddings: EmbeddingServer) -> Path:
    """An index built with ``model-a``; the environment then configures ``model-b``."""
    data_dir = tmp_path / "data"
    monkeypatch.setenv("XIN_DATA_DIR", str(data_dir))
    use_model(monkeypatch, embeddings, "model-a")
    built = Container(load_settings())
    try:
        assert built.ingestion.ingest_bytes(REFUNDS, "refunds.md", tenant="default").status == (
            "indexed"
        )
    finally:
        built.database.close()
    use_model(monkeypatch, embeddings, "model-b")
    return data_dir


def client() -> TestClient:
    return TestClient(create_app(load_settings()), raise_server_exceptions=False)


def assert_refusal(message: str, configured: str = "'openai:model-b/384' (384 dimensions)") -> None:
    assert message == (
        f"the index was built with embedding model {BUILT}, but {configured} is configured; "
        "run 'xin kb reindex' to re-embed it with the configured model, or configure the "
        "original model again"
    )


@pytest.mark.usefixtures("data_dir")
def test_chat_answers_503_with_a_stable_envelope_and_the_request_id() -> None:
    with client() as http:
        response = http.post("/chat", json={"message": QUESTION}, headers={"x-request-id": "r-42"})
        again = http.post("/chat", json={"message": "Are refunds paid by bank transfer?"})
    assert response.status_code == 503
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == "index_model_mismatch"
    assert body["error"]["request_id"] == "r-42" == response.headers["x-request-id"]
    assert_refusal(body["error"]["message"])
    assert again.status_code == 503  # every question, not only the first one


@pytest.mark.usefixtures("data_dir")
def test_streamed_chat_is_refused_before_the_stream_starts() -> None:
    with client() as http:
        response = http.post("/chat", json={"message": QUESTION, "stream": True})
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/json"
    assert response.json()["error"]["code"] == "index_model_mismatch"
    assert_refusal(response.json()["error"]["message"])


@pytest.mark.usefixtures("data_dir")
def test_ingest_answers_503_and_indexes_nothing() -> None:
    with client() as http:
        response = http.post("/ingest", json={"title": "Returns", "text": "Labels are emailed."})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "index_model_mismatch"
    assert_refusal(response.json()["error"]["message"])
    built = Container(load_settings())
    try:
        assert [d.document_id for d in built.store.list_documents("default")] == ["refunds.md"]
    finally:
        built.database.close()


def test_the_model_the_index_was_built_with_still_answers(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, embeddings: EmbeddingServer
) -> None:
    use_model(monkeypatch, embeddings, "model-a")
    with client() as http:
        response = http.post("/chat", json={"message": QUESTION})
    assert response.status_code == 200, response.text
    assert "14 days" in response.json()["answer"]
    assert response.json()["citations"][0]["document_id"] == "refunds.md"


@pytest.mark.usefixtures("data_dir")
def test_lambda_chat_handler_answers_503_with_the_same_envelope() -> None:
    event: dict[str, Any] = load_event("apigw_v2_chat.json")
    event["body"] = json.dumps({"message": QUESTION})
    event["headers"]["content-length"] = str(len(event["body"]))
    response = load_handler("chat").handler(event, LambdaContext())
    headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
    body = json.loads(response["body"])
    assert response["statusCode"] == 503
    assert body["error"]["code"] == "index_model_mismatch"
    assert body["error"]["request_id"] == headers["x-request-id"] != ""
    assert_refusal(body["error"]["message"])
