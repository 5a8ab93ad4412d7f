"""Co-occurrence rules: concepts found near each other → a scored signal family.

A rule names the concepts that must all appear within ``window`` characters (in any
order: German, Turkish and Persian put the verb last). An element of ``needs`` may be a
tuple meaning "any one of these". Each rule has two scores: one for messages from users
(``input``) and one for retrieved documents (``chunk``), where words like "instructions"
are ordinary but an imperative addressed to an AI is not.

Damping keeps talk *about* attacks and the user's own instructions from scoring high:
a hit inside quotes (unless the sentence asks to repeat it: ``echo``), or in a sentence
that also talks about prompt injection, attacks or detection (``meta``), is multiplied
by ``META_DAMPING``; an override aimed at "my previous instructions" by ``OWN_DAMPING``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

Span = tuple[int, int]
Need = str | tuple[str, ...]

META_DAMPING = 0.45
OWN_DAMPING = 0.35

_ATTACK = ("override", "unrestricted", "secret", "comply", "new_rules", "nullify", "control_ai")
_INDIRECT_ACTS = (
    "deontic",
    "inject",
    "override",
    "reveal",
    "send",
    "tool",
    "destroy",
    "secrecy",
    "comply",
    "memory",
)


@dataclass(frozen=True, slots=True)
class Rule:
    reason: str
    needs: tuple[Need, ...]
    window: int
    input: float
    chunk: float
    own_damped: bool = False


def _r(reason: str, needs: tuple[Need, ...], window: int, inp: float, chunk: float) -> Rule:
    return Rule(reason, needs, window, inp, chunk)


def _own(reason: str, needs: tuple[Need, ...], window: int, inp: float, chunk: float) -> Rule:
    return Rule(reason, needs, window, inp, chunk, own_damped=True)


IO, RJ, PE, EX, EP, II = (
    "instruction_override",
    "roleplay_jailbreak",
    "prompt_extraction",
    "exfiltration",
    "encoded_payload",
    "indirect_instruction",
)

RULES: tuple[Rule, ...] = (
    _own(IO, ("override", "control_ai"), 90, 0.9, 0.85),
    _own(IO, ("override", "control", "prior"), 90, 0.88, 0.7),
    _own(IO, ("override", "control"), 50, 0.45, 0.35),
    _own(IO, ("override", "everything"), 60, 0.85, 0.75),
    _r(
        IO, ("new_rules", ("future", "comply", "override", "secret", "unrestricted")), 120, 0.8, 0.7
    ),
    _r(IO, ("new_rules",), 0, 0.3, 0.25),
    _r(IO, ("control_ai", "nullify"), 60, 0.8, 0.7),
    _r(IO, ("control", "nullify"), 40, 0.35, 0.3),
    _r(IO, ("future", "comply"), 120, 0.8, 0.65),
    _r(IO, ("future", "override"), 120, 0.75, 0.6),
    _r(IO, ("comply",), 0, 0.4, 0.3),
    _r(IO, ("comply", ("nullify", "new_rules", "override")), 120, 0.8, 0.65),
    _r(IO, ("permission", _ATTACK), 150, 0.8, 0.7),
    _r(IO, ("authority", (*_ATTACK, "permission", "unrestricted")), 150, 0.85, 0.75),
    _r(IO, ("authority",), 0, 0.35, 0.25),
    _r(RJ, ("unrestricted",), 0, 0.6, 0.45),
    _r(RJ, ("unrestricted", ("persona", "future", "jailbreak", "mode", "comply")), 150, 0.92, 0.85),
    _r(RJ, ("jailbreak",), 0, 0.6, 0.5),
    _r(RJ, ("jailbreak", ("persona", "mode", "comply", "future")), 150, 0.92, 0.85),
    _r(RJ, ("mode", ("persona", "override", "comply", "future", "unrestricted")), 120, 0.85, 0.75),
    _r(RJ, ("persona", "nullify"), 120, 0.8, 0.6),
    _r(RJ, ("persona", "credential"), 150, 0.8, 0.6),
    _r(RJ, ("persona", "comply"), 120, 0.75, 0.6),
    _r(RJ, ("echo", ("unrestricted", "jailbreak", "mode")), 150, 0.8, 0.6),
    _r(RJ, ("self_reason", ("unrestricted", "override", "nullify", "comply")), 200, 0.85, 0.75),
    _r(PE, ("reveal", "secret"), 80, 0.9, 0.8),
    _r(PE, ("secret", "verbatim"), 80, 0.85, 0.75),
    _r(PE, ("reveal", "everything"), 60, 0.75, 0.6),
    _r(PE, ("secret",), 0, 0.45, 0.3),
    _r(PE, (("reveal", "send"), "credential"), 80, 0.8, 0.7),
    _r(PE, ("echo", "secret"), 100, 0.85, 0.7),
    _r(PE, (("send", "inject"), "secret"), 100, 0.85, 0.8),
    _r(EX, ("send", "sensitive", "external"), 150, 0.92, 0.9),
    _r(EX, ("send", "sensitive"), 80, 0.5, 0.45),
    _r(EX, ("send", "external"), 80, 0.4, 0.45),
    _r(EX, ("sensitive", "external"), 80, 0.35, 0.35),
    _r(EX, ("reveal", "sensitive"), 60, 0.35, 0.3),
    _r(EX, ("permission", ("reveal", "send"), "sensitive"), 150, 0.8, 0.7),
    _r(EX, ("tool", ("external", "sensitive", "destroy")), 150, 0.85, 0.85),
    _r(EX, ("tool",), 0, 0.45, 0.4),
    _r(EX, ("tool", ("deontic", "authority", "future", "secrecy", "ai_address")), 150, 0.75, 0.8),
    _r(EX, ("destroy", ("tool", "ai", "ai_address", "deontic", "future")), 150, 0.75, 0.75),
    _r(EX, ("url_param", ("sensitive", "inject", "send")), 150, 0.85, 0.85),
    _r(EX, ("secrecy", ("send", "tool", "sensitive", "inject", "override")), 200, 0.85, 0.85),
    _r(EX, ("inject", "sensitive", "output_ref"), 120, 0.8, 0.8),
    _r(EP, ("decode", "encoding", "execute"), 200, 0.88, 0.8),
    _r(EP, ("encoding", "execute"), 100, 0.6, 0.5),
    _r(II, ("ai_address", _INDIRECT_ACTS), 200, 0.85, 0.9),
    _r(II, ("ai_address",), 0, 0.35, 0.45),
    _r(II, ("override", "user_ref"), 60, 0.75, 0.85),
    _r(
        II,
        ("ai", "deontic", ("inject", "override", "send", "tool", "destroy", "secrecy", "memory")),
        200,
        0.75,
        0.7,
    ),
    _r(II, ("inject", "output_ref"), 60, 0.3, 0.55),
    _r(
        II,
        ("inject", "output_ref", ("future", "memory", "deontic", "authority", "ai")),
        200,
        0.8,
        0.85,
    ),
    _r(II, ("memory", ("future", "inject", "deontic", "output_ref")), 150, 0.75, 0.8),
    _r(II, ("authority", ("inject", "deontic", "tool", "send")), 200, 0.8, 0.8),
)


@cache
def _sentence_re() -> re.Pattern[str]:
    return re.compile(r"[^.!?\n]+[.!?\n]*")


@cache
def _quote_re() -> re.Pattern[str]:
    return re.compile(r"\"[^\"\n]{1,300}\"|`[^`]{1,300}`|(?<!\w)'[^'\n]{3,200}'(?!\w)")


def _candidates(need: Need, found: Mapping[str, Sequence[Span]]) -> list[Span]:
    if isinstance(need, str):
        return list(found.get(need, ()))
    return [span for concept in need for span in found.get(concept, ())]


def _nearest(anchor: Span, spans: Sequence[Span], used: list[Span]) -> Span | None:
    """The span of ``spans`` (sorted) closest to ``anchor`` and not already ``used``."""
    index = bisect.bisect_left(spans, anchor)
    best: Span | None = None
    best_gap = 0
    for candidate in spans[max(0, index - 2) : index + 2]:
        if candidate in used:
            continue  # one word cannot satisfy two needs
        gap = max(candidate[0] - anchor[1], anchor[0] - candidate[1], 0)
        if best is None or gap < best_gap:
            best, best_gap = candidate, gap
    return best


def _best_window(rule: Rule, found: Mapping[str, Sequence[Span]]) -> Span | None:
    """A tight span covering one hit of every need, if within the rule's window.

    Each hit of the first need anchors a binary search for the nearest hit of every
    other need: n log n in the number of hits instead of the product of all hits.
    """
    lists = [sorted(_candidates(need, found)) for need in rule.needs]
    if any(not spans for spans in lists):
        return None
    if len(lists) == 1:
        return lists[0][0]
    best: Span | None = None
    for anchor in lists[0]:
        combo = [anchor]
        for spans in lists[1:]:
            nearest = _nearest(anchor, spans, combo)
            if nearest is None:
                break
            combo.append(nearest)
        if len(combo) < len(lists):
            continue
        start = min(s for s, _ in combo)
        end = max(e for _, e in combo)
        if end - start - sum(e - s for s, e in combo) > rule.window:
            continue
        if best is None or end - start < best[1] - best[0]:
            best = (start, end)
    return best


def _inside_any(span: Span, regions: Sequence[Span]) -> bool:
    return any(s <= span[0] and span[1] <= e for s, e in regions)


def _overlaps_any(span: Span, spans: Sequence[Span]) -> bool:
    return any(s < span[1] and span[0] < e for s, e in spans)


def evaluate(text: str, found: Mapping[str, Sequence[Span]], *, chunk: bool) -> dict[str, float]:
    """Family reason → score (the best rule of each family, after damping)."""
    scores: dict[str, float] = {}
    if not found:
        return scores
    quotes = [m.span() for m in _quote_re().finditer(text)]
    sentences = [m.span() for m in _sentence_re().finditer(text)]
    meta = list(found.get("meta", ()))
    own = list(found.get("own", ()))
    echo = list(found.get("echo", ()))
    for rule in RULES:
        window = _best_window(rule, found)
        if window is None:
            continue
        score = rule.chunk if chunk else rule.input
        sentence = next(((s, e) for s, e in sentences if s <= window[0] < e), window)
        in_sentence = (sentence[0], max(sentence[1], window[1]))
        quoted = _inside_any(window, quotes) and not _overlaps_any(in_sentence, echo)
        if quoted or _overlaps_any(in_sentence, meta):
            score *= META_DAMPING
        if rule.own_damped and _overlaps_any((window[0], window[1] + 6), own):
            score *= OWN_DAMPING
        if score > scores.get(rule.reason, 0.0):
            scores[rule.reason] = score
    return scores
