"""Match the language lexicons: one alternation per concept, compiled piece by piece on use.

Languages written with word boundaries share one alternation per concept,
``(?<!\\w)(?:f1|f2|…)(?!\\w)``, its fragments longest first. Compiling that over every
language costs far more than a message needs (``re`` parses in Python), so it is never
built whole: its fragments are grouped by the first characters of the word a match must
start (``lexicon_keys``), and a text only compiles the groups keyed by its own words
(plus the few fragments without a key). ``lexicon_split`` finds exactly the matches the
whole alternation would find. Languages without word boundaries (``BOUNDED = False``:
Chinese, Japanese, Korean) keep their own pattern, tried only on text in their script.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator, Mapping
from functools import cache
from types import ModuleType

from xin.guard.lexicon_keys import word_keys, word_starts
from xin.guard.lexicon_split import Bounded
from xin.guard.lexicons import CONCEPTS, LANGUAGES
from xin.guard.normalize import fold_lexeme

Span = tuple[int, int]
MAX_SPANS_PER_CONCEPT = 16


class Lazy:
    """An alternation compiled on first use; with a ``gate`` (a script's character class),
    tried only on text in that script."""

    __slots__ = ("_gate", "_pattern", "gate", "source")

    def __init__(self, source: str, gate: str | None = None) -> None:
        self.source = source
        self.gate = gate
        self._pattern: re.Pattern[str] | None = None
        self._gate: re.Pattern[str] | None = None

    @property
    def pattern(self) -> re.Pattern[str]:
        if self._pattern is None:
            self._pattern = re.compile(self.source)
        return self._pattern

    def open_for(self, folded: str, seen: dict[str, bool]) -> bool:
        if self.gate is None:
            return True
        if self.gate not in seen:
            if self._gate is None:
                self._gate = re.compile(self.gate)
            seen[self.gate] = self._gate.search(folded) is not None
        return seen[self.gate]


class Plan:
    """Every concept's parts, in matching order, and the concepts keyed by each word key."""

    __slots__ = ("by_key", "parts")

    def __init__(
        self, parts: Mapping[str, tuple[Bounded | Lazy, ...]], by_key: Mapping[str, tuple[str, ...]]
    ) -> None:
        self.parts = parts
        self.by_key = by_key

    def warm(self) -> None:
        """Compile every piece (SnapStart: the snapshot then holds them all)."""
        for parts in self.parts.values():
            for part in parts:
                if isinstance(part, Bounded):
                    part.warm()
                else:
                    _ = part.pattern


def _load(name: str) -> ModuleType:
    return importlib.import_module(f"xin.guard.lexicons.{name}")


def _fold(fragment: str) -> str:
    # ASCII folds to itself (the tests check it), so only the rest pays for Unicode tables.
    return fragment if fragment.isascii() else fold_lexeme(fragment)


def _alternation(fragments: list[str]) -> str:
    # Longest first, so an alternation prefers "system prompt" over "system".
    unique = sorted({_fold(f) for f in fragments}, key=lambda f: (-len(f), f))
    return "|".join(unique)


Fragments = dict[str, list[str]]


def _read() -> tuple[Fragments, Fragments, dict[str, list[Lazy]]]:
    """Every language's fragments per concept: bounded, unbounded, and script-gated."""
    bounded: Fragments = {c: [] for c in CONCEPTS}
    loose: Fragments = {c: [] for c in CONCEPTS}
    gated: dict[str, list[Lazy]] = {c: [] for c in CONCEPTS}
    for name in LANGUAGES:
        module = _load(name)
        terms: dict[str, tuple[str, ...]] = module.TERMS
        unknown = set(terms) - set(CONCEPTS)
        if unknown:
            raise ValueError(f"lexicon {name!r} uses unknown concepts {sorted(unknown)}")
        if not getattr(module, "BOUNDED", True):
            for concept, fragments in terms.items():
                gated[concept].append(Lazy(_alternation(list(fragments)), module.SCRIPT))
            continue
        unbounded: frozenset[str] = getattr(module, "UNBOUNDED", frozenset())
        for concept, fragments in terms.items():
            (loose if concept in unbounded else bounded)[concept].extend(fragments)
    return bounded, loose, gated


@cache
def patterns() -> Plan:
    """The lexicons, read and keyed once per process; their regexes compile on use."""
    bounded, loose, gated = _read()
    parts: dict[str, tuple[Bounded | Lazy, ...]] = {}
    by_key: dict[str, list[str]] = {}
    for concept in CONCEPTS:
        found: list[Bounded | Lazy] = []
        if bounded[concept]:
            part = Bounded({_fold(f) for f in bounded[concept]}, word_keys)
            found.append(part)
            for key in part.groups:
                by_key.setdefault(key, []).append(concept)
        if loose[concept]:
            found.append(Lazy(_alternation(loose[concept])))
        found.extend(gated[concept])
        if found:
            parts[concept] = tuple(found)
    return Plan(parts, {k: tuple(v) for k, v in by_key.items()})


def find_concepts(folded: str) -> dict[str, list[Span]]:
    """Spans of every concept present in ``folded`` (at most a few per concept)."""
    plan = patterns()
    starts: dict[str, list[tuple[int, str]]] = {}
    for position, key in word_starts(folded):
        for concept in plan.by_key.get(key, ()):
            starts.setdefault(concept, []).append((position, key))
    found: dict[str, list[Span]] = {}
    seen: dict[str, bool] = {}
    for concept, parts in plan.parts.items():
        spans: list[Span] = []
        for part in parts:
            for span in _spans(part, folded, starts.get(concept, []), seen):
                if span[1] > span[0]:
                    spans.append(span)
                    if len(spans) >= MAX_SPANS_PER_CONCEPT:
                        break
        if spans:
            found[concept] = sorted(spans)
    return found


def _spans(
    part: Bounded | Lazy, folded: str, starts: list[tuple[int, str]], seen: dict[str, bool]
) -> Iterator[Span]:
    if isinstance(part, Bounded):
        return part.spans(folded, starts)
    if not part.open_for(folded, seen):
        return iter(())
    return (m.span() for m in part.pattern.finditer(folded))
