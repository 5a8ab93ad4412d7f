"""xin.rag.language fills langdetect's probability table lazily: verdicts must not change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

from xin.rag.language import LangDetectDetector, language_profiles

TEXTS = [
    "How do I deploy Xin to Kubernetes with Helm and an external secret store?",
    "Wie installiere ich Xin auf meinem Rechner und was brauche ich dafür?",
    "Comment configurer le stockage des documents dans un compartiment S3 ?",
    "¿Cómo puedo limitar el número de peticiones por inquilino en la API?",
    "Come posso aggiornare l'indice dopo aver modificato i documenti?",
    "Kubernetes kümesine Helm ile nasıl kurulum yapabilirim, yardımcı olur musunuz?",
    "Hoe kan ik de vectoropslag vervangen door OpenSearch Serverless?",
    "Jak mogę wdrożyć aplikację na AWS Lambda z warstwą współdzieloną?",
    "Привет, как развернуть Xin в кластере Kubernetes с помощью Helm?",
    "چگونه شین را روی کوبرنتیز نصب کنم و کلیدهای API را بسازم؟",
    "كيف أقوم بتثبيت البرنامج على الخادم باستخدام حاوية؟",
    "如何使用 Helm 在 Kubernetes 上部署 Xin？",
    "Kubernetes に Xin をデプロイするにはどうすればよいですか？",
    "ok ok ok 12345 Xin",
    "https://example.com/docs?x=1 info@example.com",
]


@pytest.fixture(scope="module")
def seeded() -> None:
    DetectorFactory.seed = 0


def _verdict(probabilities: Callable[[], list[Any]]) -> list[tuple[str, float]] | str:
    try:
        return [(r.lang, r.prob) for r in probabilities()]
    except LangDetectException as exc:  # e.g. no letters left once URLs are removed
        return str(exc)


def _ours(text: str) -> list[Any]:
    detector = language_profiles().create()
    detector.append(text)
    result: list[Any] = detector.get_probabilities()
    return result


@pytest.mark.parametrize("text", TEXTS)
def test_same_languages_and_probabilities_as_langdetect(seeded: None, text: str) -> None:
    theirs = _verdict(lambda: detect_langs(text))  # langdetect's own eager loader
    assert _verdict(lambda: _ours(text)) == theirs


def test_all_bundled_profiles_are_known() -> None:
    factory = language_profiles()
    assert len(factory.get_lang_list()) == 55
    assert {"en", "de", "fa", "ar", "zh-cn"} <= set(factory.get_lang_list())


def test_unknown_ngrams_are_absent_and_known_ones_have_a_row() -> None:
    table = language_profiles().word_lang_prob_map
    assert "\u2603\u2603" not in table
    with pytest.raises(KeyError):
        table["\u2603\u2603"]
    assert "th" in table
    row = table["th"]
    assert len(row) == 55 and max(row) > 0


def test_detector_uses_the_lazy_profiles_for_long_latin_text() -> None:
    text = "Xin beantwortet Fragen zu Ihren Dokumenten und nennt dabei immer die Quellen."
    assert LangDetectDetector().detect(text) == "de"
