"""The health function's settings reader agrees with ``Settings`` or steps aside.

For each configuration (environment variables and YAML overlays), ``health_config`` must
either return exactly what ``load_settings`` yields for the keys /health uses, or ``None``
(the function then builds the full ``Settings``) — and ``None`` whenever the model refuses
one of those keys, so a bad value still fails the function loudly.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from xin.config import Settings, load_settings
from xin.errors import ConfigurationError
from xin.lambda_health import HealthConfig, health_config

REPO = Path(__file__).resolve().parents[3]


def _expected(settings: Settings) -> HealthConfig:
    redaction = settings.redaction
    return HealthConfig(
        log_level=settings.log_level,
        cors_origins=tuple(settings.api.cors_origins),
        sqlite_path=settings.sqlite_path,
        log_redaction=frozenset(redaction.types) if redaction.applies_to("logs") else None,
    )


def _configure(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, env: dict[str, str], files: dict[str, Any]
) -> None:
    if files:
        config_dir = tmp_path / "config"
        config_dir.mkdir()
        for name, content in files.items():
            (config_dir / name).write_text(yaml.safe_dump(content), encoding="utf-8")
        monkeypatch.setenv("XIN_CONFIG_DIR", str(config_dir))
    for name, value in env.items():
        monkeypatch.setenv(name, value.replace("{tmp}", str(tmp_path)))


SUPPORTED: list[tuple[str, dict[str, str], dict[str, Any]]] = [
    ("bundled defaults", {}, {}),
    (
        "environment overrides",
        {"XIN_LOG_LEVEL": "DEBUG", "XIN_API__CORS_ORIGINS": '["https://app.example"]'},
        {},
    ),
    ("lower-case variable names", {"xin_log_level": "ERROR", "xin_data_dir": "{tmp}/d"}, {}),
    (
        "YAML overlays per environment",
        {"APP_ENV": "staging"},
        {
            "base.yaml": {"log_level": "WARNING", "api": {"cors_origins": ["https://a.example"]}},
            "staging.yaml": {"data_dir": "/srv/xin", "store": {"sqlite_path": "/srv/db/x.db"}},
        },
    ),
    (
        "environment beats YAML",
        {"XIN_LOG_LEVEL": "ERROR", "XIN_STORE__SQLITE_PATH": "{tmp}/data/other.db"},
        {"base.yaml": {"log_level": "WARNING", "data_dir": "{tmp}/data"}},
    ),
    ("log redaction off by target", {"XIN_REDACTION__APPLY_TO": '["responses"]'}, {}),
    ("log redaction off", {"XIN_REDACTION__ENABLED": "false"}, {}),
    ("some PII types", {"XIN_REDACTION__TYPES": '["EMAIL", "PHONE"]'}, {}),
]


@pytest.mark.parametrize(("case", "env", "files"), SUPPORTED, ids=[c[0] for c in SUPPORTED])
def test_reads_what_settings_reads(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    case: str,
    env: dict[str, str],
    files: dict[str, Any],
) -> None:
    files = json.loads(json.dumps(files).replace("{tmp}", str(tmp_path)))
    _configure(monkeypatch, tmp_path, env, files)
    light = health_config(os.environ)
    assert light is not None, case
    assert light == _expected(load_settings())


REFUSED: list[tuple[str, dict[str, str]]] = [
    ("unknown log level", {"XIN_LOG_LEVEL": "verbose"}),
    ("database outside the data dir", {"XIN_STORE__SQLITE_PATH": "../elsewhere.db"}),
    ("list that is not JSON", {"XIN_API__CORS_ORIGINS": "https://app.example"}),
    ("unknown PII type", {"XIN_REDACTION__TYPES": '["SHOE_SIZE"]'}),
    ("wildcard CORS outside development", {"APP_ENV": "staging", "XIN_API__CORS_ORIGINS": '["*"]'}),
    ("unknown environment", {"APP_ENV": "qa"}),
    ("not a boolean", {"XIN_REDACTION__ENABLED": "maybe"}),
]


@pytest.mark.parametrize(("case", "env"), REFUSED, ids=[c[0] for c in REFUSED])
def test_steps_aside_when_settings_refuse_a_key_it_reads(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, case: str, env: dict[str, str]
) -> None:
    _configure(monkeypatch, tmp_path, env, {})
    with pytest.raises(ConfigurationError):  # a bad JSON value too, naming its variable
        load_settings()
    assert health_config(os.environ) is None, case


@pytest.mark.parametrize(
    "env",
    [
        {"XIN_STORE__BACKEND": "opensearch", "XIN_STORE__OPENSEARCH__URL": "https://os.example"},
        {"XIN_STORE": '{"backend": "sqlite"}'},
        {"XIN_API": '{"cors_origins": []}'},
    ],
)
def test_steps_aside_for_other_backends_and_whole_sections(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, env: dict[str, str]
) -> None:
    _configure(monkeypatch, tmp_path, env, {})
    load_settings()  # valid: the function builds it and the store adapter itself
    assert health_config(os.environ) is None


def test_health_function_cold_start_imports_no_pydantic_fastapi_or_numpy(tmp_path: Path) -> None:
    script = (
        "import importlib.util, json, sys\n"
        "spec = importlib.util.spec_from_file_location('h', sys.argv[1])\n"
        "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)\n"
        "class Context:\n"
        "    function_name = 'xin-health'; function_version = '$LATEST'\n"
        "    invoked_function_arn = 'arn:aws:lambda:eu-west-1:123456789012:function:x'\n"
        "    memory_limit_in_mb = 256; aws_request_id = 'r-1'\n"
        "r = m.handler(json.load(open(sys.argv[2])), Context())\n"
        "heavy = sorted({n.split('.')[0] for n in sys.modules} & {'pydantic', 'fastapi', "
        "'numpy', 'pydantic_settings', 'boto3'})\n"
        "print(json.dumps({'status': r['statusCode'], 'body': json.loads(r['body']), "
        "'heavy': heavy}))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XIN_", "AWS_"))}
    env |= {"XIN_DATA_DIR": str(tmp_path), "XIN_REDACTION__ENABLED": "false"}
    env |= {"POWERTOOLS_TRACE_DISABLED": "true"}
    handler = REPO / "functions" / "health" / "handler.py"
    event = REPO / "tests" / "events" / "apigw_v2_health.json"
    out = (
        subprocess.run(
            [sys.executable, "-c", script, str(handler), str(event)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    result = json.loads(out)
    assert result["status"] == 200
    assert result["body"]["checks"] == {"store": "ok"}
    assert result["heavy"] == []
    assert (tmp_path / "xin.db").exists()
