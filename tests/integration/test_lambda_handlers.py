"""Lambda entry points invoked with real API Gateway HTTP API (v2) and REST (v1) events."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import REPO_ROOT, load_event


class LambdaContext:
    function_name = "xin-chat"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:xin-chat"
    memory_limit_in_mb = 1024
    aws_request_id = "52fdfc07-2182-154f-163f-5f0f9a621d72"
    log_group_name = "/aws/lambda/xin-chat"
    log_stream_name = "2026/11/22/[$LATEST]abc"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


def load_handler(function: str) -> ModuleType:
    """A fresh import of functions/<function>/handler.py (each test gets a cold start)."""
    path = REPO_ROOT / "functions" / function / "handler.py"
    spec = importlib.util.spec_from_file_location(f"handler_{function}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def kb_env(kb_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XIN_DATA_DIR", str(kb_dir))


def invoke(function: str, event_name: str) -> tuple[int, dict[str, Any], dict[str, str]]:
    response = load_handler(function).handler(load_event(event_name), LambdaContext())
    headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
    return response["statusCode"], json.loads(response["body"]), headers


@pytest.mark.usefixtures("kb_env")
@pytest.mark.parametrize("event_name", ["apigw_v2_chat.json", "apigw_v1_chat.json"])
def test_chat_handler_answers_from_both_event_versions(event_name: str) -> None:
    status, body, headers = invoke("chat", event_name)
    assert status == 200
    assert body["citations"][0]["document_id"] == "deployment.md"
    assert headers["x-request-id"] == body["request_id"]


@pytest.mark.usefixtures("kb_env")
def test_chat_handler_decodes_base64_persian_body() -> None:
    status, body, _ = invoke("chat", "apigw_v2_chat_fa.json")
    assert status == 200
    assert body["language"] == "fa"


@pytest.mark.usefixtures("kb_env")
def test_chat_handler_rejects_malformed_json_cleanly() -> None:
    status, body, _ = invoke("chat", "apigw_v2_chat_malformed.json")
    assert status == 400
    assert body["error"]["code"] == "malformed_json"


@pytest.mark.usefixtures("kb_env")
@pytest.mark.parametrize("event_name", ["apigw_v2_health.json", "apigw_v1_health.json"])
def test_health_handler(event_name: str) -> None:
    status, body, _ = invoke("health", event_name)
    assert status == 200
    assert body["status"] == "ok"


@pytest.mark.usefixtures("kb_env")
def test_each_function_mounts_only_its_own_routes() -> None:
    event = load_event("apigw_v2_chat.json")
    response = load_handler("health").handler(event, LambdaContext())
    assert response["statusCode"] == 404
    assert json.loads(response["body"])["error"]["code"] == "not_found"


def test_importing_a_handler_reads_no_settings_and_builds_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XIN_API__PORT", "not-a-port")  # would fail if settings were read at import
    module = load_handler("chat")
    assert callable(module.handler)
