"""Start-up refuses unsafe configurations outside development, and says when it runs open."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.integration.hardening.conftest import PEPPER, hardened_settings
from xin.api.app import create_app
from xin.config import load_settings
from xin.errors import ConfigurationError


@pytest.mark.parametrize("env", ["staging", "production"])
def test_auth_off_outside_development_fails_at_start_up(tmp_path: Path, env: str) -> None:
    with pytest.raises(ConfigurationError, match="auth_required"):
        load_settings(app_env=env, data_dir=tmp_path, api={"auth_required": False})


def test_auth_off_in_a_staging_file_fails_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "staging.yaml").write_text("api:\n  auth_required: false\n", encoding="utf-8")
    monkeypatch.setenv("APP_ENV", "staging")
    with pytest.raises(ConfigurationError, match=r"auth_required"):
        load_settings(config_dir=config)


@pytest.mark.parametrize("env", ["staging", "production"])
def test_wildcard_cors_outside_development_fails_at_start_up(tmp_path: Path, env: str) -> None:
    with pytest.raises(ConfigurationError, match="cors_origins"):
        load_settings(app_env=env, data_dir=tmp_path, api={"cors_origins": ["*"]})


def test_production_without_a_pepper_fails_at_start_up(tmp_path: Path) -> None:
    settings = load_settings(app_env="production", data_dir=tmp_path)
    assert settings.auth_required
    with pytest.raises(ConfigurationError, match="pepper"):
        create_app(settings)
    with pytest.raises(ConfigurationError, match="32"):
        load_settings(app_env="production", data_dir=tmp_path, auth={"pepper": "short"})


def test_development_runs_open_and_says_so_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = load_settings(data_dir=tmp_path)
    assert not settings.auth_required
    client = TestClient(create_app(settings), raise_server_exceptions=False)
    logged = capsys.readouterr().out
    warning = next(line for line in logged.splitlines() if "authentication is OFF" in line)
    assert '"level":"WARNING"' in warning
    assert client.get("/admin/stats").status_code == 200  # open: anonymous admin


def test_development_can_require_auth_and_then_stays_quiet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = load_settings(data_dir=tmp_path, api={"auth_required": True})
    client = TestClient(create_app(settings), raise_server_exceptions=False)
    assert "authentication is OFF" not in capsys.readouterr().out
    assert client.get("/admin/stats").status_code == 401


def test_a_sent_key_is_checked_even_in_open_development(tmp_path: Path) -> None:
    client = TestClient(create_app(load_settings(data_dir=tmp_path)), raise_server_exceptions=False)
    bad = client.post("/chat", json={"message": "hi"}, headers={"X-API-Key": "xin_bad"})
    assert bad.status_code == 401


def test_cors_allows_only_the_configured_origins(tmp_path: Path) -> None:
    settings = hardened_settings(tmp_path, api={"cors_origins": ["https://app.example"]})
    client = TestClient(create_app(settings), raise_server_exceptions=False)
    preflight = {
        "access-control-request-method": "POST",
        "access-control-request-headers": "x-api-key",
    }
    allowed = client.options("/chat", headers={"origin": "https://app.example", **preflight})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://app.example"
    assert "x-api-key" in allowed.headers["access-control-allow-headers"].lower()
    denied = client.options("/chat", headers={"origin": "https://evil.example", **preflight})
    assert "access-control-allow-origin" not in denied.headers
    simple = client.get("/health", headers={"origin": "https://evil.example"})
    assert "access-control-allow-origin" not in simple.headers
    exposed = client.get("/health", headers={"origin": "https://app.example"})
    assert "ratelimit-remaining" in exposed.headers["access-control-expose-headers"]


def test_the_pepper_is_not_in_any_settings_dump(tmp_path: Path) -> None:
    settings = hardened_settings(tmp_path)
    assert PEPPER not in repr(settings) and PEPPER not in settings.model_dump_json()
