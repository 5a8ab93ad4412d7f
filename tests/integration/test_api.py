"""The HTTP API over the sample knowledge base, through the full middleware stack."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from xin.api.app import create_app
from xin.deps import Container


def assert_envelope(response_json: dict[str, object], code: str) -> None:
    error = response_json["error"]
    assert isinstance(error, dict)
    assert error["code"] == code
    assert error["request_id"]
    assert "Traceback" not in str(error["message"])


def test_health_reports_store_ready(kb_client: TestClient) -> None:
    response = kb_client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["checks"] == {"store": "ok"}


def test_health_is_degraded_when_the_store_cannot_open(tmp_path: Path, settings: object) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    from xin.config import load_settings

    broken = load_settings(data_dir=blocker / "sub")
    client = TestClient(create_app(broken, routes=("health",)), raise_server_exceptions=False)
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["checks"]["store"] == "store_unavailable"


def test_kubernetes_question_cites_the_deployment_doc(kb_client: TestClient) -> None:
    response = kb_client.post("/chat", json={"message": "How do I deploy Xin to Kubernetes?"})
    assert response.status_code == 200
    body = response.json()
    assert body["grounded"] is True
    assert body["language"] == "en"
    assert body["citations"][0]["document_id"] == "deployment.md"
    assert "helm" in body["answer"].lower() or "kubernetes" in body["answer"].lower()
    assert body["request_id"] == response.headers["x-request-id"]


def test_persian_install_question_gets_a_persian_answer_from_persian_docs(
    kb_client: TestClient,
) -> None:
    body = kb_client.post("/chat", json={"message": "چگونه شین را نصب کنم؟"}).json()
    assert body["language"] == "fa"
    assert body["citations"]
    assert all(c["document_id"].startswith("fa/") for c in body["citations"])
    persian_letters = sum("\u0600" <= ch <= "\u06ff" for ch in body["answer"])
    assert persian_letters > len(body["answer"]) / 3


@pytest.mark.parametrize(
    "question",
    ["What is the capital of France?", "How do I bake a chocolate cake?", "پایتخت فرانسه کجاست؟"],
)
def test_uncovered_question_gets_an_honest_i_dont_know(
    kb_client: TestClient, question: str
) -> None:
    body = kb_client.post("/chat", json={"message": question}).json()
    assert body["grounded"] is False
    assert body["citations"] == []


def test_session_keeps_conversation_memory(kb_client: TestClient, kb_container: Container) -> None:
    first = kb_client.post("/chat", json={"message": "How do I deploy Xin to Kubernetes?"}).json()
    second = kb_client.post(
        "/chat", json={"message": "and roll back?", "session_id": first["session_id"]}
    ).json()
    assert second["session_id"] == first["session_id"]
    turns = kb_container.conversations.history("default", first["session_id"], 10)
    assert [t.role for t in turns] == ["user", "assistant", "user", "assistant"]


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ('{"message": "unterminated', 400, "malformed_json"),
        ('{"message": ""}', 422, "validation_error"),
        ('{"message": "   "}', 422, "validation_error"),
        ('{"message": 42}', 422, "validation_error"),
        ("[]", 422, "validation_error"),
        ('{"message": "hi", "tenant": "../etc"}', 422, "validation_error"),
        ('{"message": "hi", "extra": 1}', 422, "validation_error"),
    ],
)
def test_bad_chat_input_gets_a_clean_4xx_envelope(
    kb_client: TestClient, payload: str, status: int, code: str
) -> None:
    response = kb_client.post(
        "/chat", content=payload, headers={"content-type": "application/json"}
    )
    assert response.status_code == status
    assert_envelope(response.json(), code)


def test_one_megabyte_message_is_rejected_cleanly(kb_client: TestClient) -> None:
    response = kb_client.post("/chat", json={"message": "a" * 1_000_000})
    assert response.status_code == 413
    assert_envelope(response.json(), "message_too_long")


def test_body_over_the_limit_is_rejected_before_parsing(kb_container: Container) -> None:
    from xin.config import load_settings

    small = load_settings(data_dir=kb_container.settings.data_dir, api={"max_body_bytes": 2048})
    client = TestClient(create_app(small, routes=("chat",)), raise_server_exceptions=False)
    response = client.post("/chat", json={"message": "x" * 5000})
    assert response.status_code == 413
    assert_envelope(response.json(), "payload_too_large")


def test_unknown_route_and_wrong_method(kb_client: TestClient) -> None:
    missing = kb_client.get("/nope")
    assert missing.status_code == 404
    assert_envelope(missing.json(), "not_found")
    wrong = kb_client.get("/chat")
    assert wrong.status_code == 405
    assert_envelope(wrong.json(), "method_not_allowed")


def test_request_id_is_echoed_or_created(kb_client: TestClient) -> None:
    echoed = kb_client.get("/health", headers={"x-request-id": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"
    created = kb_client.get("/health", headers={"x-request-id": "bad id\twith tab"})
    assert created.headers["x-request-id"] != "bad id\twith tab"
    assert len(created.headers["x-request-id"]) == 32


def test_security_headers_and_strict_csp_on_the_page(kb_client: TestClient) -> None:
    page = kb_client.get("/")
    assert page.status_code == 200
    assert '<script src="/static/app.js"' in page.text
    assert "<script>" not in page.text  # no inline scripts
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert kb_client.get("/static/app.js").status_code == 200


def test_metrics_count_requests_errors_and_latency(kb_client: TestClient) -> None:
    kb_client.get("/health")
    kb_client.post("/chat", content="{", headers={"content-type": "application/json"})
    text = kb_client.get("/metrics").text
    assert 'xin_requests_total{method="GET",route="/health",status="200"}' in text
    assert 'xin_errors_total{code="malformed_json",route="/chat"}' in text
    assert "xin_request_duration_seconds_bucket" in text


def test_openapi_schema_lists_the_routes(kb_client: TestClient) -> None:
    paths = kb_client.get("/openapi.json").json()["paths"]
    assert {"/health", "/chat", "/ingest", "/metrics"} <= set(paths)


def test_ingest_json_text_then_ask_about_it(container: Container) -> None:
    client = TestClient(create_app(container=container), raise_server_exceptions=False)
    text = "The Zephyr gateway rotates its signing keys every 90 days."
    response = client.post("/ingest", json={"text": text, "title": "Zephyr keys", "tenant": "acme"})
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "indexed"
    again = client.post("/ingest", json={"text": text, "title": "Zephyr keys", "tenant": "acme"})
    assert again.status_code == 200
    assert again.json()["status"] == "skipped"
    body = client.post(
        "/chat", json={"message": "How often does Zephyr rotate signing keys?", "tenant": "acme"}
    ).json()
    assert body["grounded"] and "90 days" in body["answer"]
    other = client.post(
        "/chat", json={"message": "How often does Zephyr rotate signing keys?", "tenant": "other"}
    ).json()
    assert other["grounded"] is False


def test_ingest_upload_and_bad_uploads(container: Container) -> None:
    client = TestClient(create_app(container=container), raise_server_exceptions=False)
    ok = client.post(
        "/ingest",
        files={
            "file": (
                "../../etc/notes.md",
                b"# Notes\n\nThe cafeteria opens at 8am.",
                "text/markdown",
            )
        },
    )
    assert ok.status_code == 201, ok.text
    assert ok.json()["document_id"] == "notes.md"  # path components are dropped
    unsupported = client.post(
        "/ingest", files={"file": ("tool.exe", b"MZ\x90\x00", "application/octet-stream")}
    )
    assert unsupported.status_code == 415
    assert_envelope(unsupported.json(), "unsupported_document")
    corrupt = client.post(
        "/ingest", files={"file": ("broken.pdf", b"%PDF-1.4 garbage", "application/pdf")}
    )
    assert corrupt.status_code == 422
    assert_envelope(corrupt.json(), "document_parse_error")
    no_file = client.post("/ingest", data={"tenant": "x"}, files={"other": ("a.txt", b"x")})
    assert no_file.status_code == 422
    wrong_type = client.post("/ingest", content=b"text", headers={"content-type": "text/plain"})
    assert wrong_type.status_code == 415
