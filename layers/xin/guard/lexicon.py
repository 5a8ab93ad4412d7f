"""Compile the language lexicons into one regex per concept, lazily, once per process."""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping
from functools import cache
from types import ModuleType

from xin.guard.lexicons import CONCEPTS, LANGUAGES
from xin.guard.normalize import fold_lexeme

Span = tuple[int, int]
MAX_SPANS_PER_CONCEPT = 16


def _load(name: str) -> ModuleType:
    return importlib.import_module(f"xin.guard.lexicons.{name}")


def _alternation(fragments: list[str]) -> str:
    # Longest first, so an alternation prefers "system prompt" over "system".
    unique = sorted({fold_lexeme(f) for f in fragments}, key=lambda f: (-len(f), f))
    return "|".join(unique)


Gated = tuple[re.Pattern[str] | None, re.Pattern[str]]


@cache
def patterns() -> Mapping[str, tuple[Gated, ...]]:
    """Concept name → (script gate, pattern) pairs over folded text.

    Languages written with word boundaries are merged into one pattern per concept.
    Languages without them (``BOUNDED = False``: Chinese, Japanese, Korean) get their own
    pattern, tried only when the text contains their script (``SCRIPT``): an unanchored
    alternation is tried at every position, which would dominate the cost on Latin text.
    """
    bounded: dict[str, list[str]] = {c: [] for c in CONCEPTS}
    loose: dict[str, list[str]] = {c: [] for c in CONCEPTS}
    gated: dict[str, list[Gated]] = {c: [] for c in CONCEPTS}
    for name in LANGUAGES:
        module = _load(name)
        terms: dict[str, tuple[str, ...]] = module.TERMS
        unknown = set(terms) - set(CONCEPTS)
        if unknown:
            raise ValueError(f"lexicon {name!r} uses unknown concepts {sorted(unknown)}")
        if not getattr(module, "BOUNDED", True):
            gate = re.compile(module.SCRIPT)
            for concept, fragments in terms.items():
                gated[concept].append((gate, re.compile(_alternation(list(fragments)))))
            continue
        unbounded: frozenset[str] = getattr(module, "UNBOUNDED", frozenset())
        for concept, fragments in terms.items():
            (loose if concept in unbounded else bounded)[concept].extend(fragments)
    compiled: dict[str, tuple[Gated, ...]] = {}
    for concept in CONCEPTS:
        parts: list[Gated] = []
        if bounded[concept]:
            regex = r"(?<!\w)(?:" + _alternation(bounded[concept]) + r")(?!\w)"
            parts.append((None, re.compile(regex)))
        if loose[concept]:
            parts.append((None, re.compile(_alternation(loose[concept]))))
        parts.extend(gated[concept])
        if parts:
            compiled[concept] = tuple(parts)
    return compiled


def find_concepts(folded: str) -> dict[str, list[Span]]:
    """Spans of every concept present in ``folded`` (at most a few per concept)."""
    found: dict[str, list[Span]] = {}
    gates: dict[re.Pattern[str], bool] = {}
    for concept, parts in patterns().items():
        spans: list[Span] = []
        for gate, pattern in parts:
            if gate is not None:
                if gate not in gates:
                    gates[gate] = gate.search(folded) is not None
                if not gates[gate]:
                    continue
            for match in pattern.finditer(folded):
                if match.end() > match.start():
                    spans.append(match.span())
                    if len(spans) >= MAX_SPANS_PER_CONCEPT:
                        break
        if spans:
            found[concept] = sorted(spans)
    return found
