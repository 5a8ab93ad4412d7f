"""Tracing start-up: one log line per process, X-Ray only in Lambda, OTLP only when an
endpoint is set, and an unreachable collector never breaks or slows a request."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import REPO_ROOT
from xin.api.app import create_app
from xin.config import load_settings
from xin.observability import tracing

STARTUP_LINES = (tracing.INITIALISED, tracing.DISABLED)


@pytest.fixture(autouse=True)
def _fresh_tracing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    tracing.reset_tracing()
    yield
    tracing.reset_tracing()


def log_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith('{"level"')]


def startup_lines(text: str) -> list[dict[str, object]]:
    return [line for line in log_lines(text) if line["message"] in STARTUP_LINES]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def run_python(code: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("XIN_", "OTEL_", "AWS_"))}
    clean.pop("LAMBDA_TASK_ROOT", None)
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout


def test_without_an_endpoint_tracing_is_disabled_and_logged_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    first = tracing.init_tracing(environ={})
    second = tracing.init_tracing(environ={"OTEL_EXPORTER_OTLP_ENDPOINT": "http://x:4318"})
    assert first is second and first.backend == "none" and not first.enabled
    [line] = startup_lines(capsys.readouterr().out)
    assert line["message"] == "tracing disabled; no OTLP endpoint configured"


def test_an_http_server_logs_exactly_one_startup_line(tmp_path: Path) -> None:
    out = run_python(
        "from xin.api.app import create_app\n"
        "create_app(routes=('health',)); create_app(routes=('health', 'chat'))\n",
        XIN_DATA_DIR=str(tmp_path),
    )
    assert [line["message"] for line in startup_lines(out)] == [tracing.DISABLED]


def test_an_unreachable_otlp_collector_never_breaks_a_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", f"http://127.0.0.1:{closed_port()}")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TIMEOUT", "1")
    app = create_app(load_settings(data_dir=tmp_path), routes=("health", "chat"))
    state = tracing.current_tracing()
    assert state is not None and state.backend == "otlp"
    spans = InMemorySpanExporter()
    state.provider.add_span_processor(SimpleSpanProcessor(spans))
    started = time.perf_counter()
    with TestClient(app) as client:
        statuses = [client.post("/chat", json={"message": "hello?"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    assert time.perf_counter() - started < 20  # no request waited for the collector
    assert any(span.name.startswith("POST /chat") for span in spans.get_finished_spans())
    [line] = startup_lines(capsys.readouterr().out)
    assert line["message"] == tracing.INITIALISED and line["backend"] == "otlp"
    flushed = time.perf_counter()
    tracing.reset_tracing()  # shutdown flushes to the dead endpoint: bounded by the timeout
    assert time.perf_counter() - flushed < 10


def test_a_lambda_cold_start_initialises_xray_once(tmp_path: Path) -> None:
    code = (
        "import json, importlib.util\n"
        "from tests.conftest import load_event\n"
        "from tests.integration.serverless.helpers import LambdaContext, load_handler\n"
        "handler = load_handler('health').handler\n"
        "for _ in range(2):\n"
        "    handler(load_event('apigw_v2_health.json'), LambdaContext('xin-health'))\n"
    )
    out = run_python(
        code,
        XIN_DATA_DIR=str(tmp_path),
        AWS_LAMBDA_FUNCTION_NAME="xin-health",
        LAMBDA_TASK_ROOT=str(REPO_ROOT),
        AWS_REGION="eu-west-1",
        AWS_XRAY_CONTEXT_MISSING="IGNORE_ERROR",
        AWS_XRAY_DAEMON_ADDRESS=f"127.0.0.1:{closed_port()}",
        _X_AMZN_TRACE_ID="Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1",
    )
    [line] = startup_lines(out)
    assert line["message"] == tracing.INITIALISED and line["backend"] == "xray"
    requests = [x for x in log_lines(out) if x["message"] == "request"]
    assert [r["cold_start"] for r in requests] == [True, False]
    assert {r["correlation_id"] for r in requests} == {"JKJaXmPLvHcESHA="}


def test_xray_is_off_outside_lambda_and_when_disabled() -> None:
    lambda_env = {"AWS_LAMBDA_FUNCTION_NAME": "f", "LAMBDA_TASK_ROOT": "/var/task"}
    assert tracing.xray_wanted(lambda_env)
    assert not tracing.xray_wanted({})
    assert not tracing.xray_wanted({**lambda_env, "POWERTOOLS_TRACE_DISABLED": "1"})
    assert not tracing.xray_wanted({**lambda_env, "AWS_SAM_LOCAL": "true"})
