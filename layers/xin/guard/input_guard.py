"""The input guard: score a user message, apply the tenant policy, log without the text."""

from __future__ import annotations

import hashlib
import logging
from typing import TYPE_CHECKING

from xin.guard.policy import GuardPolicy
from xin.guard.refusals import guess_language
from xin.guard.scoring import analyse, combine
from xin.guard.semantic import load_semantic
from xin.guard.verdict import LEARNED, OVERSIZED, GuardVerdict

if TYPE_CHECKING:
    import numpy.typing as npt

    from xin.ports import Embedder

_log = logging.getLogger("xin.guard")


def text_fingerprint(text: str) -> str:
    """A short SHA-256 fingerprint: correlates log lines without storing the text."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def verdict_from_scores(
    text: str, signals: dict[str, float], policy: GuardPolicy, *, oversized: bool = False
) -> GuardVerdict:
    signals = {r: s for r, s in signals.items() if r not in policy.ignore_reasons and s > 0.0}
    if oversized:
        signals[OVERSIZED] = max(signals.get(OVERSIZED, 0.0), policy.flag_threshold)
    score = combine(signals)
    ranked = sorted(signals.items(), key=lambda item: (-item[1], item[0]))
    return GuardVerdict(
        action=policy.decide(score, signals, length=len(text.strip())),
        score=score,
        reasons=tuple(reason for reason, _ in ranked),
        signals=tuple((reason, round(value, 4)) for reason, value in ranked),
        language=guess_language(text),
    )


def log_verdict(kind: str, text: str, verdict: GuardVerdict) -> None:
    """Log reasons, score, length and a fingerprint; never the text itself."""
    level = logging.DEBUG if verdict.action == "allow" else logging.WARNING
    if not _log.isEnabledFor(level):
        return
    _log.log(
        level,
        "%s guard: %s (score %.3f)",
        kind,
        verdict.action,
        verdict.score,
        extra={
            "guard_action": verdict.action,
            "guard_score": verdict.score,
            "guard_reasons": list(verdict.reasons),
            "text_length": len(text),
            "text_sha256": text_fingerprint(text),
            "text_language": verdict.language,
        },
    )


class InputGuard:
    """Checks user messages for injections and jailbreaks, for any LLM backend.

    ``InputGuard().check(text)`` returns a ``GuardVerdict``; pass a tenant ``GuardPolicy``
    to change thresholds. Stateless and thread-safe; regexes compile on first use.

    ``embedder``: the (cached) query embedder retrieval already uses. When its
    ``model_id`` is the one the semantic weights were trained for (``semantic.py``), the
    guard embeds the message through it and adds the semantic signal; retrieval of the
    same text is then a cache hit. Any other embedder is ignored, as is ``None``.
    """

    def __init__(self, policy: GuardPolicy | None = None, embedder: Embedder | None = None) -> None:
        self._policy = policy or GuardPolicy()
        self._embedder = embedder

    def warm_up(self) -> None:
        """Compile every lexicon now (e.g. during a Lambda init phase), not on the first
        message: about 0.1 s once per process."""
        analyse("warm up", chunk=False)

    def semantic_enabled(self) -> bool:
        """True when the embedder given matches the shipped semantic weights."""
        scorer = load_semantic()
        return (
            scorer is not None
            and self._embedder is not None
            and self._embedder.model_id == scorer.model_id
        )

    def check(
        self,
        text: str,
        policy: GuardPolicy | None = None,
        *,
        embedding: npt.ArrayLike | None = None,
        semantic: bool = True,
    ) -> GuardVerdict:
        """Score ``text``. ``embedding``: its query vector from the model the semantic
        weights were trained for, if the caller already has it (else the embedder given
        to the constructor computes it, when it matches). ``semantic=False``: rules and
        n-grams only, no embedding computed (a re-check of text joined with an earlier turn)."""
        policy = policy or self._policy
        oversized = len(text) > policy.max_chars
        signals = analyse(text[: policy.max_chars], chunk=False)
        scorer = load_semantic()
        if not semantic:
            embedding = None
        elif embedding is None and self._embedder is not None and self.semantic_enabled():
            embedding = self._embedder.embed_query(text[: policy.max_chars])
        if scorer is not None and embedding is not None:
            opinion = scorer.signal(embedding)
            signals[LEARNED] = max(signals.get(LEARNED, 0.0), opinion)
        verdict = verdict_from_scores(text, signals, policy, oversized=oversized)
        log_verdict("input", text, verdict)
        return verdict
