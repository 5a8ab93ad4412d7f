from __future__ import annotations

from pathlib import Path

import pytest

from xin.config import AppEnv, load_settings
from xin.config.overlays import deep_merge
from xin.errors import ConfigurationError


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "config"
    directory.mkdir()
    write(
        directory / "base.yaml",
        "api:\n  port: 9000\n  cors_origins: [https://a.example, https://b.example]\n"
        "rag:\n  top_k: 7\n  chunk_size: 800\n",
    )
    write(
        directory / "staging.yaml", "api:\n  cors_origins: [https://c.example]\nrag:\n  top_k: 9\n"
    )
    return directory


def test_defaults_come_from_the_bundled_overlays() -> None:
    settings = load_settings()
    assert settings.app_env is AppEnv.DEVELOPMENT
    assert settings.api.port == 8000
    assert settings.sqlite_path == Path(".xin") / "xin.db"


def test_environment_overlay_merges_key_by_key_and_lists_replace(config_dir: Path) -> None:
    settings = load_settings(config_dir=config_dir, app_env="staging")
    assert settings.rag.top_k == 9  # from staging.yaml
    assert settings.rag.chunk_size == 800  # kept from base.yaml: sections merge, not replace
    assert settings.api.port == 9000
    assert settings.api.cors_origins == ["https://c.example"]  # lists replace


def test_precedence_env_over_files_and_explicit_over_env(
    config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XIN_CONFIG_DIR", str(config_dir))
    monkeypatch.setenv("APP_ENV", "staging")
    monkeypatch.setenv("XIN_RAG__TOP_K", "11")
    settings = load_settings()
    assert settings.app_env is AppEnv.STAGING
    assert settings.rag.top_k == 11
    assert settings.rag.chunk_size == 800
    assert load_settings(rag={"top_k": 3}).rag.top_k == 3


def test_bad_value_in_a_file_names_key_and_file(config_dir: Path) -> None:
    bad = write(config_dir / "production.yaml", "rag:\n  top_k: lots\n")
    with pytest.raises(ConfigurationError) as caught:
        load_settings(config_dir=config_dir, app_env="production")
    assert "rag.top_k" in caught.value.message
    assert str(bad) in caught.value.message


def test_unknown_key_in_a_file_is_rejected(config_dir: Path) -> None:
    write(config_dir / "development.yaml", "rag:\n  topk: 3\n")
    with pytest.raises(ConfigurationError, match=r"unknown setting 'rag.topk'.*development.yaml"):
        load_settings(config_dir=config_dir)


def test_bad_environment_variable_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XIN_API__PORT", "70000")
    with pytest.raises(ConfigurationError, match="api.port.*XIN_API__PORT"):
        load_settings()


def test_invalid_yaml_names_the_file(config_dir: Path) -> None:
    write(config_dir / "development.yaml", "rag: [unclosed\n")
    with pytest.raises(ConfigurationError, match="invalid YAML in .*development.yaml"):
        load_settings(config_dir=config_dir)


def test_unknown_app_env_is_rejected() -> None:
    with pytest.raises(ConfigurationError, match="app_env"):
        load_settings(app_env="qa")


def test_overlap_must_stay_below_half_the_chunk() -> None:
    with pytest.raises(ConfigurationError, match="chunk_overlap"):
        load_settings(rag={"chunk_size": 400, "chunk_overlap": 250})


def test_deep_merge() -> None:
    merged = deep_merge({"a": {"b": 1, "c": [1, 2]}, "d": 1}, {"a": {"c": [3]}, "e": 2})
    assert merged == {"a": {"b": 1, "c": [3]}, "d": 1, "e": 2}
