"""Language detection: langdetect, seeded for determinism, with a script-based fallback.

langdetect is unreliable on a few words and on mixed text, so short input is classified
by its writing system; Arabic-script text is told apart as Persian or Arabic by letters
only one of them uses.

langdetect's own loader turns its 55 profiles into one word → probabilities table up front
(~0.3–0.45 s, most of a cold start's first detection). :func:`language_profiles` parses the
same profiles but fills that table one n-gram at a time, when a text first uses it: the
same numbers, hence the same verdicts, for a fraction of the start-up cost (ADR 0019).
"""

from __future__ import annotations

import json
import threading
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from langdetect.detector_factory import DetectorFactory

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


_KANA = ("HIRAGANA", "KATAKANA", "KATAKANA-HIRAGANA")


def _is_japanese(scripts: Counter[str], letters: int) -> bool:
    """Kanji outnumber kana in many Japanese sentences, but Chinese never writes kana: a text
    mostly in Han characters with a real share of kana is Japanese."""
    kana = sum(scripts[name] for name in _KANA)
    return kana >= 2 and kana >= 0.1 * letters


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
                language_profiles()
                self._ready = True

    def detect(self, text: str) -> str:
        letters = [ch for ch in text if ch.isalpha()]
        if not letters:
            return UNDETERMINED
        scripts = Counter(_script(ch) for ch in letters)
        script, _ = scripts.most_common(1)[0]
        if script == "ARABIC":
            return _arabic_script_language(text)
        if script == "CJK" and _is_japanese(scripts, len(letters)):
            return "ja"
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
    from langdetect.lang_detect_exception import LangDetectException

    detector = language_profiles().create()  # what langdetect.detect_langs does
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return None, 0.0
    return str(best.lang), float(best.prob)


class _WordProbabilities(dict[str, list[float]]):
    """langdetect's ``word_lang_prob_map`` (n-gram → probability per language), each row
    computed on first lookup exactly as ``DetectorFactory.add_profile`` computes it."""

    def __init__(self, profiles: list[tuple[dict[str, int], list[int]]]) -> None:
        super().__init__()
        self._profiles = profiles
        self._absent: set[str] = set()

    def __contains__(self, word: object) -> bool:
        if dict.__contains__(self, word):
            return True
        if not isinstance(word, str) or word in self._absent:
            return False
        if not any(word in freq for freq, _ in self._profiles):
            self._absent.add(word)
            return False
        self[word] = self._row(word)
        return True

    def __missing__(self, word: str) -> list[float]:
        if word not in self:  # computes and stores the row when some profile has the word
            raise KeyError(word)
        return self[word]

    def _row(self, word: str) -> list[float]:
        length = len(word)
        if not 1 <= length <= 3:  # a key with no probability, as langdetect leaves it
            return [0.0] * len(self._profiles)
        return [
            1.0 * freq[word] / n_words[length - 1] if word in freq else 0.0
            for freq, n_words in self._profiles
        ]


_factory_lock = threading.Lock()
_factory: list[DetectorFactory] = []


def language_profiles() -> DetectorFactory:
    """The seeded langdetect factory over all its bundled profiles (lazy table, see above)."""
    if _factory:
        return _factory[0]
    with _factory_lock:
        if not _factory:
            _factory.append(_load_factory())
    return _factory[0]


def _load_factory() -> DetectorFactory:
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    DetectorFactory.seed = 0  # Detector copies the seed: deterministic verdicts
    names: list[str] = []
    profiles: list[tuple[dict[str, int], list[int]]] = []
    for path in Path(PROFILES_DIRECTORY).iterdir():  # os.listdir order, as load_profile
        if path.name.startswith(".") or not path.is_file():
            continue
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        names.append(str(data["name"]))
        profiles.append((dict(data["freq"]), list(data["n_words"])))
    factory = DetectorFactory()
    factory.langlist = names
    factory.word_lang_prob_map = _WordProbabilities(profiles)
    return factory
