"""Browser and transport security: headers on every kind of response, body limits (also
for chunked bodies), and hostile file names and paths."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.hardening.conftest import AppFactory, Deployment, Reply, bearer


def assert_security_headers(response: Reply) -> None:
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"
    assert headers["strict-transport-security"].startswith("max-age=")
    assert "includeSubDomains" in headers["strict-transport-security"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


def test_security_headers_on_success_error_auth_and_rate_limit_responses(
    make_deployment: AppFactory,
) -> None:
    # malformed JSON is refused before authentication, so it takes no token
    d = make_deployment(rate_limit={"enabled": True, "per_ip": {"rate": 0.001, "burst": 2}})
    admin = bearer(d.keys.acme_admin)
    responses = [
        d.client.get("/health"),
        d.client.get("/admin/stats", headers=admin),  # 200 on a limited route
        d.client.get("/admin/stats"),  # 401
        d.client.post("/chat", content="{", headers={**admin, "content-type": "application/json"}),
        d.client.get("/nope"),  # 404
        d.client.get("/admin/stats", headers=admin),  # 429: the IP bucket is empty
    ]
    assert [r.status_code for r in responses] == [200, 200, 401, 400, 404, 429]
    for response in responses:
        assert_security_headers(response)
        assert response.headers["content-security-policy"].startswith("default-src 'none'")


def test_the_page_csp_is_strict(two_tenants: Deployment) -> None:
    page = two_tenants.client.get("/")
    assert_security_headers(page)
    csp = page.headers["content-security-policy"]
    for directive in (
        "default-src 'none'",
        "script-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def test_a_chunked_body_over_the_limit_is_413(make_deployment: AppFactory) -> None:
    d = make_deployment(api={"max_body_bytes": 4096})
    json_type = {"content-type": "application/json"}

    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(64):
            yield b"x" * 1024
        yield b'"}'

    # parsed by FastAPI (chat) and read by the route itself (ingest): both stop at the limit
    for path, key in (("/chat", d.keys.acme_chat), ("/ingest", d.keys.acme_ingest)):
        response = d.client.post(path, content=chunks(), headers={**json_type, **bearer(key)})
        assert response.status_code == 413, path
        assert response.json()["error"]["code"] == "payload_too_large"
        assert_security_headers(response)
    declared = d.client.post("/ingest", content=b"x" * 5000, headers=json_type)
    assert declared.status_code == 413  # a declared length is refused before anything else
    assert d.container.store.list_documents("acme") == []


def test_a_chunked_body_under_the_limit_is_served(two_tenants: Deployment) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"message": "How often does the Zephyr gateway '
        yield b'rotate its signing keys?"}'

    response = two_tenants.client.post(
        "/chat",
        content=chunks(),
        headers={"content-type": "application/json", **bearer(two_tenants.keys.acme_chat)},
    )
    assert response.status_code == 200 and "90 days" in response.json()["answer"]


@pytest.mark.parametrize(
    ("filename", "expected_id"),
    [
        ("../../etc/passwd.md", "passwd.md"),
        ("/etc/shadow.md", "shadow.md"),
        ("..\\..\\windows\\win.md", "win.md"),
        ("C:\\boot\\ini.md", "ini.md"),
        ("%2e%2e%2f%2e%2e%2fsecret.md", "_2e_2e_2f_2e_2e_2fsecret.md"),
        ("notes\x00.md", "notes_00.md"),  # the client percent-encodes the NUL
        ("..%5c..%5cx.md", "_5c.._5cx.md"),
    ],
)
def test_uploaded_file_names_lose_every_path_component(
    two_tenants: Deployment, filename: str, expected_id: str
) -> None:
    response = two_tenants.client.post(
        "/ingest",
        files={"file": (filename, b"# Hostile\n\nA file with a hostile name.", "text/markdown")},
        headers=bearer(two_tenants.keys.acme_ingest),
    )
    assert response.status_code == 201, response.text
    document_id = response.json()["document_id"]
    assert document_id == expected_id
    assert "/" not in document_id and "\\" not in document_id and "\x00" not in document_id


@pytest.mark.parametrize("name", ["..", ".", "   ", "/", "../"])
def test_an_upload_whose_name_is_only_path_is_refused(two_tenants: Deployment, name: str) -> None:
    response = two_tenants.client.post(
        "/ingest",
        files={"file": (name, b"text", "text/plain")},
        headers=bearer(two_tenants.keys.acme_ingest),
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] in {"invalid_filename", "validation_error"}


@pytest.mark.parametrize(
    "path",
    [
        "/static/../../../etc/passwd",
        "/static/%2e%2e/%2e%2e/etc/passwd",
        "/static/..%2f..%2fetc%2fpasswd",
        "/static/%252e%252e/etc/passwd",
        "/static/..\\..\\etc\\passwd",
        "/static/app.js%00.png",
        "/static//etc/passwd",
    ],
)
def test_static_files_never_leave_their_directory(two_tenants: Deployment, path: str) -> None:
    response = two_tenants.client.get(path)
    assert response.status_code in (400, 404)
    assert "root:" not in response.text


def test_document_ids_with_traversal_are_just_ids(two_tenants: Deployment) -> None:
    admin = bearer(two_tenants.keys.acme_admin)
    for target in ("../../etc/passwd", "..%2f..%2fetc%2fpasswd", "%00"):
        response = two_tenants.client.delete(f"/admin/documents/{target}", headers=admin)
        assert response.status_code in (404, 422)
        assert response.json()["error"]["code"] in ("not_found", "validation_error")
