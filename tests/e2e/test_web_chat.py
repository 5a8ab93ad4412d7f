"""The web chat page end to end in headless Chromium: ``xin serve`` over a small ingested
knowledge base, a question typed into the page, the answer and its citations on screen.

Keeps a screenshot in docs/web-chat.png. Skips (with the reason) when Chromium or Playwright
is missing; ``.ci/run`` installs Chromium so CI runs it.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import DOCS_DIR
from tests.integration.channels.conftest import SMALL_KB
from xin.config import load_settings
from xin.deps import Container

CHROMIUM = os.environ.get("XIN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOT = DOCS_DIR / "web-chat.png"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def knowledge_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("web-kb")
    (root / "docs").mkdir()
    for name, text in SMALL_KB.items():
        (root / "docs" / name).write_text(text, encoding="utf-8")
    data_dir = root / "data"
    Container(load_settings(data_dir=data_dir)).ingestion.ingest_paths(
        [root / "docs"], tenant="default"
    )
    return data_dir


def _xin() -> str:
    return shutil.which("xin", path=str(Path(sys.executable).parent)) or "xin"


def _environment(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XIN_")}
    env.update({"APP_ENV": "development", "XIN_DATA_DIR": str(data_dir), **extra})
    return env


@contextmanager
def _serve(env: dict[str, str]) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [_xin(), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            pytest.fail("xin serve did not become healthy within 60 s")
        yield base
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="module")
def server(knowledge_base: Path) -> Iterator[str]:
    with _serve(_environment(knowledge_base)) as base:
        yield base


@pytest.fixture
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def test_question_answer_and_citations_in_the_browser(server: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 900, "height": 700})
    page.goto(server + "/")
    page.fill("#message", "How do I deploy Xin to Kubernetes?")
    page.click("#send")
    answer = page.locator("li.turn.assistant:not(.pending)").first
    answer.wait_for(timeout=60_000)
    text = answer.locator("p.text").inner_text()
    assert "helm" in text.lower()
    citations = answer.locator("ol.citations li")
    assert citations.count() >= 1
    assert "Deploying Xin" in citations.first.inner_text()
    assert page.locator("li.turn.error").count() == 0
    assert page.locator("#key").is_hidden()
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 10_000


def test_a_server_that_requires_a_key_gets_one_from_the_user(
    knowledge_base: Path, browser: Any
) -> None:
    env = _environment(knowledge_base, XIN_API__AUTH_REQUIRED="true")
    created = subprocess.run(
        [_xin(), "keys", "create", "--tenant", "default", "--role", "chat", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    api_key = json.loads(created.stdout)["api_key"]
    with _serve(env) as base:
        assert httpx.post(f"{base}/chat", json={"message": "hi"}).status_code == 401
        page = browser.new_page()
        page.goto(base + "/")
        page.fill("#message", "How do I deploy Xin to Kubernetes?")
        page.click("#send")
        page.locator("#api-key").wait_for(state="visible", timeout=30_000)
        page.fill("#api-key", "xin_wrong_" + "x" * 40)
        page.click("#use-key")
        page.locator("li.turn.error").wait_for(timeout=30_000)  # the wrong key is refused
        page.fill("#message", "How do I deploy Xin to Kubernetes?")
        page.click("#send")
        page.locator("#api-key").wait_for(state="visible", timeout=30_000)
        page.fill("#api-key", api_key)
        page.click("#use-key")
        answer = page.locator("li.turn.assistant:not(.pending)").first
        answer.wait_for(timeout=60_000)
        assert "helm" in answer.locator("p.text").inner_text().lower()
        assert page.evaluate("sessionStorage.getItem('xin-api-key')") == api_key
        assert page.evaluate("localStorage.length") == 0  # never persisted beyond the tab
