"""The web chat page end to end in headless Chromium: ``xin serve`` over a small ingested
knowledge base, a question typed into the page, the answer and its citations on screen.

Keeps a screenshot in docs/web-chat.png. Skips (with the reason) when Chromium or Playwright
is missing; ``.ci/run`` installs Chromium so CI runs it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

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
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("web-kb")
    (root / "docs").mkdir()
    for name, text in SMALL_KB.items():
        (root / "docs" / name).write_text(text, encoding="utf-8")
    data_dir = root / "data"
    Container(load_settings(data_dir=data_dir)).ingestion.ingest_paths(
        [root / "docs"], tenant="default"
    )
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("XIN_")}
    env.update({"APP_ENV": "development", "XIN_DATA_DIR": str(data_dir)})
    xin = shutil.which("xin", path=str(Path(sys.executable).parent)) or "xin"
    process = subprocess.Popen(
        [xin, "serve", "--host", "127.0.0.1", "--port", str(port)],
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


def test_question_answer_and_citations_in_the_browser(server: str) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
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
            page.screenshot(path=str(SCREENSHOT), full_page=True)
        finally:
            browser.close()
    assert SCREENSHOT.stat().st_size > 10_000
