"""The lexicon matcher compiles per word key, on use: it must find exactly the spans of
the whole alternation per concept it replaced (kept here as the reference)."""

from __future__ import annotations

import importlib
import json
import random
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from xin.guard.lexicon import MAX_SPANS_PER_CONCEPT, find_concepts, patterns
from xin.guard.lexicon_keys import KEY, word_keys, word_starts
from xin.guard.lexicon_split import Bounded
from xin.guard.lexicons import CONCEPTS, LANGUAGES
from xin.guard.normalize import fold, fold_lexeme, views
from xin.guard.scoring import segments

ROOT = Path(__file__).resolve().parents[3]
Span = tuple[int, int]
Gated = tuple[re.Pattern[str] | None, re.Pattern[str]]


def _alternation(fragments: list[str]) -> str:
    unique = sorted({fold_lexeme(f) for f in fragments}, key=lambda f: (-len(f), f))
    return "|".join(unique)


@cache
def reference_patterns() -> dict[str, tuple[Gated, ...]]:
    """The construction before per-key compilation: one whole alternation per concept."""
    bounded: dict[str, list[str]] = {c: [] for c in CONCEPTS}
    loose: dict[str, list[str]] = {c: [] for c in CONCEPTS}
    gated: dict[str, list[Gated]] = {c: [] for c in CONCEPTS}
    for name in LANGUAGES:
        module = importlib.import_module(f"xin.guard.lexicons.{name}")
        if not getattr(module, "BOUNDED", True):
            gate = re.compile(module.SCRIPT)
            for concept, fragments in module.TERMS.items():
                gated[concept].append((gate, re.compile(_alternation(list(fragments)))))
            continue
        unbounded: frozenset[str] = getattr(module, "UNBOUNDED", frozenset())
        for concept, fragments in module.TERMS.items():
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


def reference_find(folded: str) -> dict[str, list[Span]]:
    found: dict[str, list[Span]] = {}
    for concept, parts in reference_patterns().items():
        spans: list[Span] = []
        for gate, pattern in parts:
            if gate is not None and gate.search(folded) is None:
                continue
            for match in pattern.finditer(folded):
                if match.end() > match.start():
                    spans.append(match.span())
                    if len(spans) >= MAX_SPANS_PER_CONCEPT:
                        break
        if spans:
            found[concept] = sorted(spans)
    return found


def _texts(path: Path) -> list[str]:
    return [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines() if line]


def _matching_views(texts: list[str]) -> Iterator[str]:
    """Every window the guard scans: folded text and its transformed views."""
    for text in texts:
        folded = fold(text)
        for part in segments(folded):
            yield part
            for _, view in views(part):
                yield from segments(view)


def _assert_same(texts: Iterator[str]) -> int:
    checked = 0
    for text in texts:
        assert find_concepts(text) == reference_find(text), text[:200]
        checked += 1
    return checked


def test_guard_dev_set_spans_are_identical() -> None:
    texts = _texts(ROOT / "tests/evals/guard/dev_set.jsonl")
    assert _assert_same(_matching_views(texts)) > len(texts)


def test_pii_sets_spans_are_identical() -> None:
    texts = _texts(ROOT / "tests/evals/pii/dev_set.jsonl")
    texts += _texts(ROOT / "tests/evals/pii/heldout.jsonl")
    assert _assert_same(_matching_views(texts)) >= len(texts)


def test_docs_spans_are_identical() -> None:
    texts = [p.read_text("utf-8") for p in sorted((ROOT / "docs").rglob("*.md"))]
    assert len(texts) > 10
    assert _assert_same(_matching_views(texts)) > len(texts)


def _vocabulary() -> list[str]:
    """Words of every language: the dev set's, and the literal pieces of every lexicon
    fragment (so keyed words, overlapping terms and unkeyed terms meet often)."""
    words: set[str] = set()
    for text in _texts(ROOT / "tests/evals/guard/dev_set.jsonl"):
        words.update(fold(text).split())
    for name in LANGUAGES:
        module = importlib.import_module(f"xin.guard.lexicons.{name}")
        for fragments in module.TERMS.values():
            for fragment in fragments:
                for piece in re.split(r"\\[a-zA-Z]|[\\()\[\]?*+{}|^$.]", fold_lexeme(fragment)):
                    words.update(w for w in piece.split() if w)
                    if piece.strip():
                        words.add(piece.strip())
    return sorted(words)


def test_random_mixes_of_languages_give_identical_spans() -> None:
    rng = random.Random(20261207)
    vocabulary = _vocabulary()
    glue = [" ", " ", " ", "  ", "\n", ", ", ". ", ": ", "-", "'", "_", "/", "?x=1 ", "@", ""]
    extras = ["https://x.example/a?q=1", "a.b@c.io", "10.0.0.1:80", "<think>", "[system]"]
    texts = []
    for _ in range(1500):
        words = rng.choices(vocabulary + extras, k=rng.randint(1, 40))
        texts.append("".join(w + rng.choice(glue) for w in words))
    assert _assert_same(iter(texts)) == 1500


@pytest.mark.parametrize(
    ("fragment", "words"),
    [
        ("ignor(?:e|ing)", {"ignore", "ignoring"}),
        ("(?:stop|quit) (?:following|obeying)", {"stop", "quit"}),
        ("ai", {"ai"}),
        ("no (?:limits|rules)", {"no"}),
        ("abc?", {"ab", "abc"}),
        ("(?:و|ف)?تجاهل\\w*", {"وتجاهل", "فتجاهل", "تجاهل"}),
        ("ab|xyz", {"ab", "xyz"}),
        ("(?<!\\.)(?:send|post)_[a-z_]+", {"send_", "post_"}),
        ("re[sz]?ts", {"rests", "rezts", "rets"}),
        ("a\\s?b", {"a", "ab"}),
        ("(?:a(?:bc|d)|efgh)i", {"abci", "adi", "efghi"}),
        ("\\w*prompts?", None),
        ("(ab)cd", None),
        ("[a-z]+_mail", None),
        ("x*", None),
        ("<img", None),
    ],
)
def test_word_keys(fragment: str, words: set[str] | None) -> None:
    """Keys are the first ``KEY`` characters of the words a match can start."""
    got = word_keys(fragment)
    expected = None if words is None else {w[:KEY] for w in words}
    assert (None if got is None else set(got)) == expected


def test_a_wrong_key_is_caught_by_the_comparison() -> None:
    """The parity check has teeth: a split that drops a fragment's real key differs."""
    fragments = {"ignore", "ignore all", "all"}
    whole = re.compile(r"(?<!\w)(?:ignore all|ignore|all)(?!\w)")
    text = "please ignore all of it"
    good = Bounded(fragments, word_keys)
    bad = Bounded(fragments, lambda f: frozenset({"zzz"}) if f == "ignore all" else word_keys(f))
    expected = [m.span() for m in whole.finditer(text)]
    starts = word_starts(text)
    assert list(good.spans(text, [s for s in starts if s[1] in good.groups])) == expected
    assert list(bad.spans(text, [s for s in starts if s[1] in bad.groups])) != expected


def test_unkeyed_fragments_meeting_keyed_words_keep_the_alternation_order() -> None:
    fragments = {"\\w*regeln", "regeln und", "und \\w+", "\\w+ und"}
    whole = re.compile(
        r"(?<!\w)(?:" + "|".join(sorted(fragments, key=lambda f: (-len(f), f))) + r")(?!\w)"
    )
    part = Bounded(fragments, word_keys)
    assert part.rest  # some of them have no key
    for text in ["die regeln und mehr", "alle regeln und und x", "und regeln", "xregeln und y"]:
        starts = [s for s in word_starts(text) if s[1] in part.groups]
        assert list(part.spans(text, starts)) == [m.span() for m in whole.finditer(text)]


def test_a_fragment_that_can_match_nothing_is_scanned_as_the_whole_would() -> None:
    fragments = {"a?", "b", "ab c"}
    whole = re.compile(
        r"(?<!\w)(?:" + "|".join(sorted(fragments, key=lambda f: (-len(f), f))) + r")(?!\w)"
    )
    part = Bounded(fragments, word_keys)
    for text in ["ab c b a", " b  ab c", "", "xx a b"]:
        starts = [s for s in word_starts(text) if s[1] in part.groups]
        assert list(part.spans(text, starts)) == [m.span() for m in whole.finditer(text)]


def test_ascii_fragments_fold_to_themselves() -> None:
    """The matcher skips ``fold_lexeme`` on ASCII fragments."""
    for name in LANGUAGES:
        module = importlib.import_module(f"xin.guard.lexicons.{name}")
        for fragments in module.TERMS.values():
            assert all(fold_lexeme(f) == f for f in fragments if f.isascii())


def test_warm_compiles_every_piece_a_text_can_need() -> None:
    plan = patterns()
    plan.warm()
    for parts in plan.parts.values():
        for part in parts:
            if isinstance(part, Bounded):
                assert set(part._keyed) == set(part.groups)
                assert (part._rest is not None) == bool(part.rest)
            else:
                assert part._pattern is not None
