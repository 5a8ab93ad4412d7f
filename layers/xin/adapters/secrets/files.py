"""Secrets from mounted files: one file per secret in a directory (a Kubernetes Secret volume
or an External Secrets target). Files are re-read after ``max_age_s``, so a rotated secret is
picked up without a restart."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from xin.adapters.secrets import check_name, check_value
from xin.errors import ConfigurationError
from xin.paths import PathNotAllowed, confine


class FileSecretSource:
    """Implements ``SecretSource`` over ``directory/<name>``."""

    def __init__(
        self,
        directory: Path,
        *,
        development: bool = False,
        max_age_s: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._directory = directory
        self._development = development
        self._max_age = max_age_s
        self._clock = clock
        self._cache: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> str:
        check_name(name)
        now = self._clock()
        with self._lock:
            cached = self._cache.get(name)
            if cached is not None and now - cached[0] < self._max_age:
                return cached[1]
        try:
            # Resolved and confined: a symlink planted in the mount cannot point outside it
            # (Kubernetes' own ``..data`` links resolve inside the directory).
            path = confine(self._directory, name)
        except PathNotAllowed as exc:
            raise ConfigurationError(f"secret '{name}': {exc}") from None
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ConfigurationError(f"secret '{name}' not found: no file {path}") from None
        except OSError as exc:
            raise ConfigurationError(
                f"secret '{name}': cannot read {path}: {exc.strerror}"
            ) from None
        value = check_value(name, raw, source=f"file {path}", development=self._development)
        with self._lock:
            self._cache[name] = (now, value)
        return value
