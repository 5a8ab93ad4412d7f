"""Fixed messages (I don't know, refusals, fallbacks) exist in every language Xin refuses in,
and the cheap language guess tells Japanese and Korean from Chinese."""

from __future__ import annotations

import pytest

from xin.guard.refusals import FALLBACK_INTROS, NO_SOURCES, REFUSALS, guess_language
from xin.rag import messages


def test_every_refusal_language_has_every_fixed_message() -> None:
    languages = set(REFUSALS)
    assert {"en", "fa", "ar", "zh", "ja", "ko"} <= languages
    assert set(FALLBACK_INTROS) == languages
    assert set(NO_SOURCES) == languages
    for language in languages:
        assert messages.dont_know(language) != messages.dont_know("en") or language == "en"
        note = messages.other_language_note(language)
        assert note != messages.other_language_note("en") or language == "en"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("返品にはどのくらい時間がかかりますか？", "ja"),
        ("返品の手続きを教えてください", "ja"),
        ("반품하는 데 얼마나 걸리나요?", "ko"),
        ("退货需要多长时间？", "zh"),
        ("Как вернуть товар?", "ru"),
    ],
)
def test_guess_tells_cjk_languages_apart(text: str, language: str) -> None:
    assert guess_language(text) == language


def test_unknown_language_falls_back_to_english() -> None:
    assert messages.dont_know("xx") == messages.dont_know("en")


def test_the_generator_prompt_names_every_language_with_a_fixed_message() -> None:
    from xin.adapters.grounded_prompt import _LANGUAGES

    assert set(REFUSALS) <= set(_LANGUAGES)
