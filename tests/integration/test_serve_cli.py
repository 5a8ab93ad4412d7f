"""``xin serve``: how it hands the app to uvicorn (the server itself is not started)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

from xin.cli.main import app


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, dict[str, Any]]]:
    """Records what ``uvicorn.run`` would have served instead of binding a port."""
    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setenv("XIN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(uvicorn, "run", lambda target, **kw: calls.append((target, kw)))
    return calls


def test_several_workers_share_one_app_factory(
    served: list[tuple[Any, dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XIN_RATE_LIMIT__ENABLED", "false")
    result = CliRunner().invoke(app, ["serve", "--workers", "2", "--port", "8123"])
    assert result.exit_code == 0, result.output
    ((target, options),) = served
    assert target == "xin.api.app:create_app"
    assert options["factory"] is True
    assert options["workers"] == 2
    assert options["port"] == 8123
    assert "warning" not in result.output


def test_per_process_rate_limits_are_flagged_with_several_workers(
    served: list[tuple[Any, dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XIN_RATE_LIMIT__ENABLED", "true")
    monkeypatch.setenv("XIN_RATE_LIMIT__BACKEND", "memory")
    result = CliRunner().invoke(app, ["serve", "--workers", "3"])
    assert result.exit_code == 0, result.output
    assert "each of the 3 workers keeps its own buckets" in result.output
    assert served[0][1]["workers"] == 3
