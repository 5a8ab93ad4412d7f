"""``Settings`` gathers its values exactly as it did on pydantic-settings, without importing it.

The reference below is the model as it was: ``BaseSettings`` with the same fields and rules
(``SettingsModel``), ``XIN_`` prefix, ``__`` delimiter, and the YAML overlay source that
``xin.config.overlays`` used to define. Every configuration is loaded both ways and must give
the same model (values, types, fields set) or the same error (type and text).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import typing
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from xin.config.files import deep_merge, default_config_dir, overlay_files, read_overlay
from xin.config.overlays import describe_validation_error
from xin.config.settings import RagSettings, Settings, SettingsModel, load_settings


class _YamlOverlays(PydanticBaseSettingsSource):
    """The overlay source as ``xin.config.overlays.YamlOverlaySource`` defined it."""

    def __init__(
        self, settings_cls: type[BaseSettings], *, app_env: str, explicit: Mapping[str, Any]
    ) -> None:
        super().__init__(settings_cls)
        configured = explicit.get("config_dir") or os.environ.get("XIN_CONFIG_DIR")
        self.files = overlay_files(
            Path(configured) if configured else default_config_dir(), app_env
        )

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        raise NotImplementedError

    def __call__(self) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for path in self.files:
            merged = deep_merge(merged, read_overlay(path))
        return merged


def _reference_app_env(explicit: Mapping[str, Any]) -> str:
    value = explicit.get("app_env") or os.environ.get("APP_ENV")
    return str(value or os.environ.get("XIN_APP_ENV") or "development")


class ReferenceSettings(BaseSettings, SettingsModel):
    model_config = SettingsConfigDict(
        env_prefix="XIN_",
        env_nested_delimiter="__",
        extra="forbid",
        frozen=True,
        validate_default=True,
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        explicit: dict[str, Any] = getattr(init_settings, "init_kwargs", {})
        overlays = _YamlOverlays(
            settings_cls, app_env=_reference_app_env(explicit), explicit=explicit
        )
        return (init_settings, env_settings, overlays)


def reference_load(**overrides: Any) -> SettingsModel:
    try:
        return ReferenceSettings(**overrides)
    except ValidationError as exc:
        app_env = _reference_app_env(overrides)
        raise describe_validation_error(exc, overrides, app_env=app_env) from None


def _outcome(build: Callable[..., SettingsModel], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    try:
        model = build(**kwargs)
    except ValidationError as exc:  # Settings(...) directly: pydantic's own errors
        return ("ValidationError", repr(exc.errors(include_url=False)))
    except Exception as exc:  # ConfigurationError, SettingsError
        cause = exc.__cause__
        return (type(exc).__name__, str(exc), type(cause).__name__, str(cause))
    return ("ok", repr(model.model_dump()), sorted(model.model_fields_set))


def assert_same(kwargs: dict[str, Any] | None = None) -> tuple[Any, ...]:
    """Both loaders (and both constructors) agree; returns the outcome for further checks."""
    kwargs = kwargs or {}
    new, old = _outcome(load_settings, kwargs), _outcome(reference_load, kwargs)
    assert new == old
    assert _outcome(Settings, kwargs) == _outcome(ReferenceSettings, kwargs)
    return new


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.lower().startswith("xin_") or name.lower() in ("app_env", "config_dir"):
            monkeypatch.delenv(name)


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "config"
    directory.mkdir()
    (directory / "base.yaml").write_text(
        "api:\n  port: 9000\n  cors_origins: [https://a.example]\nrag:\n  top_k: 7\n"
        "tenants:\n  acme:\n    allowed_channels: [api, slack]\n",
        encoding="utf-8",
    )
    (directory / "staging.yaml").write_text(
        "api:\n  host: 0.0.0.0\nrag:\n  chunk_size: 800\n", encoding="utf-8"
    )
    return directory


Case = tuple[str, dict[str, str], dict[str, Any]]

ENVIRONMENTS: list[Case] = [
    ("defaults", {}, {}),
    ("nested", {"XIN_RAG__TOP_K": "11", "XIN_STORE__OPENSEARCH__TIMEOUT_S": "5"}, {}),
    ("lower case", {"xin_rag__top_k": "12", "xin_log_level": "DEBUG"}, {}),
    ("mixed case", {"Xin_Api__Port": "9001", "XIN_rag__Chunk_Size": "900"}, {}),
    ("two spellings", {"XIN_API__PORT": "9002", "xin_api__port": "9003"}, {}),
    ("JSON list", {"XIN_API__CORS_ORIGINS": '["https://x.example", "https://y.example"]'}, {}),
    ("list validator", {"XIN_INGEST__ALLOWED_EXTENSIONS": '["MD", ".Pdf"]'}, {}),
    ("JSON dict", {"XIN_TENANTS": '{"acme": {"allowed_channels": ["api"]}}'}, {}),
    ("dict by key", {"XIN_TENANTS__Beta__RATE_LIMIT__DAILY_MESSAGES": "5"}, {}),
    ("dict value JSON", {"XIN_TENANTS__ACME__GUARD": '{"enabled": false}'}, {}),
    (
        "dict JSON and keys",
        {
            "XIN_TENANTS": '{"acme": {"allowed_channels": ["api"]}}',
            "XIN_TENANTS__ACME__REDACTION__ENABLED": "false",
        },
        {},
    ),
    ("section JSON", {"XIN_API": '{"PORT": 9004, "cors_origins": ["https://z.example"]}'}, {}),
    ("section JSON and keys", {"XIN_API": '{"port": 9005}', "XIN_API__HOST": "0.0.0.0"}, {}),
    ("section JSON, nested upper", {"XIN_STORE": '{"OPENSEARCH": {"SHARDS": 3}}'}, {}),
    (
        "booleans",
        {
            "XIN_API__DOCS_ENABLED": "no",
            "XIN_REDACTION__ENABLED": "Off",
            "XIN_API__AUTH_REQUIRED": "1",
            "XIN_GUARD__SEMANTIC": "TRUE",
            "XIN_RATE_LIMIT__FAIL_OPEN": "y",
        },
        {},
    ),
    ("bad boolean", {"XIN_GUARD__ENABLED": "maybe"}, {}),
    ("optional list as JSON", {"XIN_ACTIONS__ALLOWED": '["lookup"]'}, {}),
    ("optional list as text", {"XIN_ACTIONS__ALLOWED": "lookup"}, {}),
    ("optional section JSON", {"XIN_RATE_LIMIT__PER_TENANT": '{"rate": 1, "burst": 2}'}, {}),
    (
        "optional section by key",
        {"XIN_RATE_LIMIT__PER_TENANT__RATE": "3", "XIN_RATE_LIMIT__PER_TENANT__BURST": "4"},
        {},
    ),
    ("optional section not JSON", {"XIN_RATE_LIMIT__PER_TENANT": "{nope"}, {}),
    ("dict of lists", {"XIN_ACTIONS__TENANTS__ACME": '["handoff"]'}, {}),
    ("dict of lists, text", {"XIN_ACTIONS__CHANNELS__TELEGRAM": "handoff"}, {}),
    ("dict of lists JSON", {"XIN_ACTIONS__CHANNELS": '{"telegram": ["ticket"]}'}, {}),
    ("APP_ENV", {"APP_ENV": "staging"}, {}),
    ("XIN_APP_ENV", {"XIN_APP_ENV": "staging"}, {}),
    ("app_env lower case", {"app_env": "staging"}, {}),
    ("both app env names", {"APP_ENV": "staging", "XIN_APP_ENV": "production"}, {}),
    ("unknown app env", {"APP_ENV": "qa"}, {}),
    ("CONFIG_DIR sets the field only", {"CONFIG_DIR": "/srv/conf"}, {}),
    ("XIN_CONFIG_DIR", {"XIN_CONFIG_DIR": "{config}"}, {}),
    ("overlays for staging", {"XIN_CONFIG_DIR": "{config}", "APP_ENV": "staging"}, {}),
    (
        "env over overlays",
        {"XIN_CONFIG_DIR": "{config}", "XIN_RAG__TOP_K": "3", "XIN_TENANTS__ACME__GUARD": "{}"},
        {},
    ),
    (
        "env list replaces overlay list",
        {"XIN_CONFIG_DIR": "{config}", "XIN_API__CORS_ORIGINS": "[]"},
        {},
    ),
    ("app_env from an overlay", {}, {"base.yaml": "app_env: staging\n"}),
    ("upper-case key in an overlay", {}, {"base.yaml": "RAG:\n  top_k: 3\n"}),
    ("unknown key in an overlay", {}, {"development.yaml": "rag:\n  topk: 3\n"}),
    ("bad value in an overlay", {}, {"development.yaml": "rag:\n  top_k: lots\n"}),
    ("invalid YAML", {}, {"development.yaml": "rag: [unclosed\n"}),
    ("overlay not a mapping", {}, {"base.yaml": "- a\n"}),
    ("port out of range", {"XIN_API__PORT": "70000"}, {}),
    ("port not a number", {"XIN_API__PORT": "abc"}, {}),
    ("unknown log level", {"XIN_LOG_LEVEL": "verbose"}, {}),
    ("list that is not JSON", {"XIN_API__CORS_ORIGINS": "https://x.example"}, {}),
    ("section that is not JSON", {"XIN_API": "{bad"}, {}),
    ("section that is a list", {"XIN_API": "[1, 2]"}, {}),
    ("dict value not JSON", {"XIN_TENANTS__ACME": "{bad"}, {}),
    ("unknown nested key", {"XIN_API__COLOUR": "blue"}, {}),
    ("unknown top-level variable is ignored", {"XIN_COLOUR": "blue"}, {}),
    ("model rule", {"XIN_RAG__CHUNK_OVERLAP": "600"}, {}),
    ("policy outside development", {"APP_ENV": "staging", "XIN_API__AUTH_REQUIRED": "false"}, {}),
    ("wildcard CORS outside development", {"APP_ENV": "production"}, {}),
    ("empty scalar", {"XIN_LOG_LEVEL": ""}, {}),
    ("empty section", {"XIN_API": ""}, {}),
    ("empty nested list", {"XIN_API__CORS_ORIGINS": ""}, {}),
    ("short pepper", {"XIN_AUTH__PEPPER": "short"}, {}),
    ("pepper", {"XIN_AUTH__PEPPER": "p" * 40}, {}),
    ("JWT section", {"XIN_AUTH__JWT__JWKS_URL": "https://idp.example/jwks"}, {}),
    ("JWT algorithms", {"XIN_AUTH__JWT__ALGORITHMS": '["ES256", "RS256"]'}, {}),
    ("secrets file without a directory", {"XIN_SECRETS__PROVIDER": "file"}, {}),
    (
        "secrets file",
        {"XIN_SECRETS__PROVIDER": "file", "XIN_SECRETS__DIRECTORY": "/run/secrets"},
        {},
    ),
    ("openai without URL", {"XIN_LLM__PROVIDER": "openai", "XIN_LLM__MODEL": "m"}, {}),
    ("trailing delimiter", {"XIN_API__": "x"}, {}),
    ("double delimiter", {"XIN_API____PORT": "1"}, {}),
    ("scalar then deeper key", {"XIN_RAG__TOP_K": "4", "XIN_RAG__TOP_K__X": "1"}, {}),
    ("prefixed nested name", {"XIN_API__XIN_CORS_ORIGINS": '["a"]'}, {}),
    ("prefixed nested name, not JSON", {"XIN_API__XIN_CORS_ORIGINS": "a"}, {}),
    (
        "opensearch",
        {"XIN_STORE__BACKEND": "opensearch", "XIN_STORE__OPENSEARCH": '{"url": "https://os"}'},
        {},
    ),
    ("opensearch without URL", {"XIN_STORE__BACKEND": "opensearch"}, {}),
    ("sqlite path outside the data dir", {"XIN_STORE__SQLITE_PATH": "../x.db"}, {}),
    ("channels", {"XIN_CHANNELS__TEAMS__ENABLED": "true", "XIN_CHANNELS__TEAMS__APP_ID": "a"}, {}),
    ("enum name is not a value", {"APP_ENV": "STAGING"}, {}),
]


def _set_up(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, config_dir: Path, env: dict[str, str]
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value.replace("{config}", str(config_dir)))
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize(("case", "env", "files"), ENVIRONMENTS, ids=[c[0] for c in ENVIRONMENTS])
def test_environment_and_overlays_give_the_same_settings_or_error(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    config_dir: Path,
    case: str,
    env: dict[str, str],
    files: dict[str, str],
) -> None:
    if files:
        own = tmp_path / "own-config"
        own.mkdir()
        for name, text in files.items():
            (own / name).write_text(text, encoding="utf-8")
        monkeypatch.setenv("XIN_CONFIG_DIR", str(own))
    _set_up(monkeypatch, tmp_path, config_dir, env)
    assert_same()


EXPLICIT: list[tuple[str, dict[str, str], dict[str, Any]]] = [
    ("section", {"XIN_RAG__TOP_K": "9"}, {"rag": {"top_k": 3}}),
    ("section merges with env", {"XIN_RAG__CHUNK_SIZE": "900"}, {"rag": {"top_k": 3}}),
    ("model instance replaces", {"XIN_RAG__CHUNK_SIZE": "900"}, {"rag": RagSettings(top_k=2)}),
    ("app_env", {"APP_ENV": "production"}, {"app_env": "staging"}),
    ("APP_ENV as an argument", {}, {"APP_ENV": "staging"}),
    ("XIN_APP_ENV as an argument", {"APP_ENV": "production"}, {"XIN_APP_ENV": "staging"}),
    ("bad APP_ENV argument", {}, {"APP_ENV": "qa"}),
    ("two app_env arguments", {}, {"App_Env": "qa", "app_env": "staging"}),
    ("case-insensitive argument", {}, {"RAG": {"top_k": 4}}),
    ("config_dir", {}, {"config_dir": "{config}", "app_env": "staging"}),
    ("config dir variable as an argument", {}, {"XIN_CONFIG_DIR": "{config}"}),
    ("unknown argument", {}, {"colour": "blue"}),
    ("bad argument", {"XIN_API__PORT": "9000"}, {"api": {"port": 0}}),
    ("argument over overlay", {"XIN_CONFIG_DIR": "{config}"}, {"tenants": {"acme": {}}}),
    ("path argument", {}, {"data_dir": Path("/srv/xin")}),
]


@pytest.mark.parametrize(("case", "env", "kwargs"), EXPLICIT, ids=[c[0] for c in EXPLICIT])
def test_explicit_arguments_give_the_same_settings_or_error(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    config_dir: Path,
    case: str,
    env: dict[str, str],
    kwargs: dict[str, Any],
) -> None:
    _set_up(monkeypatch, tmp_path, config_dir, env)
    kwargs = {k: str(config_dir) if v == "{config}" else v for k, v in kwargs.items()}
    assert_same(kwargs)


def test_the_cases_exercise_both_outcomes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, config_dir: Path
) -> None:
    """The comparisons above compare real settings and real errors, not two identical failures."""
    _set_up(monkeypatch, tmp_path, config_dir, {"XIN_TENANTS__Beta__GUARD__ENABLED": "false"})
    ok = assert_same()
    assert ok[0] == "ok"
    assert "'beta': {'rate_limit'" in ok[1]  # the key is lower-cased, as before
    monkeypatch.setenv("XIN_API__CORS_ORIGINS", "https://x.example")
    failed = assert_same()
    assert failed[:2] == (
        "SettingsError",
        'error parsing value for field "api" from source "EnvSettingsSource"',
    )


def _leaves(model: type[BaseModel], path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name, field in model.model_fields.items():
        inner = field.annotation
        args = [a for a in typing.get_args(inner) if a is not type(None)]
        if typing.get_origin(inner) in (typing.Union, type(int | None)) and len(args) == 1:
            inner = args[0]
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            yield from _leaves(inner, (*path, name))
        yield (*path, name)


LEAVES = sorted(set(_leaves(SettingsModel)))
PROBES = ["1", "true", '["a"]', '{"a": 1}', "not json {", ""]


@pytest.mark.parametrize("leaf", LEAVES, ids=["__".join(leaf) for leaf in LEAVES])
def test_every_setting_reads_every_kind_of_value_the_same_way(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, leaf: tuple[str, ...]
) -> None:
    """Each field (and each section) of the model, given text, a list, a dict and bad JSON."""
    monkeypatch.chdir(tmp_path)
    variable = "XIN_" + "__".join(leaf).upper()
    if leaf == ("app_env",):
        variable = "APP_ENV"
    for probe in PROBES:
        monkeypatch.setenv(variable, probe)
        assert_same()
    monkeypatch.delenv(variable)
    for probe in PROBES:  # a key of a dict setting (tenant, channel): its value type decides
        monkeypatch.setenv(variable + "__ACME", probe)
        assert_same()


def test_leaves_cover_the_whole_model() -> None:
    assert len(LEAVES) > 150
    assert ("tenants",) in LEAVES
    assert ("store", "opensearch", "ef_search") in LEAVES
    assert ("rate_limit", "per_tenant", "burst") in LEAVES


def test_loading_settings_does_not_import_pydantic_settings(tmp_path: Path) -> None:
    script = (
        "import json, sys\n"
        "from xin.config import load_settings\n"
        "settings = load_settings(rag={'top_k': 3})\n"
        "print(json.dumps([settings.rag.top_k, settings.api.port, "
        "sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic_settings', 'dotenv'))]))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(("XIN_", "APP_ENV"))}
    env["XIN_API__PORT"] = "8123"
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=tmp_path, check=True, capture_output=True
    )
    assert json.loads(out.stdout) == [3, 8123, []]
