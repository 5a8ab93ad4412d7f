"""The Latin address patterns are skipped for texts without a digit or without whitespace:
every pattern needs both, so skipping them must never lose an address."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from xin.redaction import addresses
from xin.redaction.addresses import _latin_addresses, find_addresses

PII_SETS = Path(__file__).resolve().parents[2] / "evals" / "pii"


def _texts() -> list[str]:
    texts = []
    for name in ("dev_set.jsonl", "heldout.jsonl"):
        with (PII_SETS / name).open(encoding="utf-8") as lines:
            texts += [json.loads(line)["text"] for line in lines if line.strip()]
    return texts


TEXTS = _texts()


def _without(pattern: str, text: str) -> str:
    return re.sub(pattern, "", text)


def test_the_sets_hold_latin_addresses() -> None:
    # The property below is only meaningful if the patterns find something in these texts.
    assert sum(1 for t in TEXTS if list(_latin_addresses(t))) >= 20


@pytest.mark.parametrize("removed", [r"\d", r"\s"])
def test_no_latin_address_without_a_digit_or_whitespace(removed: str) -> None:
    rng = random.Random(7)
    variants = [_without(removed, t) for t in TEXTS]
    # Also texts where the removed class is replaced by punctuation, keeping lengths.
    variants += ["".join(rng.choice("-_/.,") if re.fullmatch(removed, c) else c for c in t)
                 for t in TEXTS]  # fmt: skip
    assert variants
    for text in variants:
        assert list(_latin_addresses(text)) == [], text


def test_gated_search_finds_what_the_ungated_search_finds() -> None:
    for text in TEXTS:
        ungated = list(_latin_addresses(text))
        if re.search("[\u0600-\u06ff]", text):
            ungated += list(addresses._arabic_script_addresses(text))
        assert list(find_addresses(text)) == ungated


def test_a_log_field_without_whitespace_does_not_compile_the_patterns() -> None:
    addresses._latin_patterns.cache_clear()
    list(find_addresses("d4c816f063c2454cadbbf72a0d113717"))
    list(find_addresses("/ingest/tenants/acme/handbook-2026.md"))
    assert addresses._latin_patterns.cache_info().currsize == 0
    assert list(find_addresses("Ship it to 1600 Pennsylvania Avenue NW, Washington, DC 20500"))
    assert addresses._latin_patterns.cache_info().currsize == 1
