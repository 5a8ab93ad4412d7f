"""Turn one text into per-reason scores: the pipeline shared by the input and chunk guards.

1. structural signals on the raw text (delimiters, data-carrying links, hidden text);
2. fold the text, find concepts, apply the co-occurrence rules; a forged delimiter
   that carries any lexical signal is raised to a near-block score;
3. transformed views (leetspeak, spaced letters, reversed, rot13), decoded payloads
   (base64, hex, …) and hidden HTML (comments, CSS-hidden elements) go through step 2
   again; anything found only there also raises ``encoded_payload`` (``hidden_text``).

Long texts are scored in overlapping windows (``segments``), so the cost is linear.

``combine`` merges reason scores: the strongest counts fully, the others at half weight,
so many weak hints in a long document do not add up to a block on their own.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from xin.guard.decoders import decode_runs
from xin.guard.learned import load_scorer
from xin.guard.lexicon import find_concepts
from xin.guard.normalize import fold, views
from xin.guard.rules import evaluate
from xin.guard.structure import hidden_fragments, structural_signals
from xin.guard.verdict import ENCODED_PAYLOAD, FAKE_DELIMITER, HIDDEN_TEXT, LEARNED

# A hidden view must carry a real signal before it counts as an encoded payload.
HIDDEN_VIEW_MIN = 0.45
ENCODED_FLOOR = 0.85
DELIMITER_PAYLOAD_MIN = 0.3
SEGMENT = 1500
SEGMENT_OVERLAP = 300


def _merge(into: dict[str, float], new: Mapping[str, float]) -> None:
    for reason, score in new.items():
        if score > into.get(reason, 0.0):
            into[reason] = score


def segments(text: str, size: int = SEGMENT, overlap: int = SEGMENT_OVERLAP) -> list[str]:
    """Overlapping windows of a long text, cut at whitespace; a short text is one window."""
    if len(text) <= size:
        return [text]
    out, start = [], 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind(" ", start + size // 2, end)
            end = cut if cut > 0 else end
        out.append(text[start:end])
        if end >= len(text):
            break
        start = max(end - overlap, start + 1)
    return out


def _rules(folded: str, *, chunk: bool) -> dict[str, float]:
    """Co-occurrence rules per window: the cost stays linear in the text length, and
    hits far apart in a long document never pair up."""
    scores: dict[str, float] = {}
    for part in segments(folded):
        _merge(scores, evaluate(part, find_concepts(part), chunk=chunk))
    return scores


def analyse(text: str, *, chunk: bool = False, learned: bool = True) -> dict[str, float]:
    """Reason code → score in [0, 1] for ``text`` (see the module docstring).

    The learned scorer (``learned.py``) only scores user input: it was trained on messages,
    and documents are out of its distribution. ``learned=False`` leaves it out (its
    training script calibrates it against the rules alone)."""
    raw = unicodedata.normalize("NFKC", text)
    scores: dict[str, float] = {}
    for reason, input_score, chunk_score in structural_signals(raw):
        _merge(scores, {reason: chunk_score if chunk else input_score})
    folded = fold(raw)
    lexical = _rules(folded, chunk=chunk)
    _merge(scores, lexical)
    if FAKE_DELIMITER in scores and max(lexical.values(), default=0.0) >= DELIMITER_PAYLOAD_MIN:
        # A forged turn or boundary that carries an instruction is an injection, not a log.
        _merge(scores, {FAKE_DELIMITER: 0.6 if chunk else 0.8})

    hidden: list[tuple[str, str]] = [(f"view:{n}", v) for n, v in views(folded)]
    hidden.extend((f"decoded:{n}", fold(v)) for n, v in decode_runs(raw))
    hidden.extend(("comment", fold(c)) for c in hidden_fragments(raw))
    for kind, view in hidden:
        found = _rules(view, chunk=chunk)
        best = max(found.values(), default=0.0)
        if best < HIDDEN_VIEW_MIN:
            continue
        _merge(scores, found)
        marker = HIDDEN_TEXT if kind == "comment" else ENCODED_PAYLOAD
        _merge(scores, {marker: max(ENCODED_FLOOR, best)})
    scorer = load_scorer() if learned and not chunk else None
    if scorer is not None:
        _merge(scores, {LEARNED: scorer.signal(folded)})
    return scores


def combine(scores: Mapping[str, float]) -> float:
    """One risk score: the top reason fully, every other at half weight (noisy-OR)."""
    ordered = sorted(scores.values(), reverse=True)
    if not ordered:
        return 0.0
    remaining = 1.0 - ordered[0]
    for score in ordered[1:]:
        remaining *= 1.0 - score / 2.0
    return round(1.0 - remaining, 4)
