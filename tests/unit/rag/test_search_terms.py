"""Persian search terms: spellings and spoken forms of one word meet in the keyword index."""

from __future__ import annotations

import pytest

from xin.rag.text import persian_stem, query_terms, search_terms


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("می‌کنم", "میکنم"),  # ZWNJ or none
        ("می کنید", "میکنید"),  # a space
        ("می‌کند", "میکنه"),  # spoken third person
        ("می‌شود", "میشه"),  # spoken drops the final vav of the stem
        ("راه‌اندازی کنم", "راه بندازم"),  # spoken drops the alef after ب
        ("فایل‌ها", "فايلهاي"),  # Arabic yeh, no ZWNJ, plural
    ],
)
def test_spellings_of_one_word_share_search_terms(written: str, spoken: str) -> None:
    assert set(query_terms(spoken)) <= set(search_terms(written)), (written, spoken)


def test_words_that_only_start_like_a_verb_prefix_are_kept_whole() -> None:
    # "میزبانی" (hosting) must not collapse into "زبان" (language); "میز" is a desk.
    assert persian_stem("میزبان") == "میزبان"
    assert persian_stem("میز") == "میز"
    assert search_terms("میزبانی زبان‌ها") != search_terms("زبان زبان")


def test_spoken_question_words_are_stop_words() -> None:
    assert query_terms("چطوری فایل رو آپلود کنم؟") == ["فایل", "اپلود"]


def test_english_terms_are_left_to_the_index_stemmer() -> None:
    assert search_terms("Deploying Xin on Kubernetes") == ["deploying", "xin", "on", "kubernetes"]
    assert query_terms("How do I deploy it?") == ["deploy"]
