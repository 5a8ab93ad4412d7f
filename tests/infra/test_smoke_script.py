"""scripts/smoke_test.sh against a real `xin serve` (uvicorn on a free port over the sample
knowledge base) and against the Lambda handlers invoked in-process (`lambda --local`)."""

from __future__ import annotations

import dataclasses
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

SCRIPT = REPO_ROOT / "scripts" / "smoke_test.sh"


def _env(kb_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XIN_") and k != "APP_ENV"}
    env.update(
        {
            "XIN_DATA_DIR": str(kb_dir),
            "APP_ENV": "development",
            "PYTHON": sys.executable,
            "OMP_NUM_THREADS": "1",
        }
    )
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def kb_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small knowledge base (two docs): seconds to build, unlike the full docs/ one."""
    from xin.config import load_settings
    from xin.deps import Container

    data_dir = tmp_path_factory.mktemp("smoke-kb")
    kb = Container(load_settings(data_dir=data_dir))
    docs = [REPO_ROOT / "docs" / "deployment.md", REPO_ROOT / "docs" / "quickstart.md"]
    results = kb.ingestion.ingest_paths(docs, tenant="default")
    assert all(r.status == "indexed" for r in results), results
    return data_dir


@pytest.fixture(scope="module")
def served(kb_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    log = (tmp_path_factory.mktemp("serve") / "serve.log").open("w")
    xin = Path(sys.executable).with_name("xin")
    proc = subprocess.Popen(
        [str(xin), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=_env(kb_dir),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"xin serve did not start: {Path(log.name).read_text()}"
                    ) from None
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def smoke(*args: str, env: dict[str, str], artifacts: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), "--artifacts", str(artifacts), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_http_mode_passes_against_a_served_xin(served: str, kb_dir: Path, tmp_path: Path) -> None:
    result = smoke("http", served, env=_env(kb_dir), artifacts=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed, 0 failed" in result.stdout
    summary = json.loads((tmp_path / "smoke-http.json").read_text())
    assert [c["check"] for c in summary] == ["health", "metrics", "chat"]
    chat = summary[2]["evidence"]
    assert chat["citations"] and chat["request_id"]
    assert (tmp_path / "smoke-http.log").read_text().count("PASS") == 3


def test_http_mode_fails_with_a_clear_message_when_nothing_listens(
    kb_dir: Path, tmp_path: Path
) -> None:
    result = smoke("http", f"http://127.0.0.1:{_free_port()}", env=_env(kb_dir), artifacts=tmp_path)
    assert result.returncode == 1
    assert "FAIL health: GET /health failed" in result.stdout


def _pending(kb_dir: Path, document_id: str) -> tuple[object, object]:
    from xin.config import load_settings
    from xin.deps import Container
    from xin.ingest_status import IngestionRecord

    store = Container(load_settings(data_dir=kb_dir)).ingest_status
    attempt = IngestionRecord(
        tenant="default",
        document_id=document_id,
        state="pending",
        source=f"s3://docs/{document_id}",
        version="v1",
        sequencer="0A",
        claim_token=f"smoke-{document_id}",
        lease_until=time.time() + 600,
    )
    claim = store.claim(attempt, time.time())
    assert claim.acquired, claim
    return store, attempt


def test_ingest_check_waits_for_the_status_endpoint_to_say_indexed(
    served: str, kb_dir: Path, tmp_path: Path
) -> None:
    store, attempt = _pending(kb_dir, "smoke/handbook.md")

    def finish_later() -> None:
        time.sleep(1.5)
        done = dataclasses.replace(attempt, state="indexed", chunk_count=4, indexed_at=time.time())  # type: ignore[type-var]
        assert store.finish(done)  # type: ignore[attr-defined]

    worker = threading.Thread(target=finish_later)
    worker.start()
    result = smoke(
        "http",
        served,
        "--ingest",
        "smoke/handbook.md",
        "--ingest-wait",
        "30",
        env=_env(kb_dir),
        artifacts=tmp_path,
    )
    worker.join()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "waiting for smoke/handbook.md: 200 state=pending" in result.stdout
    assert "PASS ingest: smoke/handbook.md: indexed (4 chunks)" in result.stdout


def test_ingest_check_gives_up_after_the_bounded_wait(
    served: str, kb_dir: Path, tmp_path: Path
) -> None:
    _pending(kb_dir, "smoke/stuck.md")
    started = time.monotonic()
    result = smoke(
        "http",
        served,
        "--ingest",
        "smoke/stuck.md",
        "--ingest-wait",
        "3",
        env=_env(kb_dir),
        artifacts=tmp_path,
    )
    assert result.returncode == 1
    assert "not indexed after 3s" in result.stdout
    assert time.monotonic() - started < 30


def test_lambda_mode_invokes_every_handler_with_the_sample_events(
    kb_dir: Path, tmp_path: Path
) -> None:
    result = smoke("lambda", "--local", env=_env(kb_dir), artifacts=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    checks = {c["check"]: c for c in json.loads((tmp_path / "smoke-lambda.json").read_text())}
    assert set(checks) == {"lambda:health", "lambda:chat", "lambda:ingest_status", "lambda:ingest"}
    assert all(c["ok"] for c in checks.values())


def test_usage_error_without_a_mode(tmp_path: Path) -> None:
    result = subprocess.run([str(SCRIPT)], capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "scripts/smoke_test.sh http" in result.stdout
