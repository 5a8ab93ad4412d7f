"""Text normalisation, tokenisation and sentence splitting shared by indexing and answering.

Search normalisation folds what users type differently into one form: case, Arabic vs
Persian letters (ي/ك → ی/ک), diacritics, ZWNJ, and Persian/Arabic-Indic digits.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

_ARABIC_TO_PERSIAN = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ك": "ک",
        "ة": "ه",
        "ۀ": "ه",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ئ": "ی",
        "\u200c": " ",  # ZWNJ: "می‌کند" and "می کند" and "میکند" should meet
        "\u200f": "",
        "\u200e": "",
        "ـ": "",  # tatweel
    }
)
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_WORD = re.compile(r"\w+", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?؟۔])[\"'»)\]]*\s+|\n+")

ENGLISH_STOPWORDS = frozenset(
    """a about above after again all am an and any are as at be because been before being
    between both but by can could did do does doing down during each few for from further had
    has have having he her here hers him his how i if in into is it its itself just me more most
    my no nor not now of off on once only or other our ours out over own same she should so some
    such than that the their theirs them then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you your
    yours please tell me know want need get use using used""".split()
)
PERSIAN_STOPWORDS = frozenset(
    """و در به از که این را با است برای آن یک تا هم می ها های شود کرد کنم کنید کند شده بود
    بر یا اگر چه چگونه چطور چیست چی کجا کی آیا من ما شما او آنها ای هر نیز باید دارد دارم
    داریم هست هستند بی پس ولی اما خود همه چند کدام چرا رو هستم چه‌طور میشه می‌شود""".split()
)
STOPWORDS = ENGLISH_STOPWORDS | frozenset(
    " ".join(PERSIAN_STOPWORDS).translate(_ARABIC_TO_PERSIAN).split()
)

_DIACRITICS_RANGES = ((0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06ED))


def _is_diacritic(char: str) -> bool:
    code = ord(char)
    if any(lo <= code <= hi for lo, hi in _DIACRITICS_RANGES):
        return True
    return unicodedata.category(char) == "Mn"


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """Fold text for matching: lower case, Persian letters, no diacritics, ASCII digits."""
    folded = unicodedata.normalize("NFKD", text.translate(_ARABIC_TO_PERSIAN).translate(_DIGITS))
    stripped = "".join(ch for ch in folded if not _is_diacritic(ch))
    return unicodedata.normalize("NFC", stripped).casefold()


def words(text: str) -> list[str]:
    """Normalised word tokens."""
    return _WORD.findall(normalise(text))


def content_terms(text: str) -> list[str]:
    """Normalised tokens without stop words or one-letter tokens, in order, de-duplicated."""
    seen: dict[str, None] = {}
    for token in words(text):
        if len(token) > 1 and token not in STOPWORDS and not token.isdigit():
            seen.setdefault(token, None)
    return list(seen)


_PERSIAN_SUFFIXES = ("های", "ها", "ای", "ی")


@lru_cache(maxsize=1)
def _english_stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def light_stem(token: str) -> str:
    """Stem a normalised token for matching answer sentences: Snowball (Porter 2) for
    Latin-script words, a few plural/ezafe suffixes for Persian. Search itself uses FTS5's
    Porter stemmer."""
    if token.isascii():
        stem: str = _english_stemmer().stemWord(token)
        return stem
    for suffix in _PERSIAN_SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            return token[: -len(suffix)]
    return token


def split_sentences(text: str) -> list[str]:
    """Split on sentence punctuation (Latin and Persian/Arabic) and line breaks."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]
