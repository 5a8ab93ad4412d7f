"""The PII detection cache: same spans with and without it (over the PII eval sets and
generated mixtures), no mixing of detector sets, phone regions or tenant policies, and the
bounds hold."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xin.redaction.cache import (
    DetectionKey,
    SpanCache,
    Spans,
    detection_key,
    set_shared_cache,
    shared_cache,
)
from xin.redaction.detect import detect_pii
from xin.redaction.spans import ALL_TYPES, PERSONAL_TYPES, SECRET_TYPES, PiiSpan, PiiType

EVALS = Path(__file__).resolve().parents[2] / "evals" / "pii"
MADRID = "The package for María José Fernández is at Calle de Alcalá 42, 28014 Madrid"
BARE_PHONE = "You can reach me at 3344910654 or johnsonmark@gmail.com."


def _texts() -> list[str]:
    rows: list[dict[str, Any]] = []
    for name in ("dev_set.jsonl", "heldout.jsonl"):
        lines = (EVALS / name).read_text(encoding="utf-8").splitlines()
        rows += [json.loads(line) for line in lines if line]
    return [str(r["text"]) for r in rows]


TEXTS = _texts()
TYPE_SETS: dict[str, frozenset[PiiType] | None] = {
    "all": None,
    "personal": PERSONAL_TYPES,
    "secrets": SECRET_TYPES,
    "email_phone": frozenset({"EMAIL", "PHONE"}),
    "no_address": ALL_TYPES - {"ADDRESS"},
    "no_person": ALL_TYPES - {"PERSON"},
}


@pytest.fixture
def cache() -> Iterator[SpanCache]:
    """A fresh shared cache that keeps every result at once (``admit_after=1``): what the
    tests below read back is always a stored result."""
    fresh = SpanCache(admit_after=1)
    previous = set_shared_cache(fresh)
    yield fresh
    set_shared_cache(previous)


@pytest.mark.parametrize("name", sorted(TYPE_SETS))
def test_cached_spans_equal_uncached_over_the_eval_sets(name: str) -> None:
    types = TYPE_SETS[name]
    cache = SpanCache()
    previous = set_shared_cache(cache)
    try:
        for text in TEXTS:
            expected = detect_pii(text, types, cached=False)
            assert detect_pii(text, types) == expected, text  # computed, key remembered
            assert detect_pii(text, types) == expected, text  # computed again and stored
            assert detect_pii(text, types) == expected, text  # served from the cache
    finally:
        set_shared_cache(previous)
    stats = cache.stats()
    assert stats.hits >= len(TEXTS)  # the second call of every text was a hit
    assert stats.entries == len(set(TEXTS))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    parts=st.lists(st.sampled_from(TEXTS), min_size=1, max_size=4),
    separator=st.sampled_from([" ", "\n", " [1] ", "، "]),
    types=st.none() | st.frozensets(st.sampled_from(sorted(ALL_TYPES)), min_size=1),
    regions=st.sampled_from([("IR", "US"), ("US",), ("GB", "DE"), ("IR",)]),
)
def test_any_mixture_types_and_regions_cached_equals_uncached(
    cache: SpanCache,
    parts: list[str],
    separator: str,
    types: frozenset[PiiType] | None,
    regions: tuple[str, ...],
) -> None:
    text = separator.join(parts)
    expected = detect_pii(text, types, phone_regions=regions, cached=False)
    assert detect_pii(text, types, phone_regions=regions) == expected  # stored at once
    assert detect_pii(text, types, phone_regions=regions) == expected  # from the cache


def _triples(spans: list[PiiSpan]) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.type) for s in spans]


def test_a_narrower_detector_set_never_reuses_the_full_sets_result(cache: SpanCache) -> None:
    # With ADDRESS on, the street is an address; with it off, "Calle de Alcalá" reads as a
    # name. Whichever runs first, the other must not see its spans.
    without_address = ALL_TYPES - {"ADDRESS"}
    full_first = (_triples(detect_pii(MADRID)), _triples(detect_pii(MADRID, without_address)))
    cache.clear()
    narrow = _triples(detect_pii(MADRID, without_address))
    full = _triples(detect_pii(MADRID))
    assert full_first == (full, narrow)
    assert any(t == "ADDRESS" for *_, t in full) and not any(t == "ADDRESS" for *_, t in narrow)
    assert (43, 58, "PERSON") in narrow and (43, 58, "PERSON") not in full


def test_phone_regions_are_part_of_the_key(cache: SpanCache) -> None:
    iranian = detect_pii(BARE_PHONE, {"PHONE"}, phone_regions=("IR",))
    american = detect_pii(BARE_PHONE, {"PHONE"}, phone_regions=("US",))
    assert [s.key for s in iranian] == ["+983344910654"]
    assert [s.key for s in american] == ["+13344910654"]
    assert detect_pii(BARE_PHONE, {"PHONE"}, phone_regions=("IR",)) == iranian


def test_type_subsets_of_one_detector_set_share_one_entry(cache: SpanCache) -> None:
    # Any ``types`` with PERSON and ADDRESS runs every detector: one entry serves them all.
    text = "Write to jane.roe@mail.example or call +98 912 123 4567, key AKIAIOSFODNN7EXAMPLE."
    everything = detect_pii(text)
    personal = detect_pii(text, PERSONAL_TYPES)
    phone = detect_pii(text, {"PHONE", "PERSON", "ADDRESS"})
    assert {s.type for s in everything} == {"EMAIL", "PHONE", "AWS_ACCESS_KEY"}
    assert personal == [s for s in everything if s.type in PERSONAL_TYPES]
    assert [s.type for s in phone] == ["PHONE"]
    assert (cache.stats().entries, cache.stats().hits) == (1, 2)
    # Secrets alone skip the name and address detectors: a different result, its own entry.
    assert detect_pii(text, SECRET_TYPES) == [s for s in everything if s.type in SECRET_TYPES]
    assert (cache.stats().entries, cache.stats().misses) == (2, 2)


def test_returned_lists_are_copies(cache: SpanCache) -> None:
    first = detect_pii(BARE_PHONE)
    first.clear()
    assert len(detect_pii(BARE_PHONE)) == 2


def _key(i: int) -> DetectionKey:
    return detection_key(f"text {i}", ALL_TYPES, ("IR",))


def test_entry_bound_evicts_the_least_recently_used() -> None:
    cache = SpanCache(max_entries=3, max_spans=100, admit_after=1)
    span = (PiiSpan(0, 1, "EMAIL", "x"),)
    computed: list[int] = []

    def lookup(i: int) -> None:
        def compute() -> Spans:
            computed.append(i)
            return span

        cache.get_or_compute(_key(i), compute)

    for i in (0, 1, 2, 0, 3):  # the hit on 0 makes 1 the least recently used
        lookup(i)
    assert computed == [0, 1, 2, 3]
    lookup(0)
    lookup(1)  # evicted by 3 (FIFO would have evicted 0); now it evicts 2
    assert computed == [0, 1, 2, 3, 1]
    for i in range(4, 10):
        lookup(i)
    stats = cache.stats()
    assert (stats.entries, stats.spans, stats.evictions) == (3, 3, 8)


def test_span_bound_holds_and_oversized_results_are_not_kept() -> None:
    cache = SpanCache(max_entries=100, max_spans=5, admit_after=1)
    two = (PiiSpan(0, 1, "EMAIL", "a"), PiiSpan(2, 3, "EMAIL", "b"))
    for i in range(6):
        cache.get_or_compute(_key(i), lambda: two)
        assert cache.stats().spans <= 5
    assert cache.stats().entries == 2
    six = tuple(PiiSpan(i, i + 1, "IP", str(i)) for i in range(6))
    assert cache.get_or_compute(_key(99), lambda: six) == six
    assert cache.stats().entries == 2  # too big to keep, and nothing evicted for it


def test_a_text_is_kept_only_when_scanned_again() -> None:
    cache = SpanCache(max_entries=2)
    span = (PiiSpan(0, 1, "EMAIL", "x"),)
    for i in (1, 2, 3):  # seen once each: digests remembered (at most 2), no spans kept
        cache.get_or_compute(_key(i), lambda: span)
    assert (cache.stats().entries, cache.stats().spans) == (0, 0)
    cache.get_or_compute(_key(1), lambda: span)  # forgotten in between: seen "once" again
    assert cache.stats().entries == 0
    cache.get_or_compute(_key(3), lambda: span)  # second sighting: stored
    assert (cache.stats().entries, cache.stats().spans) == (1, 1)
    cache.get_or_compute(_key(3), lambda: ())
    assert cache.stats().hits == 1


def test_zero_entries_turns_caching_off() -> None:
    previous = set_shared_cache(SpanCache(max_entries=0))
    try:
        assert detect_pii(BARE_PHONE) == detect_pii(BARE_PHONE)
        stats = shared_cache().stats()
        assert (stats.entries, stats.hits, stats.misses) == (0, 0, 2)
    finally:
        set_shared_cache(previous)


def test_the_shared_cache_stays_within_its_bound_over_many_texts() -> None:
    previous = set_shared_cache(SpanCache(max_entries=50, max_spans=60))
    try:
        for text in TEXTS:
            detect_pii(text)
            detect_pii(text)  # the second scan stores it
        stats = shared_cache().stats()
        assert stats.entries <= 50 and stats.spans <= 60
        assert stats.evictions >= len(set(TEXTS)) - 50
    finally:
        set_shared_cache(previous)


def test_the_cache_holds_no_text(cache: SpanCache) -> None:
    for text in TEXTS[:50]:
        detect_pii(text)
    held = repr(cache._entries) + repr(cache._seen)  # digests, lengths, spans
    assert cache.stats().entries == len(set(TEXTS[:50]))
    assert not [t for t in TEXTS[:50] if t in held]


def test_concurrent_use_keeps_the_counts_consistent() -> None:
    cache = SpanCache(max_entries=20, max_spans=30)
    results: list[bool] = []

    def work(offset: int) -> None:
        ok = True
        for i in range(300):
            text = TEXTS[(offset + i) % 60]
            ok &= detect_pii(text) == detect_pii(text, cached=False)
        results.append(ok)

    previous = set_shared_cache(cache)
    try:
        threads = [threading.Thread(target=work, args=(n * 7,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        set_shared_cache(previous)
    stats = cache.stats()
    assert results == [True] * 4
    assert stats.entries <= 20 and stats.spans <= 30
    assert stats.spans == sum(len(v) for v in cache._entries.values())
    assert stats.hits + stats.misses == 4 * 300
