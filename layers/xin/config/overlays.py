"""YAML overlay files as a pydantic-settings source, and readable configuration errors."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from xin.config.files import deep_merge, default_config_dir, overlay_files, read_overlay
from xin.errors import ConfigurationError

__all__ = [
    "YamlOverlaySource",
    "deep_merge",
    "default_config_dir",
    "describe_validation_error",
    "overlay_files",
    "read_overlay",
]

_CONFIG_DIR_VARIABLE = "XIN_CONFIG_DIR"


class YamlOverlaySource(PydanticBaseSettingsSource):
    """Reads and recursively merges the overlay files for one environment."""

    def __init__(
        self, settings_cls: type[BaseSettings], *, app_env: str, explicit: Mapping[str, Any]
    ) -> None:
        super().__init__(settings_cls)
        configured = explicit.get("config_dir") or os.environ.get(_CONFIG_DIR_VARIABLE)
        self.config_dir = Path(configured) if configured else default_config_dir()
        self.files = overlay_files(self.config_dir, app_env)

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        raise NotImplementedError  # values come from __call__ as one merged mapping

    def __call__(self) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for path in self.files:
            merged = deep_merge(merged, read_overlay(path))
        return merged


def _lookup(mapping: Mapping[str, Any], loc: tuple[str, ...]) -> bool:
    node: Any = mapping
    for part in loc:
        if not isinstance(node, Mapping) or part not in node:
            return False
        node = node[part]
    return True


def _source_of(loc: tuple[str, ...], explicit: Mapping[str, Any], app_env: str) -> str:
    if _lookup(explicit, loc):
        return "explicit argument"
    env_names = ["XIN_" + "__".join(loc).upper()]
    if loc == ("app_env",):
        env_names = ["APP_ENV", "XIN_APP_ENV"]
    for name in env_names:
        if name in os.environ:
            return f"environment variable {name}"
    configured = explicit.get("config_dir") or os.environ.get(_CONFIG_DIR_VARIABLE)
    config_dir = Path(configured) if configured else default_config_dir()
    for path in reversed(overlay_files(config_dir, app_env)):
        if _lookup(read_overlay(path), loc):
            return f"file {path}"
    return "defaults"


def describe_validation_error(
    exc: ValidationError, explicit: Mapping[str, Any], *, app_env: str
) -> ConfigurationError:
    """Turn a pydantic error into one message naming each bad key and where it came from."""
    lines = []
    for error in exc.errors():
        loc = tuple(str(part) for part in error["loc"])
        key = ".".join(loc) or "<settings>"
        source = _source_of(loc, explicit, app_env) if loc else "settings"
        if error["type"] == "extra_forbidden":
            lines.append(f"unknown setting '{key}' (from {source})")
        else:
            lines.append(f"invalid setting '{key}' (from {source}): {error['msg']}")
    return ConfigurationError("invalid configuration: " + "; ".join(lines))
