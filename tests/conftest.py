"""Shared fixtures: settings in a temp data dir, the sample knowledge base ingested once per
session, an HTTP client over the full app, and real Lambda event payloads."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from xin.api.app import create_app
from xin.config import Settings, load_settings
from xin.deps import Container

REPO_ROOT = Path(__file__).resolve().parents[1]
DOCS_DIR = REPO_ROOT / "docs"
EVENTS_DIR = Path(__file__).resolve().parent / "events"


def load_event(name: str) -> dict[str, Any]:
    """A real event payload from tests/events (like Powertools' ``load_event``)."""
    data: dict[str, Any] = json.loads((EVENTS_DIR / name).read_text(encoding="utf-8"))
    return data


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's XIN_* / APP_ENV variables."""
    import os

    for name in list(os.environ):
        if name.startswith("XIN_") or name == "APP_ENV":
            monkeypatch.delenv(name)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(data_dir=tmp_path / "data")


@pytest.fixture
def container(settings: Settings) -> Container:
    return Container(settings)


@pytest.fixture(scope="session")
def kb_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir holding the sample knowledge base (docs/, less what its .xinignore leaves
    out: the generated benchmark report), ingested once per session like `xin ingest docs/`."""
    data_dir = tmp_path_factory.mktemp("kb")
    kb = Container(load_settings(data_dir=data_dir))
    results = kb.ingestion.ingest_paths([DOCS_DIR], tenant="default")
    failed = [r for r in results if r.status == "failed"]
    assert not failed, failed
    return data_dir


@pytest.fixture(scope="session")
def kb_container(kb_dir: Path) -> Container:
    return Container(load_settings(data_dir=kb_dir))


@pytest.fixture(scope="session")
def kb_client(kb_container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container=kb_container), raise_server_exceptions=False) as client:
        yield client
