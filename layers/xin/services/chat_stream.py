"""Streaming a generated answer through the output guard and PII masking, piece by piece.

``ChatService.ask(..., on_delta=...)`` uses this for generators that can stream (Bedrock's
ConverseStream, any generator with a ``stream`` method). Every piece handed to ``emit`` has
passed the output guard's leak checks with look-ahead (``xin.guard.output_stream``) and the
session's PII masking; on a leak the generator is stopped and nothing more is emitted. The
caller then runs the usual whole-answer checks, which replace a leaking answer, so the final
reply (and the stored transcript) are exactly what a non-streamed turn would give.
Generators that cannot stream are answered whole, checked, and then sent in pieces by the
HTTP layer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from xin.domain import Answer, SearchHit, Turn
from xin.guard.output_stream import StreamGuard

if TYPE_CHECKING:
    from xin.services.safety import SafetyService, SessionRedactor


@runtime_checkable
class StreamingGenerator(Protocol):
    """A ``Generator`` that can also yield its answer's text as it is written."""

    def stream(
        self, question: str, hits: Sequence[SearchHit], language: str, history: Sequence[Turn]
    ) -> Iterator[str]: ...


def stream_checked(
    generator: StreamingGenerator,
    question: str,
    hits: Sequence[SearchHit],
    language: str,
    history: Sequence[Turn],
    *,
    safety: SafetyService,
    tenant: str,
    redactor: SessionRedactor,
    emit: Callable[[str], None],
) -> Answer:
    """Stream the generator's answer to ``emit`` through the leak checks and masking; return
    the raw ``Answer`` (markers mapped to ``hits``) for the caller's whole-answer checks."""
    from xin.adapters.grounded_prompt import to_answer

    def leaks(text: str) -> bool:
        probe = Answer(text, (), language, grounded=False)
        return safety.check_output(probe, hits, tenant=tenant, language=language) is not probe

    guard = StreamGuard(leaks)
    mask = _masker(safety, hits, redactor, tenant)
    deltas = generator.stream(question, hits, language, history)
    try:
        for delta in deltas:
            piece = guard.feed(delta)
            if piece:
                emit(mask(piece))
            if guard.leaked:
                break  # stop paying for (and reading) a leaking answer
    finally:
        close = getattr(deltas, "close", None)
        if callable(close):
            close()
    rest = guard.finish()
    if rest:
        emit(mask(rest))
    return to_answer(guard.text, hits, language)


def _masker(
    safety: SafetyService, hits: Sequence[SearchHit], redactor: SessionRedactor, tenant: str
) -> Callable[[str], str]:
    """Mask a streamed piece as the final reply will be: PII with the session's placeholders
    (values the retrieved passages contain may stay, per tenant), secrets always."""
    from xin.redaction.detect import detect_pii

    settings = safety.redaction_for(tenant)
    if not settings.applies_to("responses"):
        # Responses are not redacted for this tenant: keep every personal value, so that
        # ``mask`` only removes secrets (it always does).
        return lambda text: redactor.mask(text, _all_personal(text, redactor))
    keep: set[tuple[str, str]] = set()
    if settings.keep_cited_pii_in_responses:
        for hit in hits:
            keep.update(
                (s.type, s.key) for s in detect_pii(hit.chunk.text, redactor.policy.enabled)
            )
    return lambda text: redactor.mask(text, keep)


def _all_personal(text: str, redactor: SessionRedactor) -> set[tuple[str, str]]:
    """Every non-secret PII value in ``text`` (kept when responses are not redacted)."""
    from xin.redaction.detect import detect_pii

    return {(s.type, s.key) for s in detect_pii(text, redactor.policy.enabled)}
