"""Safety in the chat path: input guard, output guard, and PII redaction of what leaves Xin.

``ChatService`` calls one ``SafetyService`` (see docs/adr/0012-safety-in-the-chat-path.md):

1. ``check_input`` before retrieval: a blocked message gets a polite refusal in the user's
   language (no retrieval, no generator call, no citations), is counted in metrics and
   logged by reasons, score, length and fingerprint only; a flagged one proceeds, logged and
   counted. The previous user turn is checked together with the message, so an attack split
   across two turns is seen whole.
2. ``check_output`` after generation: a canary or system-prompt leak, a secret, or (for LLM
   answers) sentences its citations do not support replace the answer; a leak never falls
   back to quoting passages that carry the leaked text.
3. ``for_session`` gives a ``SessionRedactor``: the same value gets the same placeholder
   within a conversation, across processes (the mapping travels in the stored turns' meta
   as keyed hashes, never as values). It masks responses (PII the cited documents contain
   may be kept, per tenant) and transcripts.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from xin.config.safety import GuardSettings, RedactionSettings
from xin.config.security import TenantSettings, tenant_overrides
from xin.domain import Answer, Citation, SearchHit, Turn
from xin.guard.input_guard import InputGuard
from xin.guard.output_guard import OutputGuard, grounded_fallback
from xin.guard.policy import GuardPolicy
from xin.guard.refusals import NO_SOURCES, normalise_language, refusal_message
from xin.guard.verdict import LEARNED, GuardVerdict
from xin.observability.counters import record_guard_block, record_metric
from xin.observability.logging import get_logger
from xin.ports import Embedder
from xin.redaction.detect import detect_pii
from xin.redaction.policy import RedactionPolicy
from xin.redaction.redactor import Redactor
from xin.redaction.spans import SECRET_TYPES, PiiSpan, PiiType

GUARD_FLAGS = "GuardFlags"
PII_MAP_KEY = "pii_map"  # turn meta: {"EMAIL:<hmac>": "<EMAIL_1>", ...}
BLOCKED_PLACEHOLDER = "[message withheld: blocked by the input guard]"
_MARKERS = re.compile(r"\[\d{1,3}(?:\s*,\s*\d{1,3})*\]")
_LEAKS = frozenset({"canary_leak", "system_prompt_leak", "secret_leak"})


class SessionRedactor(Redactor):
    """A ``Redactor`` whose mapping is keyed by HMACs and can be saved with the turns."""

    def __init__(self, policy: RedactionPolicy, key: bytes, known: Mapping[str, str]) -> None:
        super().__init__(policy)
        self._key = key
        self._known = dict(known)

    def placeholder_for(self, pii_type: PiiType, key: str) -> str:
        digest = hmac.new(self._key, f"{pii_type}|{key}".encode(), hashlib.sha256).hexdigest()
        name = f"{pii_type}:{digest[:20]}"
        with self._lock:
            found = self._known.get(name)
            if found is None:
                n = 1 + sum(k.startswith(f"{pii_type}:") for k in self._known)
                found = self.policy.placeholder.format(type=pii_type, n=n)
                self._known[name] = found
            return found

    def mask(self, text: str, keep: Iterable[tuple[str, str]] = ()) -> str:
        """``text`` with every enabled PII span masked except the ``(type, key)`` in ``keep``.
        Credentials (``SECRET_TYPES``: cloud keys, tokens, JWTs, private keys) are always
        masked, kept or not and whether or not the tenant's ``types`` list names them: a
        pasted key must never reach a transcript or an answer."""
        kept = set(keep)
        types = self.policy.enabled | SECRET_TYPES
        spans = detect_pii(text, types, phone_regions=self.policy.phone_regions)
        return _splice(
            text, [s for s in spans if s.type in SECRET_TYPES or _id(s) not in kept], self
        )

    @property
    def saved(self) -> dict[str, str]:
        with self._lock:
            return dict(self._known)


@dataclass(frozen=True, slots=True)
class InputCheck:
    verdict: GuardVerdict | None
    refusal: Answer | None = None

    @property
    def blocked(self) -> bool:
        return self.refusal is not None


class SafetyService:
    def __init__(
        self,
        guard: GuardSettings,
        redaction: RedactionSettings,
        tenants: Mapping[str, TenantSettings],
        *,
        canary: str,
        system_prompt: str = "",
        check_grounding: bool = False,
        embedder: Embedder | None = None,
    ) -> None:
        self._guard = guard
        self._redaction = redaction
        self._tenants = tenants
        self._canary = canary
        self._key = hashlib.sha256(f"xin-redaction|{canary}".encode()).digest()
        self._check_grounding = check_grounding
        self._input = InputGuard(guard.policy(), embedder=embedder if guard.semantic else None)
        self._output = OutputGuard(system_prompt, canary)
        # Every tenant's policy is built now: a bad override fails at start-up, not mid-chat.
        self._policies: dict[str, GuardPolicy] = {
            name: guard.policy(t.guard) for name, t in tenants.items()
        }

    @property
    def canary(self) -> str:
        return self._canary

    def warm_up(self) -> None:
        self._input.warm_up()

    # -- input -----------------------------------------------------------------------------
    def check_input(
        self, message: str, *, tenant: str, language: str, history: Sequence[Turn] = ()
    ) -> InputCheck:
        overrides = tenant_overrides(self._tenants, tenant)
        if not self._guard.enabled_for(overrides.guard):
            return InputCheck(None)
        policy = self._policies.get(tenant) or self._guard.policy()
        verdict = self._input.check(message, policy)
        previous = next((t.text for t in reversed(history) if t.role == "user"), "")
        if not verdict.blocked and previous and previous != BLOCKED_PLACEHOLDER:
            # Payload split across turns; the joined text is never retrieved, so its
            # embedding would be a second model call on the hot path: rules + n-grams only.
            joined = self._input.check(f"{previous}\n{message}", policy, semantic=False)
            if joined.blocked:
                verdict = joined
        category = _category(verdict.reasons)
        if verdict.flagged:
            record_metric(GUARD_FLAGS, 1, "Count", {"category": category})
        if not verdict.blocked:
            return InputCheck(verdict)
        record_guard_block(category)
        get_logger().warning(
            "chat message blocked by the input guard",
            extra={
                "tenant": tenant,
                "guard_reasons": list(verdict.reasons),
                "guard_score": verdict.score,
                "text_length": len(message),
                "text_sha256": hashlib.sha256(message.encode("utf-8", "replace")).hexdigest()[:16],
            },
        )
        lang = language if language not in ("", "und") else verdict.language
        refusal = Answer(refusal_message(lang), (), normalise_language(lang), grounded=False)
        return InputCheck(verdict, refusal)

    # -- output ----------------------------------------------------------------------------
    def check_output(
        self, answer: Answer, hits: Sequence[SearchHit], *, tenant: str, language: str
    ) -> Answer:
        """The answer the user may see: unchanged, or a fallback (see the module docstring)."""
        overrides = tenant_overrides(self._tenants, tenant)
        if not (self._guard.enabled_for(overrides.guard) and self._guard.output_check):
            return answer
        cited = _cited_texts(answer.citations, hits)
        # Citation markers are not claims: "[2]" must not count as a number the sources lack.
        verdict = self._output.check(
            _MARKERS.sub("", answer.text),
            cited,
            require_grounding=self._check_grounding and answer.grounded,
        )
        if not verdict.replace_with_fallback:
            return answer
        record_guard_block(f"output_{verdict.reasons[0]}")
        lang = normalise_language(language)
        if _LEAKS & set(verdict.reasons):
            clean = [c for c in cited if not self._leaks_in(c)]
            if not clean:
                return Answer(NO_SOURCES[lang], (), lang, grounded=False)
            cited = clean
        if not cited:
            return Answer(NO_SOURCES[lang], (), lang, grounded=False)
        text = grounded_fallback(cited, lang)
        return Answer(text, answer.citations, lang, grounded=True)

    def _leaks_in(self, passage: str) -> bool:
        reasons = self._output.check(passage, [], require_grounding=False).reasons
        return bool(_LEAKS & set(reasons))

    # -- redaction -------------------------------------------------------------------------
    def redaction_for(self, tenant: str) -> RedactionSettings:
        return self._redaction.for_tenant(tenant_overrides(self._tenants, tenant).redaction)

    def for_session(self, tenant: str, session: str, history: Sequence[Turn]) -> SessionRedactor:
        known: dict[str, str] = {}
        for turn in history:
            saved = turn.meta.get(PII_MAP_KEY)
            if isinstance(saved, dict):
                known.update({str(k): str(v) for k, v in saved.items()})
        settings = self.redaction_for(tenant)
        policy = RedactionPolicy(enabled=frozenset(settings.types))
        key = hmac.new(self._key, f"{tenant}|{session}".encode(), hashlib.sha256).digest()
        return SessionRedactor(policy, key, known)

    def redact_response(
        self, answer: Answer, hits: Sequence[SearchHit], redactor: SessionRedactor, *, tenant: str
    ) -> Answer:
        settings = self.redaction_for(tenant)
        if not settings.applies_to("responses"):
            return _without_secrets(answer, redactor)
        keep: set[tuple[str, str]] = set()
        if settings.keep_cited_pii_in_responses:
            policy = redactor.policy
            for text in _cited_texts(answer.citations, hits):
                # Same detectors as the output guard's scan of these passages: a cache hit.
                spans = detect_pii(text, policy.enabled, phone_regions=policy.phone_regions)
                keep.update(_id(s) for s in spans)
        citations = tuple(
            replace(c, snippet=redactor.mask(c.snippet, keep)) for c in answer.citations
        )
        return replace(answer, text=redactor.mask(answer.text, keep), citations=citations)

    def transcript_text(self, text: str, redactor: SessionRedactor, *, tenant: str) -> str:
        if not self.redaction_for(tenant).applies_to("transcripts"):
            return text
        return redactor.mask(text)


def _id(span: PiiSpan) -> tuple[str, str]:
    return (span.type, span.key)


def _splice(text: str, spans: Sequence[PiiSpan], redactor: Redactor) -> str:
    if not spans:
        return text
    pieces, cursor = [], 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.start < cursor:
            continue
        pieces += [text[cursor : span.start], redactor.placeholder_for(span.type, span.key)]
        cursor = span.end
    return "".join(pieces) + text[cursor:]


def _without_secrets(answer: Answer, redactor: SessionRedactor) -> Answer:
    def scrub(text: str) -> str:
        return _splice(text, detect_pii(text, SECRET_TYPES), redactor)

    citations = tuple(replace(c, snippet=scrub(c.snippet)) for c in answer.citations)
    return replace(answer, text=scrub(answer.text), citations=citations)


def _cited_texts(citations: Sequence[Citation], hits: Sequence[SearchHit]) -> list[str]:
    by_id = {h.chunk.chunk_id: h.chunk.text for h in hits}
    return [by_id.get(c.chunk_id, c.snippet) for c in citations]


def _category(reasons: Sequence[str]) -> str:
    """The metric category of a verdict: the strongest named attack family; the learned
    scorers' reason only when no rule fired (it says *that*, not *what*)."""
    named = [r for r in reasons if r != LEARNED]
    return named[0] if named else (reasons[0] if reasons else "other")
