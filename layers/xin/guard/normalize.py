"""Text normalisation for the guards: one canonical matching view, plus transformed views.

``fold`` turns any message into the form every lexicon is written in: NFKC, invisible
characters removed (zero-width, bidi controls, Unicode tags), lower case, accents and
Arabic diacritics stripped, Arabic letter variants unified with Persian (ي/ك → ی/ک,
أ/إ/آ → ا, ة → ه), Persian/Arabic-Indic digits → ASCII, and Cyrillic/Greek look-alikes
folded to Latin inside words that mix scripts. ``views`` adds transforms an attacker uses
to hide words from a scanner (leetspeak, spaced letters, reversed text, rot13); decoded
payloads (base64, hex…) come from ``xin.guard.decoders``.

Nothing here preserves character offsets: the guards only score text, they never cut it.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import cache

# Zero-width, soft hyphen, bidi embeddings/overrides/isolates, word joiners, BOM, tags.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e007f]"
)
# ZWNJ between two Arabic-script letters is Persian orthography (می‌خواهم): keep a space.
_ZWNJ_PERSIAN = re.compile("(?<=[\u0600-\u06ff])\u200c(?=[\u0600-\u06ff])")
_SPACES = re.compile(r"[^\S\n]+")
_NEWLINES = re.compile(r"\s*\n\s*")

_LETTERS = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ئ": "ی",
        "ك": "ک",
        "ة": "ه",
        "ۀ": "ه",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ـ": None,  # tatweel
        "ı": "i",
        "ß": "ss",
        "‘": "'",
        "’": "'",
        "‚": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "‹": "'",
        "›": "'",
        "–": "-",
        "—": "-",
        "−": "-",
        "،": ",",
        "؛": ";",
        "؟": "?",
        **{chr(0x06F0 + i): str(i) for i in range(10)},
        **{chr(0x0660 + i): str(i) for i in range(10)},
    }
)

# Cyrillic and Greek letters that render like Latin ones (lower case: fold runs after casefold).
_CONFUSABLE = str.maketrans(
    {
        "а": "a",
        "в": "b",
        "с": "c",
        "ԁ": "d",
        "е": "e",
        "ё": "e",
        "һ": "h",
        "і": "i",
        "ї": "i",
        "ј": "j",
        "к": "k",
        "ӏ": "l",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "ԛ": "q",
        "ѕ": "s",
        "т": "t",
        "у": "y",
        "ԝ": "w",
        "х": "x",
        "ү": "y",
        "α": "a",
        "β": "b",
        "ε": "e",
        "η": "n",
        "ι": "i",
        "κ": "k",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "τ": "t",
        "υ": "u",
        "χ": "x",
        "γ": "y",
        "ω": "w",
    }
)
_NON_LATIN_LOOKALIKE = re.compile("[\u0370-\u03ff\u0400-\u04ff\u0500-\u052f]")
_WORD = re.compile(r"\w+")
_LATIN = re.compile(r"[a-z]")

_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g", "@": "a"}
)
_TOKEN = re.compile(r"\S+")
_LEET_CHARS = re.compile(r"[a-z0-9@$!|]{3,64}")
_HAS_LETTER = re.compile(r"[a-z]")
_HAS_LEET = re.compile(r"[0-9@$]")
_SPACED = re.compile(r"(?<!\w)(?:[^\W\d_][ .\-_*]){2,}[^\W\d_](?!\w)")
_SPACED_SEP = re.compile(r"[ .\-_*]")
# Frequent function words in the Latin-script languages the lexicons cover; used to
# decide whether a reversed or rot13 view reads better than the original.
_FUNCTION_WORDS = frozenset(
    "the and you your all to of is in it me my for with what this that now are "
    "der die das und du ich ist nicht le la les et tu vous de des est el los las y "
    "que tu su il di e ve bir bu ne".split()
)


def strip_invisible(text: str) -> str:
    """Remove invisible characters, keeping Persian ZWNJ as a space between letters."""
    return _INVISIBLE.sub("", _ZWNJ_PERSIAN.sub(" ", text))


def fold(text: str) -> str:
    """The canonical matching form of ``text`` (see the module docstring)."""
    text = strip_invisible(unicodedata.normalize("NFKC", text)).casefold()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = unicodedata.normalize("NFC", text).translate(_LETTERS)
    if _NON_LATIN_LOOKALIKE.search(text):
        text = _fold_lookalikes(text)
    return _NEWLINES.sub("\n", _SPACES.sub(" ", text)).strip()


@cache
def fold_lexeme(pattern: str) -> str:
    """Fold the non-ASCII letters of a lexicon regex the way ``fold`` folds text.

    ASCII is left alone so regex syntax (``\\w``, ``(?:…)``) survives; lexicon entries are
    written in lower case.
    """
    out = "".join(c for c in unicodedata.normalize("NFKD", pattern) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", out).translate(_LETTERS)


def _fold_lookalikes(text: str) -> str:
    mostly_latin = len(_LATIN.findall(text)) > len(_NON_LATIN_LOOKALIKE.findall(text))

    def repl(match: re.Match[str]) -> str:
        word = match.group(0)
        if not _NON_LATIN_LOOKALIKE.search(word):
            return word
        folded = word.translate(_CONFUSABLE)
        mixed = _LATIN.search(word) is not None
        fully_confusable = not _NON_LATIN_LOOKALIKE.search(folded)
        return folded if mixed or (mostly_latin and fully_confusable) else word

    return _WORD.sub(repl, text)


def has_mixed_script_words(text: str) -> bool:
    """True when a word mixes Latin with Cyrillic/Greek letters (a homoglyph trick)."""
    for word in _WORD.findall(text.casefold()):
        if _NON_LATIN_LOOKALIKE.search(word) and _LATIN.search(word):
            return True
    return False


def _function_word_hits(text: str) -> int:
    return sum(1 for w in _WORD.findall(text) if w in _FUNCTION_WORDS)


def _is_leet(token: str) -> bool:
    return bool(
        _LEET_CHARS.fullmatch(token) and _HAS_LETTER.search(token) and _HAS_LEET.search(token)
    )


def _unleet(match: re.Match[str]) -> str:
    token = match.group(0)
    return token.translate(_LEET) if _is_leet(token) else token


def views(folded: str) -> list[tuple[str, str]]:
    """Transformed views of a folded text worth scanning besides the text itself.

    Returns ``(name, text)`` pairs; a view is produced only when the transform changes
    something meaningful, so ordinary messages cost one extra regex pass at most.
    """
    out: list[tuple[str, str]] = []
    tokens = _TOKEN.findall(folded)
    leet_tokens = sum(1 for t in tokens if _is_leet(t))
    if leet_tokens >= 2 and leet_tokens >= 0.1 * len(tokens):  # obfuscation, not "mp3" or "4k"
        out.append(("leetspeak", _TOKEN.sub(_unleet, folded)))
    if _SPACED.search(folded):
        out.append(("spaced", _SPACED.sub(lambda m: _SPACED_SEP.sub("", m.group(0)), folded)))
    base = _function_word_hits(folded)
    reversed_text = folded[::-1]
    if _function_word_hits(reversed_text) > max(base, 1):
        out.append(("reversed", reversed_text))
    rot13 = codecs.encode(folded, "rot13")
    if _function_word_hits(rot13) > max(base, 1):
        out.append(("rot13", rot13))
    return out
