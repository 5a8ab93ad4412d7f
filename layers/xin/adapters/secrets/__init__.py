"""``SecretSource`` implementations: environment (development), AWS Secrets Manager, mounted
files (Kubernetes / External Secrets). Values never reach logs or error messages."""

from __future__ import annotations

import logging
import re

from xin.errors import ConfigurationError, XinError

log = logging.getLogger("xin.secrets")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-/+=@]{0,511}$")
PLACEHOLDERS = frozenset(
    {
        "changeme",
        "change-me",
        "change_me",
        "placeholder",
        "todo",
        "tbd",
        "xxx",
        "secret",
        "password",
        "example",
        "dummy",
        "test",
        "none",
        "null",
    }
)


class SecretUnavailableError(XinError):
    """The secret store could not be reached (the secret may well exist)."""

    code = "secret_unavailable"
    http_status = 503


def check_name(name: str) -> str:
    if not _NAME.match(name) or ".." in name:
        raise ConfigurationError(f"invalid secret name {name!r}")
    return name


def check_value(name: str, value: str, *, source: str, development: bool) -> str:
    """Refuse empty and placeholder values outside development. The message names the secret
    and where it came from, never the value."""
    stripped = value.strip()
    bare = stripped.strip("<>{}[]").lower()
    if not development and (not stripped or bare in PLACEHOLDERS or bare.startswith("changeme")):
        raise ConfigurationError(
            f"secret '{name}' from {source} is empty or a placeholder; set a real value"
        )
    log.info("secret loaded", extra={"secret_name": name, "secret_source": source})
    return stripped
