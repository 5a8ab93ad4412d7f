"""``xin invoke`` (a local smoke invocation) and ``xin kb status``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO_ROOT
from xin.cli.main import app
from xin.config import load_settings
from xin.deps import Container
from xin.ingest_status import IngestionRecord

XIN = Path(sys.executable).with_name("xin")  # the console script installed with the package


def test_invoke_chat_on_an_empty_knowledge_base_answers_cleanly(tmp_path: Path) -> None:
    """What a fresh clone runs: a real process, stdout holding only the response JSON."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XIN_", "OTEL_"))}
    result = subprocess.run(
        [str(XIN), "invoke", "chat", "--event", "tests/events/apigw_v2_chat.json"],
        cwd=REPO_ROOT,
        env={**env, "XIN_DATA_DIR": str(tmp_path / "data")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    response = json.loads(result.stdout)
    body = json.loads(response["body"])
    assert response["statusCode"] == 200
    assert body["answer"].startswith("I don't know") and body["citations"] == []
    assert "tracing disabled; no OTLP endpoint configured" in result.stderr
    assert '"ColdStart":[1.0]' in result.stderr  # EMF metrics, kept off stdout


def test_invoke_health_and_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XIN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(REPO_ROOT)
    runner = CliRunner()
    ok = runner.invoke(app, ["invoke", "health", "--event", "tests/events/apigw_v2_health.json"])
    assert ok.exit_code == 0, ok.output
    response = json.loads(ok.stdout[ok.stdout.index("{") :])
    assert json.loads(response["body"])["status"] == "ok"
    unknown = runner.invoke(app, ["invoke", "nope", "--event", "tests/events/apigw_v2_health.json"])
    assert unknown.exit_code == 2 and "chat, health" in unknown.output
    missing = runner.invoke(app, ["invoke", "health", "--event", str(tmp_path / "none.json")])
    assert missing.exit_code == 2


def test_kb_status_lists_indexed_failed_and_pending_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XIN_DATA_DIR", str(tmp_path / "data"))
    container = Container(load_settings())
    indexed = container.ingestion.ingest_bytes(
        b"# Launch\n\nThe Orion launch window opens on Tuesday.", "launch.md", tenant="default"
    )
    assert indexed.status == "indexed"
    now = 1_795_314_671.0
    failed = IngestionRecord(
        "default", "broken.pdf", "pending", created_at=now, updated_at=now, claim_token="t"
    )
    container.ingest_status.claim(failed, now)
    container.ingest_status.finish(
        IngestionRecord(
            "default",
            "broken.pdf",
            "failed",
            reason="corrupt or truncated PDF",
            created_at=now,
            updated_at=now + 1,
            claim_token="t",
        )
    )
    runner = CliRunner()
    listed = runner.invoke(app, ["kb", "status", "--json"])
    assert listed.exit_code == 0, listed.output
    rows = {r["document_id"]: r for r in json.loads(listed.stdout)}
    assert rows["launch.md"]["state"] == "indexed" and rows["launch.md"]["chunk_count"] == 1
    assert rows["broken.pdf"]["state"] == "failed"
    assert rows["broken.pdf"]["reason"] == "corrupt or truncated PDF"
    only_failed = runner.invoke(app, ["kb", "status", "--json", "--state", "failed"])
    assert [r["document_id"] for r in json.loads(only_failed.stdout)] == ["broken.pdf"]
    table = runner.invoke(app, ["kb", "status"], env={"COLUMNS": "200"})
    assert "corrupt or truncated PDF" in table.stdout and "failed 1 · indexed 1" in table.stdout
