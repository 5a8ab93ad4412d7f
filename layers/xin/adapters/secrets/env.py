"""Secrets from environment variables, for development only: ``openai-api-key`` is read from
``XIN_SECRET_OPENAI_API_KEY``."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

from xin.adapters.secrets import check_name, check_value
from xin.errors import ConfigurationError

PREFIX = "XIN_SECRET_"


def variable_for(name: str) -> str:
    return PREFIX + re.sub(r"[^A-Za-z0-9]", "_", name).upper()


class EnvSecretSource:
    """Implements ``SecretSource``. Refuses to exist outside development."""

    def __init__(self, *, development: bool, environ: Mapping[str, str] | None = None) -> None:
        if not development:
            raise ConfigurationError(
                "secrets.provider 'env' is for development only; use 'aws' or 'file'"
            )
        self._environ = environ if environ is not None else os.environ

    def get(self, name: str) -> str:
        variable = variable_for(check_name(name))
        value = self._environ.get(variable)
        if value is None:
            raise ConfigurationError(f"secret '{name}' is not set: export {variable}")
        return check_value(name, value, source=f"environment variable {variable}", development=True)
