"""What every cold-start script needs: a clean environment, a knowledge base, a stand-in S3.

Shared by ``scripts/coldstart.py`` (end to end) and ``scripts/coldstart_phases.py`` (per
phase). A :class:`Tree` is a checkout whose ``layers/`` and ``functions/`` are measured: the
current one, or another (e.g. a ``git worktree`` of the commit before a change) put first on
``PYTHONPATH`` so both are measured by the same script in the same window.
"""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOCUMENT = REPO / "tests" / "fixtures" / "documents" / "guide.md"


@dataclass(frozen=True)
class Tree:
    label: str
    root: Path

    def handler(self, function: str) -> Path:
        return self.root / "functions" / function / "handler.py"

    def env(self, env: dict[str, str]) -> dict[str, str]:
        """``env`` with this tree's layer importable ahead of the installed one."""
        if self.root.resolve() == REPO:
            return dict(env)
        path = [str(self.root / "layers"), env.get("PYTHONPATH", "")]
        return {**env, "PYTHONPATH": os.pathsep.join(p for p in path if p)}


CURRENT = Tree("current", REPO)


class _FakeS3(http.server.BaseHTTPRequestHandler):
    """GetObject for any bucket/key: the bytes of one Markdown document."""

    body = DOCUMENT.read_bytes()

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/markdown")
        self.send_header("Content-Length", str(len(self.body)))
        self.send_header("ETag", '"8d1f3b6c0f0e4b0bb4c2f7b1e0d9a6c2"')
        self.send_header("Last-Modified", "Sun, 22 Nov 2026 02:31:11 GMT")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, format: str, *args: object) -> None:
        return


@contextmanager
def fake_s3() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FakeS3)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def knowledge_base(workdir: Path, keep: Path | None = None) -> Path:
    """A data dir with docs/ ingested (what a deployed chat function searches).

    Ingesting docs/ takes minutes on a busy machine: with ``keep``, the data dir is made
    there once and reused by later runs (delete it after changing docs/ or the store)."""
    if keep is not None and keep.is_dir():
        return keep
    kb = workdir / "kb"
    env = {**base_env(), "XIN_DATA_DIR": str(kb)}
    subprocess.run(
        [sys.executable, "-c", "from xin.cli.main import run; run()", "ingest", str(REPO / "docs")],
        env=env,
        check=True,
        capture_output=True,
    )
    if keep is None:
        return kb
    shutil.copytree(kb, keep)
    return keep


def base_env() -> dict[str, str]:
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("XIN_", "OTEL_", "AWS_", "POWERTOOLS_", "LAMBDA_", "_X_AMZN"))
    }
    return {
        **keep,
        "AWS_ACCESS_KEY_ID": "coldstart",
        "AWS_SECRET_ACCESS_KEY": "coldstart",
        "AWS_DEFAULT_REGION": "eu-west-1",
        "AWS_EC2_METADATA_DISABLED": "true",
        "PYTHONDONTWRITEBYTECODE": "",
    }
