"""Guardrails: input guard, indirect-injection scanning, output guard (see ADR 0003).

    from xin.guard import InputGuard, GuardPolicy, refusal_message
    verdict = InputGuard().check(user_text, tenant_policy)
    if verdict.blocked:
        reply = refusal_message(verdict.language)

Detectors are multilingual lexicons of *concepts* combined by co-occurrence rules, plus
structural signals and decoding of obfuscated payloads; no model, any LLM backend.
Imports are lazy: ``import xin.guard`` costs nothing; regexes compile on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xin.guard.chunk import scan_chunk, wrap_as_data
    from xin.guard.input_guard import InputGuard
    from xin.guard.output_guard import (
        OutputGuard,
        OutputVerdict,
        canary_line,
        grounded_fallback,
        make_canary,
    )
    from xin.guard.policy import GuardPolicy
    from xin.guard.refusals import guess_language, refusal_message
    from xin.guard.verdict import REASONS, GuardVerdict

__all__ = [
    "REASONS",
    "GuardPolicy",
    "GuardVerdict",
    "InputGuard",
    "OutputGuard",
    "OutputVerdict",
    "canary_line",
    "grounded_fallback",
    "guess_language",
    "make_canary",
    "refusal_message",
    "scan_chunk",
    "wrap_as_data",
]

_EXPORTS = {
    "scan_chunk": "xin.guard.chunk",
    "wrap_as_data": "xin.guard.chunk",
    "InputGuard": "xin.guard.input_guard",
    "OutputGuard": "xin.guard.output_guard",
    "OutputVerdict": "xin.guard.output_guard",
    "canary_line": "xin.guard.output_guard",
    "grounded_fallback": "xin.guard.output_guard",
    "make_canary": "xin.guard.output_guard",
    "GuardPolicy": "xin.guard.policy",
    "guess_language": "xin.guard.refusals",
    "refusal_message": "xin.guard.refusals",
    "REASONS": "xin.guard.verdict",
    "GuardVerdict": "xin.guard.verdict",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'xin.guard' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
