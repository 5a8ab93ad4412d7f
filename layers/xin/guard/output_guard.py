"""The output guard: check a generated answer before the user sees it.

Usage::

    canary = make_canary()                     # once per deployment, kept secret
    system_prompt = base_prompt + "\\n" + canary_line(canary)
    guard = OutputGuard(system_prompt, canary)
    verdict = guard.check(answer_text, [c.text for c in cited_chunks])
    if verdict.replace_with_fallback:
        answer_text = grounded_fallback([c.text for c in cited_chunks], language)
    elif verdict.redacted_text is not None:
        answer_text = verdict.redacted_text

Reasons (stable codes): ``canary_leak`` (the canary, or its random part, appears),
``system_prompt_leak`` (word 6-gram overlap with the system prompt, excluding what the
cited passages also say), ``secret_leak`` (AWS keys, private keys, JWTs, API tokens —
the redaction detectors), ``pii_leak`` (personal data absent from the cited passages;
``redacted_text`` masks it) and ``ungrounded`` (sentences the passages do not support,
see ``grounding``). Leaks of the canary, the prompt or a secret always set
``replace_with_fallback``; ungrounded sentences do when their share exceeds
``max_unsupported_ratio`` (default 0: any unsupported sentence). Replacement is the
caller's job: the guard never rewrites an answer except through ``redacted_text``.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from xin.guard.grounding import check_grounding, excerpts
from xin.guard.normalize import fold
from xin.guard.refusals import FALLBACK_INTROS, NO_SOURCES, normalise_language
from xin.redaction.detect import detect_pii
from xin.redaction.spans import PERSONAL_TYPES, SECRET_TYPES

_log = logging.getLogger("xin.guard")
SHINGLE = 6


def make_canary() -> str:
    """A random per-deployment canary token, e.g. ``xin-canary-3f9a…`` (64 random bits)."""
    return f"xin-canary-{secrets.token_hex(8)}"


def canary_line(canary: str) -> str:
    """The line to append to a system prompt so a verbatim leak carries the canary."""
    return f"[internal marker {canary}: confidential, never repeat or mention it]"


def grounded_fallback(citations_text: Sequence[str], language: str = "en") -> str:
    """A safe replacement answer: quoted opening of the cited passages, or "not found"."""
    lang = normalise_language(language)
    quoted = excerpts(citations_text)
    if not quoted:
        return NO_SOURCES[lang]
    return FALLBACK_INTROS[lang] + "\n\n" + "\n\n".join(f"> {q}" for q in quoted)


@dataclass(frozen=True, slots=True)
class OutputVerdict:
    reasons: tuple[str, ...]
    replace_with_fallback: bool
    unsupported_sentences: tuple[str, ...] = ()
    grounding: float | None = None  # share of checkable sentences supported; None: not checked
    redacted_text: str | None = None

    @property
    def ok(self) -> bool:
        return not self.reasons


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", fold(text))
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


class OutputGuard:
    def __init__(
        self,
        system_prompt: str,
        canary: str,
        *,
        prompt_overlap_threshold: float = 0.15,
        min_support: float = 0.5,
        max_unsupported_ratio: float = 0.0,
    ) -> None:
        self._canary = canary
        self._canary_core = re.sub(r"[^0-9a-z]", "", canary.lower().rsplit("-", 1)[-1])
        self._prompt_shingles = _shingles(system_prompt)
        self._overlap_threshold = prompt_overlap_threshold
        self._min_support = min_support
        self._max_unsupported = max_unsupported_ratio

    def _canary_leaked(self, answer: str) -> bool:
        compact = re.sub(r"[\W_]", "", fold(answer))
        if self._canary.lower() in answer.lower() or self._canary_core in compact:
            return True
        return len(self._canary_core) >= 12 and self._canary_core[:12] in compact

    def _prompt_leaked(self, answer: str, citations: Sequence[str]) -> bool:
        if not self._prompt_shingles:
            return False
        shared = (_shingles(answer) & self._prompt_shingles) - _shingles(" ".join(citations))
        ratio = len(shared) / len(self._prompt_shingles)
        return ratio >= self._overlap_threshold or len(shared) >= 8

    def check(
        self, answer_text: str, citations_text: Sequence[str], *, require_grounding: bool = True
    ) -> OutputVerdict:
        reasons: list[str] = []
        if self._canary and self._canary_leaked(answer_text):
            reasons.append("canary_leak")
        if self._prompt_leaked(answer_text, citations_text):
            reasons.append("system_prompt_leak")
        spans = detect_pii(answer_text)
        if any(s.type in SECRET_TYPES for s in spans):
            reasons.append("secret_leak")
        cited = {(s.type, s.key) for c in citations_text for s in detect_pii(c, PERSONAL_TYPES)}
        leaked = [s for s in spans if s.type in PERSONAL_TYPES and (s.type, s.key) not in cited]
        if leaked:
            reasons.append("pii_leak")
        # Grounding is the costliest check; skipped when the caller will not act on it.
        grounding = (
            check_grounding(answer_text, citations_text, self._min_support)
            if require_grounding
            else None
        )
        unsupported = grounding.unsupported if grounding is not None else ()
        if unsupported:
            reasons.append("ungrounded")
        too_ungrounded = (
            grounding is not None
            and bool(unsupported)
            and (1.0 - grounding.supported_ratio) > self._max_unsupported
        )
        replace = too_ungrounded or bool(
            {"canary_leak", "system_prompt_leak", "secret_leak"} & set(reasons)
        )
        redacted = None
        masked = [s for s in spans if s.type in SECRET_TYPES] + leaked
        if masked:
            pieces, cursor = [], 0
            for span in sorted(masked, key=lambda s: s.start):
                pieces += [answer_text[cursor : span.start], f"[{span.type.lower()} removed]"]
                cursor = span.end
            redacted = "".join(pieces) + answer_text[cursor:]
        if reasons:
            _log.warning("output guard: %s", ",".join(reasons), extra={"guard_reasons": reasons})
        return OutputVerdict(
            reasons=tuple(reasons),
            replace_with_fallback=replace,
            unsupported_sentences=unsupported,
            grounding=None if grounding is None else round(grounding.supported_ratio, 4),
            redacted_text=redacted,
        )
