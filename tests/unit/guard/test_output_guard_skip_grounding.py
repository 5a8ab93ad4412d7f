"""The output guard skips its costliest check, grounding, when the caller will not act on
it (``require_grounding=False``: the local extractive answerer, passage leak checks), and
still runs every leak check."""

from __future__ import annotations

from xin.guard.output_guard import OutputGuard, canary_line, make_canary

CITES = ["Refunds are processed within 14 business days after the returned item arrives."]
UNGROUNDED = "Our founder climbed Everest twice in winter. Write to moon@cheese.example."


def _guard() -> OutputGuard:
    canary = make_canary()
    return OutputGuard("You answer refund questions.\n" + canary_line(canary), canary)


def test_grounding_is_checked_when_required() -> None:
    verdict = _guard().check(UNGROUNDED, CITES)
    assert "ungrounded" in verdict.reasons and verdict.replace_with_fallback
    assert verdict.grounding is not None and verdict.grounding < 1.0


def test_grounding_is_skipped_but_leaks_are_still_caught() -> None:
    verdict = _guard().check(UNGROUNDED, CITES, require_grounding=False)
    assert verdict.grounding is None and "ungrounded" not in verdict.reasons
    assert verdict.reasons == ("pii_leak",) and not verdict.replace_with_fallback
    assert verdict.redacted_text is not None and "moon@cheese.example" not in verdict.redacted_text
    key = "AKIAIOSFODNN7EXAMPLE"
    leaked = _guard().check(f"Use the key {key}.", CITES, require_grounding=False)
    assert "secret_leak" in leaked.reasons and leaked.replace_with_fallback
