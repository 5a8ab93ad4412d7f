"""Deterministic masking: the same value gets the same placeholder within a conversation."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from xin.redaction.detect import detect_pii
from xin.redaction.policy_rules import RedactionPolicyView, default_policy
from xin.redaction.spans import PiiSpan, PiiType


@dataclass(frozen=True, slots=True)
class RedactionResult:
    """``text`` with PII replaced; ``spans`` point into the ORIGINAL text and
    ``placeholders[i]`` is what replaced ``spans[i]``."""

    text: str
    spans: tuple[PiiSpan, ...] = ()
    placeholders: tuple[str, ...] = ()


class Redactor:
    """Masks PII with numbered placeholders (``<EMAIL_1>``, ``<PHONE_2>``…).

    Keep one ``Redactor`` per conversation: values are normalised before mapping
    ("+98 912 123 4567" and "09121234567" → the same ``<PHONE_1>``), and the mapping lives
    as long as the object. Thread-safe.
    """

    def __init__(self, policy: RedactionPolicyView | None = None) -> None:
        self.policy = policy or default_policy()
        self._mapping: dict[tuple[PiiType, str], str] = {}
        self._counters: dict[PiiType, int] = {}
        self._lock = threading.Lock()

    def placeholder_for(self, pii_type: PiiType, key: str) -> str:
        with self._lock:
            found = self._mapping.get((pii_type, key))
            if found is None:
                n = self._counters.get(pii_type, 0) + 1
                self._counters[pii_type] = n
                found = self.policy.placeholder.format(type=pii_type, n=n)
                self._mapping[(pii_type, key)] = found
            return found

    def redact(self, text: str) -> RedactionResult:
        spans = detect_pii(text, self.policy.enabled, phone_regions=self.policy.phone_regions)
        if not spans:
            return RedactionResult(text)
        pieces: list[str] = []
        placeholders: list[str] = []
        cursor = 0
        for span in spans:
            placeholder = self.placeholder_for(span.type, span.key)
            pieces.append(text[cursor : span.start])
            pieces.append(placeholder)
            placeholders.append(placeholder)
            cursor = span.end
        pieces.append(text[cursor:])
        return RedactionResult("".join(pieces), tuple(spans), tuple(placeholders))

    @property
    def mapping_size(self) -> int:
        """How many distinct values this conversation has masked so far."""
        return len(self._mapping)
