"""Language detection: langdetect, seeded for determinism, with a script-based fallback.

langdetect is unreliable on a few words and on mixed text, so short input is classified
by its writing system; Arabic-script text is told apart as Persian or Arabic by letters
only one of them uses.
"""

from __future__ import annotations

import threading
import unicodedata
from collections import Counter
from functools import lru_cache

_PERSIAN_ONLY = frozenset("پچژگکی")
_ARABIC_ONLY = frozenset("ةيكىأإؤ")
_SCRIPT_DEFAULTS = {
    "LATIN": "en",
    "CYRILLIC": "ru",
    "GREEK": "el",
    "HEBREW": "he",
    "CJK": "zh",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "HANGUL": "ko",
    "DEVANAGARI": "hi",
    "THAI": "th",
}
UNDETERMINED = "und"


def _script(char: str) -> str:
    try:
        name = unicodedata.name(char)
    except ValueError:
        return "OTHER"
    first = name.split(" ", 1)[0]
    return "ARABIC" if first in {"ARABIC", "PERSIAN"} else first


def _arabic_script_language(text: str) -> str:
    persian = sum(ch in _PERSIAN_ONLY for ch in text)
    arabic = sum(ch in _ARABIC_ONLY for ch in text)
    return "ar" if arabic > persian else "fa"


class LangDetectDetector:
    """Implements the ``LanguageDetector`` port. Thread-safe; loads profiles on first use."""

    def __init__(self, *, short_text_letters: int = 25, min_probability: float = 0.80) -> None:
        self._short = short_text_letters
        self._min_probability = min_probability
        self._lock = threading.Lock()
        self._ready = False

    def _ensure_loaded(self) -> None:
        if self._ready:
            return
        with self._lock:
            if not self._ready:
                from langdetect import DetectorFactory

                DetectorFactory.seed = 0
                self._ready = True

    def detect(self, text: str) -> str:
        letters = [ch for ch in text if ch.isalpha()]
        if not letters:
            return UNDETERMINED
        scripts = Counter(_script(ch) for ch in letters)
        script, _ = scripts.most_common(1)[0]
        if script == "ARABIC":
            return _arabic_script_language(text)
        fallback = _SCRIPT_DEFAULTS.get(script, UNDETERMINED)
        if len(letters) < self._short or script != "LATIN":
            return fallback
        return self._langdetect(text, fallback)

    def _langdetect(self, text: str, fallback: str) -> str:
        self._ensure_loaded()
        language, probability = _langdetect_cached(text[:_MAX_DETECT_CHARS])
        if language is None or probability < self._min_probability:
            return fallback
        return language


_MAX_DETECT_CHARS = 2000


@lru_cache(maxsize=8192)
def _langdetect_cached(text: str) -> tuple[str | None, float]:
    """langdetect is deterministic once seeded, so its verdicts can be memoised."""
    from langdetect import detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    try:
        best = detect_langs(text)[0]
    except LangDetectException:
        return None, 0.0
    return str(best.lang), float(best.prob)
