"""PII detection and deterministic masking (EMAIL, PHONE, CARD, IBAN, IP, US_SSN,
IR_NATIONAL_ID, cloud keys and tokens, PERSON, ADDRESS).

    from xin.redaction import Redactor, detect_pii
    redactor = Redactor()                      # one per conversation
    redactor.redact("mail me: a@b.co").text    # "mail me: <EMAIL_1>"

Offsets always point into the original text, Persian and Arabic-Indic digits included.
Imports are lazy: ``import xin.redaction`` loads nothing heavy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xin.redaction.detect import detect_pii
    from xin.redaction.logging_filter import RedactingFilter
    from xin.redaction.policy import RedactionPolicy
    from xin.redaction.redactor import RedactionResult, Redactor
    from xin.redaction.spans import ALL_TYPES, SECRET_TYPES, PiiSpan, PiiType

__all__ = [
    "ALL_TYPES",
    "SECRET_TYPES",
    "PiiSpan",
    "PiiType",
    "RedactingFilter",
    "RedactionPolicy",
    "RedactionResult",
    "Redactor",
    "detect_pii",
]

_EXPORTS = {
    "detect_pii": "xin.redaction.detect",
    "RedactingFilter": "xin.redaction.logging_filter",
    "RedactionPolicy": "xin.redaction.policy",
    "RedactionResult": "xin.redaction.redactor",
    "Redactor": "xin.redaction.redactor",
    "ALL_TYPES": "xin.redaction.spans",
    "SECRET_TYPES": "xin.redaction.spans",
    "PiiSpan": "xin.redaction.spans",
    "PiiType": "xin.redaction.spans",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'xin.redaction' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
