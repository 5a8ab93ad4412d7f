"""Structured JSON logs through Powertools' Logger (it also runs outside Lambda)."""

from __future__ import annotations

import sys
from collections.abc import Collection
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger

    from xin.redaction.spans import PiiType

SERVICE_NAME = "xin"


_stream_name = ["stdout"]


def log_to_stderr(on: bool = True) -> None:
    """Send log lines to standard error (``on``) or back to standard output: a command whose
    standard output is its result (``xin ask --json``, ``xin guard check``) must print
    nothing else there. Servers and Lambda functions keep standard output, where their
    platforms collect logs."""
    _stream_name[0] = "stderr" if on else "stdout"


class _CurrentStdout:
    """Writes to whatever ``sys.stdout`` (or, after ``log_to_stderr``, ``sys.stderr``) is
    now, so a redirect (``xin invoke``, a test runner) moves logs too."""

    def write(self, text: str) -> int:
        stream = sys.stderr if _stream_name[0] == "stderr" else sys.stdout
        return stream.write(text)

    def flush(self) -> None:
        (sys.stderr if _stream_name[0] == "stderr" else sys.stdout).flush()


@lru_cache(maxsize=1)
def get_logger() -> Logger:
    """The process-wide logger, created on first use (no import-time side effects)."""
    from aws_lambda_powertools import Logger

    logger = Logger(service=SERVICE_NAME, stream=_CurrentStdout())  # type: ignore[arg-type]
    if _redacted_types[0] is not None:
        _apply_log_redaction(logger)
    return logger


def configure_logging(level: str) -> None:
    get_logger().setLevel(level)


_redacted_types: list[frozenset[PiiType] | None] = [None]


def install_log_redaction(types: Collection[PiiType] | None) -> None:
    """Mask PII (``types``) in every record the application logger's handlers emit, child
    loggers (``xin.guard``…) included; ``None`` removes the filter. Idempotent, and lazy: if
    the logger does not exist yet, the filter is installed when it is created."""
    _redacted_types[0] = frozenset(types) if types is not None else None
    if get_logger.cache_info().currsize:
        _apply_log_redaction(get_logger())


def _apply_log_redaction(logger: Logger) -> None:
    import logging

    types = _redacted_types[0]
    if types is None and "xin.redaction.logging_filter" not in sys.modules:
        return  # nothing to remove: no filter was ever installed (and no redactor to load)
    from xin.redaction.logging_filter import RedactingFilter
    from xin.redaction.policy_rules import PlainRedactionPolicy  # no pydantic (ADR 0019)
    from xin.redaction.spans import SECRET_TYPES

    for handler in logging.getLogger(logger.name).handlers:
        for old in [f for f in handler.filters if isinstance(f, RedactingFilter)]:
            handler.removeFilter(old)
        if types is not None:
            # Credentials are masked whatever the configured types: never a key in a log.
            policy = PlainRedactionPolicy(enabled=types | SECRET_TYPES)
            handler.addFilter(RedactingFilter(policy))
