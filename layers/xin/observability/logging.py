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


class _CurrentStdout:
    """Writes to whatever ``sys.stdout`` is now, so a redirect (``xin invoke``) moves logs too."""

    def write(self, text: str) -> int:
        return sys.stdout.write(text)

    def flush(self) -> None:
        sys.stdout.flush()


@lru_cache(maxsize=1)
def get_logger() -> Logger:
    """The process-wide logger, created on first use (no import-time side effects)."""
    from aws_lambda_powertools import Logger

    return Logger(service=SERVICE_NAME, stream=_CurrentStdout())  # type: ignore[arg-type]


def configure_logging(level: str) -> None:
    get_logger().setLevel(level)


def install_log_redaction(types: Collection[PiiType] | None) -> None:
    """Mask PII (``types``) in every record the application logger's handlers emit, child
    loggers (``xin.guard``…) included; ``None`` removes the filter. Idempotent."""
    import logging

    from xin.redaction.logging_filter import RedactingFilter
    from xin.redaction.policy import RedactionPolicy

    handlers = logging.getLogger(get_logger().name).handlers
    for handler in handlers:
        for old in [f for f in handler.filters if isinstance(f, RedactingFilter)]:
            handler.removeFilter(old)
        if types is not None:
            handler.addFilter(RedactingFilter(RedactionPolicy(enabled=frozenset(types))))
