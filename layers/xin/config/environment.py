"""Where settings come from, as plain rules (no pydantic): variable names, APP_ENV, the overlays.

``Settings`` (through ``xin.config.sources``) and the health function's reader
(``xin.lambda_health``) both use these, so the two agree on names and precedence.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from xin.config.files import deep_merge, default_config_dir, overlay_files, read_overlay

ENV_PREFIX = "XIN_"
ENV_NESTED_DELIMITER = "__"
APP_ENV_VARIABLE = "APP_ENV"
CONFIG_DIR_VARIABLE = "XIN_CONFIG_DIR"
DEFAULT_APP_ENV = "development"


def lowercase_names(environ: Mapping[str, str]) -> dict[str, str]:
    """Variable names are case-insensitive: the last of two spellings wins, at the first's place."""
    return {name.lower(): value for name, value in environ.items()}


def pick_app_env(explicit: Mapping[str, Any], environ: Mapping[str, str]) -> str:
    """The environment whose overlay applies: explicit ``app_env``, ``APP_ENV``, ``XIN_APP_ENV``."""
    value = explicit.get("app_env") or environ.get(APP_ENV_VARIABLE)
    value = value or environ.get(f"{ENV_PREFIX}APP_ENV") or DEFAULT_APP_ENV
    return str(value)


def config_dir_of(explicit: Mapping[str, Any], environ: Mapping[str, str]) -> Path:
    """The overlays' directory: explicit ``config_dir``, ``XIN_CONFIG_DIR``, else bundled."""
    configured = explicit.get("config_dir") or environ.get(CONFIG_DIR_VARIABLE)
    return Path(configured) if configured else default_config_dir()


def merged_overlays(files: list[Path]) -> dict[str, Any]:
    """The overlay files read and merged key by key, lowest priority first."""
    merged: dict[str, Any] = {}
    for path in files:
        merged = deep_merge(merged, read_overlay(path))
    return merged


__all__ = [
    "APP_ENV_VARIABLE",
    "CONFIG_DIR_VARIABLE",
    "DEFAULT_APP_ENV",
    "ENV_NESTED_DELIMITER",
    "ENV_PREFIX",
    "config_dir_of",
    "lowercase_names",
    "merged_overlays",
    "overlay_files",
    "pick_app_env",
]
