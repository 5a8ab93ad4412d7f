"""The health function's cold start without pydantic, FastAPI or numpy (ADR 0019).

``GET /health`` reports liveness and the store's readiness. With the embedded SQLite store it
needs five settings: the log level, CORS origins, where the database is, and whether (and
which) PII is masked in logs. :func:`health_config` reads exactly those from the sources
``Settings`` reads, with the same precedence — ``XIN_*`` environment variables (names are
case-insensitive, ``__`` between nested keys, lists as JSON), then the YAML overlays
(``base.yaml``, then ``<APP_ENV>.yaml``), then the model's defaults — and checks them by the
model's rules. Whenever anything is outside the plain cases it understands (another store
backend, a whole section as one JSON variable, a value the model would refuse), it returns
``None`` and the function builds the full ``Settings`` and container as before, so a bad
value still fails loudly. The price: this function does not validate settings it never
reads; every other function still validates them all at cold start.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xin.config.files import deep_merge, default_config_dir, overlay_files, read_overlay
from xin.errors import StoreUnavailable

if TYPE_CHECKING:
    from xin.redaction.spans import PiiType

_LOG_LEVELS = frozenset({"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"})
_APP_ENVS = frozenset({"development", "staging", "production"})
_TARGETS = ("responses", "transcripts", "logs")
_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})  # pydantic's lax bool strings
_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})
_MISSING = object()


class _Unsupported(Exception):
    """A value this reader does not handle: the caller falls back to full ``Settings``."""


@dataclass(frozen=True, slots=True)
class HealthConfig:
    log_level: str
    cors_origins: tuple[str, ...]
    sqlite_path: Path
    log_redaction: frozenset[PiiType] | None  # PII types masked in logs; None: no log redaction


def health_config(environ: Mapping[str, str] = os.environ) -> HealthConfig | None:
    """The settings ``/health`` uses, or ``None`` to build the full ``Settings`` instead."""
    try:
        return _read(_Sources(environ))
    except _Unsupported:
        return None


class _Sources:
    def __init__(self, environ: Mapping[str, str]) -> None:
        self.app_env = environ.get("APP_ENV") or environ.get("XIN_APP_ENV") or "development"
        if self.app_env not in _APP_ENVS:
            raise _Unsupported("app_env")
        configured = environ.get("XIN_CONFIG_DIR")
        config_dir = Path(configured) if configured else default_config_dir()
        self.yaml: dict[str, Any] = {}
        for path in overlay_files(config_dir, self.app_env):
            self.yaml = deep_merge(self.yaml, read_overlay(path))
        if "app_env" in self.yaml:  # the model would take app_env from YAML: rare, not here
            raise _Unsupported("app_env in YAML")
        self.env = {k.lower(): v for k, v in environ.items() if k.lower().startswith("xin_")}

    def get(self, *key: str, json_value: bool = False) -> Any:
        for depth in range(1, len(key)):  # XIN_STORE='{...}': a whole section as JSON
            if "xin_" + "__".join(key[:depth]) in self.env:
                raise _Unsupported(".".join(key[:depth]))
        raw = self.env.get("xin_" + "__".join(key))
        if raw is not None:
            if not json_value:
                return raw
            try:
                return json.loads(raw)
            except ValueError:
                raise _Unsupported(".".join(key)) from None
        node: Any = self.yaml
        for part in key:
            if not isinstance(node, Mapping) or part not in node:
                return _MISSING
            node = node[part]
        return node


def _read(sources: _Sources) -> HealthConfig:
    if _value(sources, "store", "backend", default="sqlite") != "sqlite":
        raise _Unsupported("store.backend")
    development = sources.app_env == "development"
    data_dir = _path(_value(sources, "data_dir", default=".xin"))
    configured = _value(sources, "store", "sqlite_path", default=None)
    sqlite_path = data_dir / "xin.db" if configured is None else _confined(data_dir, configured)
    log_level = _value(sources, "log_level", default="INFO")
    if log_level not in _LOG_LEVELS:
        raise _Unsupported("log_level")
    origins = _strings(_value(sources, "api", "cors_origins", default=[], json_value=True))
    if "*" in origins and not development:
        raise _Unsupported("api.cors_origins")
    auth_required = _value(sources, "api", "auth_required", default=None)
    if auth_required is not None and not _bool(auth_required) and not development:
        raise _Unsupported("api.auth_required")
    return HealthConfig(
        log_level=log_level,
        cors_origins=tuple(origins),
        sqlite_path=sqlite_path,
        log_redaction=_log_redaction(sources),
    )


def _log_redaction(sources: _Sources) -> frozenset[PiiType] | None:
    from xin.redaction.spans import ALL_TYPES

    enabled = _bool(_value(sources, "redaction", "enabled", default=True))
    targets = _strings(_value(sources, "redaction", "apply_to", default=_TARGETS, json_value=True))
    types = _strings(_value(sources, "redaction", "types", default=ALL_TYPES, json_value=True))
    if not set(targets) <= set(_TARGETS) or not set(types) <= ALL_TYPES:
        raise _Unsupported("redaction")
    if not enabled or "logs" not in targets:
        return None
    return frozenset(t for t in ALL_TYPES if t in types)


def _value(sources: _Sources, *key: str, default: Any, json_value: bool = False) -> Any:
    value = sources.get(*key, json_value=json_value)
    return default if value is _MISSING else value


def _path(value: Any) -> Path:
    if not isinstance(value, str | Path) or not str(value) or "\x00" in str(value):
        raise _Unsupported("path")
    return Path(value)


def _confined(data_dir: Path, value: Any) -> Path:
    from xin.paths import PathNotAllowed, confine_setting

    try:
        return confine_setting(data_dir, _path(value))
    except PathNotAllowed:
        raise _Unsupported("store.sqlite_path") from None


def _strings(value: Any) -> list[str]:
    if isinstance(value, str) or not isinstance(value, list | tuple | frozenset | set):
        raise _Unsupported("list")
    if not all(isinstance(item, str) for item in value):
        raise _Unsupported("list item")
    return sorted(value) if isinstance(value, frozenset | set) else list(value)


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower() if isinstance(value, str | int) else ""
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise _Unsupported("bool")


def sqlite_ping(path: Path) -> Callable[[], None]:
    """The SQLite store's readiness check (``SqliteVectorStore.ping``) without numpy."""
    from xin.adapters.sqlite.database import Database

    database = Database(path)

    def ping() -> None:
        try:
            database.connection().execute("SELECT 1").fetchall()
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"SQLite query failed: {exc}") from exc

    return ping
