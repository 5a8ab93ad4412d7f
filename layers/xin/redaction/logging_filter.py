"""A logging filter that masks PII in messages, arguments and ``extra`` fields."""

from __future__ import annotations

import logging
from typing import Any

from xin.redaction.policy_rules import RedactionPolicyView, default_policy
from xin.redaction.redactor import Redactor

# Attributes every LogRecord has; anything else came from ``extra=``.
_STANDARD = frozenset(vars(logging.LogRecord("x", logging.INFO, "x", 0, "x", None, None))) | {
    "message",
    "asctime",
}


class RedactingFilter(logging.Filter):
    """Redacts ``record.msg`` (after merging ``record.args``) and string values passed
    through ``extra`` (also inside lists and dicts, one level deep).

    Attach it to a handler (``handler.addFilter(RedactingFilter())``) so every record
    that handler emits is masked. Each record gets a fresh ``Redactor``: placeholders are
    consistent within a record, never across records. Tracebacks are not rewritten:
    format them with a redacting formatter if they can carry user input.
    """

    def __init__(self, policy: RedactionPolicyView | None = None, name: str = "") -> None:
        super().__init__(name)
        self.policy = policy or default_policy()

    def filter(self, record: logging.LogRecord) -> bool:
        redactor = Redactor(self.policy)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg = redactor.redact(message).text
        record.args = None
        for name, value in list(vars(record).items()):
            if name not in _STANDARD:
                setattr(record, name, _redact_value(redactor, value))
        return True


def _redact_value(redactor: Redactor, value: Any) -> Any:
    if isinstance(value, str):
        return redactor.redact(value).text
    if isinstance(value, list | tuple):
        return type(value)(redactor.redact(v).text if isinstance(v, str) else v for v in value)
    if isinstance(value, dict):
        return {k: redactor.redact(v).text if isinstance(v, str) else v for k, v in value.items()}
    return value
