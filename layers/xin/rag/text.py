"""Text normalisation, tokenisation and sentence splitting shared by indexing and answering.

Search normalisation folds what users type differently into one form: case, Arabic vs
Persian letters (ي/ك → ی/ک), diacritics, ZWNJ, and Persian/Arabic-Indic digits.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import cache, lru_cache
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
# CJK full stops end a sentence without a space after them ("可以退货。退货时…").
_CJK_SENTENCE_END = re.compile(r"(?<=[.!?؟۔])[\"'»)\]]*\s+|(?<=[。！？])[」』”’）]*\s*|\n+")

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


@cache  # per distinct character: normalise runs over every indexed chunk
def _is_diacritic(char: str) -> bool:
    code = ord(char)
    if any(lo <= code <= hi for lo, hi in _DIACRITICS_RANGES):
        return True
    return unicodedata.category(char) == "Mn"


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """Fold text for matching: lower case, Persian letters, no diacritics, ASCII digits."""
    folded = unicodedata.normalize("NFKD", text.translate(_ARABIC_TO_PERSIAN).translate(_DIGITS))
    # No ASCII character is a diacritic: English text skips the per-character scan.
    ascii_only = folded.isascii()
    stripped = folded if ascii_only else "".join(c for c in folded if not _is_diacritic(c))
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


_PER_THREAD = threading.local()


def _english_stemmer() -> Any:
    """This thread's Snowball stemmer: a stemmer keeps its word in its own state, so one
    shared by the server's worker threads returned wrong stems and raised IndexError."""
    stemmer = getattr(_PER_THREAD, "english", None)
    if stemmer is None:
        import snowballstemmer

        stemmer = _PER_THREAD.english = snowballstemmer.stemmer("english")
    return stemmer


@lru_cache(maxsize=65536)
def light_stem(token: str, language: str = "") -> str:
    """Stem a normalised token for matching answer sentences: Snowball (Porter 2) for
    Latin-script words, Arabic affixes (:func:`arabic_stem`) for Arabic-script words of an
    Arabic text (``language`` "ar"), a few plural/ezafe suffixes for other Arabic-script
    (Persian) words. Search itself uses FTS5's Porter stemmer."""
    if language == "ar" and _is_persian(token):
        return arabic_stem(token)
    if token.isascii():
        stem: str = _english_stemmer().stemWord(token)
        return stem
    for suffix in _PERSIAN_SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            return token[: -len(suffix)]
    return token


# -- Arabic: Larkey's light10 stemmer over normalised text ---------------------------------
#
# Normalisation has already folded ي/ى → ی, ك → ک, ة → ه and the hamza forms of alef → ا, so
# the affixes are written in those letters. Light10 removes a leading "و" (and), then one
# definite article, then each suffix of its list once, in order, keeping at least two letters.

_AR_ARTICLES = ("وال", "بال", "کال", "فال", "لل", "ال")
_AR_SUFFIXES = ("ها", "ان", "ات", "ون", "ین", "یه", "ه", "ی")


def arabic_stem(token: str) -> str:
    """Light10 (Larkey, Ballesteros & Connell 2007) stem of a normalised Arabic word:
    "والمنتجات" and "المنتج" → "منتج", "الاصلیه" → "اصل"."""
    token = arabic_article_free(token)
    for suffix in _AR_SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 2:
            token = token[: -len(suffix)]
    return token


def arabic_article_free(token: str) -> str:
    """A normalised Arabic word without its leading "و" and definite article (light10's
    prefix steps): "والمدة" → "مده"."""
    if token.startswith("و") and len(token) >= 4:
        token = token[1:]
    for article in _AR_ARTICLES:
        if token.startswith(article) and len(token) - len(article) >= 2:
            return token[len(article) :]
    return token


# One-letter proclitics light10 leaves on: "لإرجاع" (to return), "بسرعة" (quickly), "فقط"...
# Only ever stripped when the rest is a word the passages use (see the answerer).
ARABIC_PROCLITICS = ("ل", "ب", "ف", "ک")


# -- CJK: overlapping character bigrams ---------------------------------------------------
#
# Chinese and Japanese do not put spaces between words, and Korean attaches particles to its
# words, so a run of Han, Kana or Hangul is one \w+ "word" that never meets another. Without a
# segmenter the standard unit is the overlapping character bigram (as Lucene's CJK analyzer
# does): "退货政策" → 退货 退政 政策. Passages also keep every single character, so a one-
# character question word ("钱") can be found.

_CJK_CHARS = (
    "\u1100-\u11ff\u3040-\u309f\u30a0-\u30ff\u3130-\u318f\u3400-\u4dbf"
    "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f"
)
_CJK_RUN = re.compile(f"[{_CJK_CHARS}]+")
_CJK_CHAR = re.compile(f"[{_CJK_CHARS}]")


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a Han, Kana or Hangul character."""
    return not text.isascii() and _CJK_CHAR.search(text) is not None


def cjk_script(char: str) -> str:
    """ "hira", "kata", "hangul" or "han" for a CJK character."""
    code = ord(char)
    if 0x3040 <= code <= 0x309F:
        return "hira"
    if 0x30A0 <= code <= 0x30FF or 0xFF66 <= code <= 0xFF9F:
        return "kata"
    if 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return "hangul"
    return "han"


def bigrams(run: str) -> list[str]:
    """Overlapping character bigrams of ``run``; a one-character run is itself."""
    if len(run) < 2:
        return [run] if run else []
    return [run[i : i + 2] for i in range(len(run) - 1)]


def split_cjk(token: str) -> list[tuple[str, bool]]:
    """``token`` cut into its CJK runs and the rest, each with whether it is CJK
    ("iphone手机" → ("iphone", False), ("手机", True))."""
    parts: list[tuple[str, bool]] = []
    position = 0
    for run in _CJK_RUN.finditer(token):
        if run.start() > position:
            parts.append((token[position : run.start()], False))
        parts.append((run.group(0), True))
        position = run.end()
    if position < len(token):
        parts.append((token[position:], False))
    return parts


def match_words(text: str, *, characters: bool = True) -> list[str]:
    """:func:`words` with every CJK run cut into its overlapping bigrams (a one-character run
    stays itself) and, with ``characters``, its single characters too; text without CJK gives
    exactly :func:`words`. Answer matching keeps the characters (a one-character question word
    such as "钱" must meet its passage); the keyword index does not (:func:`keyword_words`)."""
    tokens = words(text)
    if not has_cjk(text):
        return tokens
    found: list[str] = []
    for token in tokens:
        for part, cjk in split_cjk(token):
            if not cjk:
                found.append(part)
                continue
            found.extend(bigrams(part))
            if characters and len(part) > 1:
                found.extend(part)
    return found


def word_count(text: str) -> int:
    """How many words ``text`` has, a CJK run counting its bigrams (about two characters a
    word); without CJK this is ``len(words(text))``."""
    tokens = words(text)
    if not has_cjk(text):
        return len(tokens)
    return sum(
        len(bigrams(part)) if cjk else 1 for token in tokens for part, cjk in split_cjk(token)
    )


def split_sentences(text: str) -> list[str]:
    """Split on sentence punctuation (Latin, Persian/Arabic, CJK) and line breaks."""
    ends = _CJK_SENTENCE_END if has_cjk(text) else _SENTENCE_END
    return [part.strip() for part in ends.split(text) if part and part.strip()]


# -- search terms: what the keyword index and keyword queries are made of ---------------------
#
# Persian writes one verb in many ways: "می‌کنم", "می کنم", "میکنم", spoken "میکنه", "میکنن".
# Keyword search folds them with a light, symmetric stemmer applied to both the indexed text
# and the query, so an over-eager rule can only merge two words, never lose one. Verbs are
# recognised by a prefix (می/نمی, ب/ن) plus a present stem from a short list of common verbs
# and a person ending; nouns lose plural suffixes.
# Spoken forms map to written ones with a few general rules (the "ه" and "ن" person endings,
# the dropped alef after ب/می in "بنداز"), not with a list of phrases.

_PERSIAN_PRESENT_STEMS = frozenset(
    """کن شو تون توان خواه دار گیر ده زن رس ساز بین دان گذار انداز افت اور ار رو خور گو
    نویس خوان فرست پرس بر کش یاب پذیر گرد ماند مان شناس بند چین سپار گزین افزا کاه
    ریز پوش بخش پاک شکن نشان گشا بیند""".split()
)
_PERSON_ENDINGS = ("یم", "ید", "ند", "م", "ی", "د", "ه", "ن", "")
_VERB_PREFIXES = ("نمی", "می", "ب", "ن", "")
# Only plural suffixes: stripping the ezafe/adjective "ی" as well ("فارسی" -> "فارس") merged
# unrelated words and cost Persian nDCG@10 on the golden set.
_NOUN_SUFFIXES = ("هایی", "هایش", "های", "ها")
_SPOKEN_WORDS = {
    # spoken Persian function words and question words -> their written forms
    "رو": "را",
    "چطوری": "چطور",
    "چجوری": "چگونه",
    "چجور": "چگونه",
    "چیه": "چیست",
    "کجاست": "کجا",
    "اینو": "این",
    "اونو": "ان",
    "اون": "ان",
    "اونا": "انها",
    "الان": "اکنون",
    "یه": "یک",
    "واسه": "برای",
    "واسه‌ی": "برای",
}
_MIN_PERSIAN_STEM = 2


def _is_persian(token: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in token)


def _verb_stem(token: str) -> str | None:
    """The present stem of a conjugated common verb ("نمیکنم" -> "کن"), or None."""
    for prefix in _VERB_PREFIXES:
        if not token.startswith(prefix):
            continue
        body = token[len(prefix) :]
        for ending in _PERSON_ENDINGS:
            if ending and not body.endswith(ending):
                continue
            stem = body[: len(body) - len(ending)] if ending else body
            if not prefix and not ending:
                continue  # a bare word is a noun as often as a verb stem
            if stem in _PERSIAN_PRESENT_STEMS:
                return stem
            if prefix and "ا" + stem in _PERSIAN_PRESENT_STEMS:
                return "ا" + stem  # spoken forms drop the alef: "بندازم" -> "انداز"
            if stem and stem + "و" in _PERSIAN_PRESENT_STEMS:
                return stem + "و"  # and a final vav: "میشه" -> "شو", "میگه" -> "گو"
    return None


@lru_cache(maxsize=65536)
def persian_stem(token: str) -> str:
    """A light stem of a normalised Persian token; other tokens come back unchanged."""
    if not _is_persian(token):
        return token
    token = _SPOKEN_WORDS.get(token, token)
    verb = _verb_stem(token)
    if verb is not None:
        return verb
    for suffix in _NOUN_SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= _MIN_PERSIAN_STEM + 1:
            return token[: -len(suffix)]
    return token


_DETACHED_AFFIXES = frozenset(("می", "نمی", "ها", "های", "هایی", "ای", "تر", "ترین"))


def keyword_words(text: str) -> list[str]:
    """:func:`words` for the keyword index: CJK runs as overlapping bigrams, without single
    characters (as Lucene's CJK bigram filter by default), since FTS5's ``unicode61``
    tokenizer would keep a whole unspaced sentence as one token."""
    return match_words(text, characters=False)


def search_terms(text: str) -> list[str]:
    """Tokens for the keyword index and keyword queries: normalised words (CJK runs as
    bigrams), Persian words stemmed, affixes left alone by a ZWNJ ("زبان‌ها") dropped.
    English stays whole (the index's Porter stemmer takes care of it)."""
    return [persian_stem(t) for t in keyword_words(text) if t not in _DETACHED_AFFIXES]


def query_terms(text: str) -> list[str]:
    """Distinct :func:`search_terms` of a query, stop words left out."""
    kept = (
        t
        for t in keyword_words(text)
        if t not in STOPWORDS
        and _SPOKEN_WORDS.get(t, t) not in STOPWORDS
        and t not in _DETACHED_AFFIXES
    )
    return list(dict.fromkeys(persian_stem(t) for t in kept))
