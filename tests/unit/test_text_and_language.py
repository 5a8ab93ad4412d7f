from __future__ import annotations

import pytest

from xin.rag.language import LangDetectDetector
from xin.rag.text import content_terms, normalise, split_sentences


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("How do I deploy Xin to Kubernetes with Helm?", "en"),
        ("Wie installiere ich Xin auf meinem Rechner und was brauche ich dafür?", "de"),
        ("چگونه شین را نصب کنم؟", "fa"),
        ("نصب", "fa"),
        ("كيف أقوم بتثبيت البرنامج على الخادم؟", "ar"),
        ("hi", "en"),
        ("Привет, как дела?", "ru"),
        ("12345 !!!", "und"),
    ],
)
def test_detects_language_including_short_text(text: str, language: str) -> None:
    assert LangDetectDetector().detect(text) == language


def test_detection_is_deterministic() -> None:
    detector = LangDetectDetector()
    text = "Xin ist eine Plattform für Chatbots, die Fragen mit Quellen beantwortet."
    assert len({detector.detect(text) for _ in range(5)}) == 1


def test_mixed_text_follows_the_dominant_script() -> None:
    assert LangDetectDetector().detect("شین را با make run روی لپ‌تاپ اجرا کنید") == "fa"


def test_persian_normalisation_folds_arabic_letters_digits_and_zwnj() -> None:
    assert normalise("مي‌كند ۱۲۳") == normalise("می کند 123") == "می کند 123"
    assert normalise("Kubernetes") == "kubernetes"


def test_content_terms_drop_stopwords_in_both_languages() -> None:
    assert content_terms("How do I deploy Xin to Kubernetes?") == ["deploy", "xin", "kubernetes"]
    assert content_terms("چگونه شین را نصب کنم؟") == ["شین", "نصب"]


def test_sentence_split_handles_persian_question_mark() -> None:
    assert split_sentences("اول این است؟ دوم آن است. Third one!\nfourth") == [
        "اول این است؟",
        "دوم آن است.",
        "Third one!",
        "fourth",
    ]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("会員登録にパスワードは必要ですか？", "ja"),  # more kanji than kana
        ("返品の期限は何日ですか", "ja"),
        ("東京都新宿区西新宿", "zh"),  # kanji only: nothing tells it from Chinese
        ("退货需要多长时间？", "zh"),
        ("我们的产品说明书", "zh"),
        ("반품 기한은 며칠인가요?", "ko"),
    ],
)
def test_japanese_with_more_kanji_than_kana_is_japanese(text: str, language: str) -> None:
    assert LangDetectDetector().detect(text) == language
