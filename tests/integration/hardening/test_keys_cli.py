"""``xin keys create|list|revoke`` against the configured store, as an operator uses it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.integration.hardening.conftest import PEPPER, bearer
from xin.api.app import create_app
from xin.cli.main import app
from xin.config import load_settings


@pytest.fixture
def production_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data_dir = tmp_path / "data"
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("XIN_DATA_DIR", str(data_dir))
    monkeypatch.setenv("XIN_AUTH__PEPPER", PEPPER)
    monkeypatch.setenv("XIN_LOG_LEVEL", "ERROR")
    return data_dir


def test_a_created_key_is_printed_once_and_opens_the_api_until_revoked(
    production_env: Path,
) -> None:
    runner = CliRunner()
    created = runner.invoke(app, ["keys", "create", "-t", "acme", "-r", "admin", "--name", "ops"])
    assert created.exit_code == 0, created.output
    key = created.stdout.strip().splitlines()[0]
    assert key.startswith("xin_")
    client = TestClient(create_app(load_settings()), raise_server_exceptions=False)
    assert client.get("/admin/stats", headers=bearer(key)).status_code == 200

    listed = runner.invoke(app, ["keys", "list", "--json"])
    records = json.loads(listed.stdout)
    assert [(r["tenant"], r["roles"], r["name"]) for r in records] == [("acme", ["admin"], "ops")]
    assert key.split("_")[2] not in listed.stdout  # never the secret

    revoked = runner.invoke(app, ["keys", "revoke", key])  # the whole key works as an id too
    assert revoked.exit_code == 0 and records[0]["key_id"] in revoked.stdout
    assert client.get("/admin/stats", headers=bearer(key)).status_code == 401
    again = runner.invoke(app, ["keys", "list", "--json"])
    assert json.loads(again.stdout)[0]["revoked"] is True


@pytest.mark.parametrize(
    "args",
    [
        ["keys", "create", "-t", "acme", "-r", "root"],
        ["keys", "create", "-t", "*", "-r", "chat"],
        ["keys", "revoke", "ffffffffffff"],
    ],
)
def test_bad_requests_exit_non_zero_with_a_message(production_env: Path, args: list[str]) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert "error:" in result.stderr


def test_production_without_a_pepper_refuses_to_touch_keys(
    production_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XIN_AUTH__PEPPER")
    result = CliRunner().invoke(app, ["keys", "list"])
    assert result.exit_code != 0
    assert "pepper" in result.stderr
