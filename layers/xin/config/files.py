"""The YAML overlay files: where they are, how they are read and merged (no pydantic here)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from xin.errors import ConfigurationError


def default_config_dir() -> Path:
    """The overlays bundled with the package (used when no config directory is set).

    The layer is installed as files on disk, so this package's directory is where they are
    (``importlib.resources`` would add tempfile, shutil and zipfile to the health function's
    cold start)."""
    return Path(__file__).resolve().parent


def overlay_files(config_dir: Path, app_env: str) -> list[Path]:
    """``base.yaml`` then the environment's overlay, lowest priority first, if present."""
    candidates = [config_dir / "base.yaml", config_dir / f"{app_env}.yaml"]
    return [path for path in candidates if path.is_file()]


def deep_merge(base: Mapping[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    """Merge mappings key by key; any non-mapping value (lists included) replaces."""
    merged = dict(base)
    for key, value in overlay.items():
        current = merged.get(key)
        if isinstance(current, Mapping) and isinstance(value, Mapping):
            merged[key] = deep_merge(current, value)
        else:
            merged[key] = value
    return merged


def read_overlay(path: Path) -> dict[str, Any]:
    import yaml

    # libyaml's parser when PyYAML has it (its manylinux wheels, which the layer uses, do): the
    # same safe constructors, a fraction of the pure-Python parser's time at cold start.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"invalid YAML in {path}: {exc}") from None
    except OSError as exc:
        raise ConfigurationError(f"cannot read {path}: {exc.strerror}") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ConfigurationError(f"{path}: the top level must be a mapping of settings")
    return loaded
