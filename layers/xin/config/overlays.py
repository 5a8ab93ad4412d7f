"""Readable configuration errors: each bad key and the source it came from (no pydantic import).

The YAML overlay helpers are re-exported from ``xin.config.files`` for existing callers.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from xin.config.environment import config_dir_of
from xin.config.files import deep_merge, default_config_dir, overlay_files, read_overlay
from xin.errors import ConfigurationError

if TYPE_CHECKING:
    from pydantic import ValidationError

__all__ = [
    "deep_merge",
    "default_config_dir",
    "describe_validation_error",
    "overlay_files",
    "read_overlay",
]


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
    for path in reversed(overlay_files(config_dir_of(explicit, os.environ), app_env)):
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
