"""Find encoded runs in a message and return what they say, so detectors can scan it too.

An obfuscated injection hides an instruction in an encoding a model reads fluently but a
word list does not: base64/base64url, base32, hex (plain, spaced, ``\\x``), binary,
percent-encoding, ``\\uXXXX`` escapes, HTML entities, Unicode tag characters, ascii85/base85
and Morse. A decoded run is kept only if it reads like text (printable, with words), so
images, hashes, JWT signatures and keys are dropped. Decoding recurses a little
(base64 of hex). Bounded: at most ``MAX_RUNS`` runs per message, each ≤ ``MAX_RUN`` chars.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
import urllib.parse
from collections.abc import Callable, Iterator
from functools import cache

MAX_RUNS = 24
MAX_RUN = 20_000
MAX_DEPTH = 2


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    return {
        "base64": re.compile(r"(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{16,}={0,2}"),
        "base32": re.compile(r"(?<![A-Za-z2-7])[A-Z2-7]{16,}={0,6}"),
        "hex": re.compile(r"(?<![0-9A-Fa-f])(?:0x)?(?:[0-9A-Fa-f]{2}){8,}(?![0-9A-Fa-f])"),
        "hex_spaced": re.compile(
            r"(?:(?:0x|\\x)?[0-9A-Fa-f]{2}[ ,:;]?){8,}(?![0-9A-Fa-f])", re.IGNORECASE
        ),
        "binary": re.compile(r"(?:[01]{7,8}[ ,]?){4,}"),
        "escapes": re.compile(r"(?:\\u[0-9A-Fa-f]{4}|\\x[0-9A-Fa-f]{2}){4,}"),
        "tags": re.compile("[\U000e0020-\U000e007f]{4,}"),
        "ascii85": re.compile(r"<~[!-u\s]{4,}?~>"),
        "base85": re.compile(r"[0-9A-Za-z!#$%&()*+\-;<=>?@^_`{|}~]{20,}"),
        "morse": re.compile(r"(?:[.\-]{1,7}(?: {1,3}| ?/ ?)){3,}[.\-]{1,7}"),
        "words": re.compile(r"[^\W\d_]{3,}"),
        "percent": re.compile(r"%[0-9A-Fa-f]{2}"),
        "entity": re.compile(r"&#x?[0-9A-Fa-f]+;"),
    }


_MORSE = dict(
    zip(
        (
            ".- -... -.-. -.. . ..-. --. .... .. .--- -.- .-.. -- -. --- .--. --.- .-. ... - ..- "
            "...- .-- -..- -.-- --.. ----- .---- ..--- ...-- ....- ..... -.... --... ---.. "
            "----."
        ).split(),
        "abcdefghijklmnopqrstuvwxyz0123456789",
        strict=True,
    )
)


def readable(text: str) -> bool:
    """True when ``text`` looks like language: mostly printable, with at least two words."""
    if len(text) < 6:
        return False
    printable = sum(1 for c in text if c.isprintable() or c in "\n\t")
    words = _patterns()["words"].findall(text)
    letters = sum(len(w) for w in words)
    return printable / len(text) >= 0.9 and len(words) >= 2 and letters / len(text) >= 0.45


def _bytes_to_text(data: bytes) -> str | None:
    for codec in ("utf-8", "utf-16"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return None


def _b64(run: str) -> str | None:
    run = run.rstrip("=")
    padded = run + "=" * (-len(run) % 4)
    try:
        return _bytes_to_text(base64.b64decode(padded, altchars=b"-_", validate=False))
    except (binascii.Error, ValueError):
        try:
            return _bytes_to_text(base64.b64decode(padded, validate=False))
        except (binascii.Error, ValueError):
            return None


def _b32(run: str) -> str | None:
    run = run.rstrip("=")
    try:
        return _bytes_to_text(base64.b32decode(run + "=" * (-len(run) % 8)))
    except (binascii.Error, ValueError):
        return None


def _hex(run: str) -> str | None:
    digits = re.sub(r"0x|\\x|[^0-9A-Fa-f]", "", run, flags=re.IGNORECASE)
    if len(digits) % 2:
        digits = digits[:-1]
    try:
        return _bytes_to_text(bytes.fromhex(digits))
    except ValueError:
        return None


def _binary(run: str) -> str | None:
    groups = re.findall(r"[01]{7,8}", run)
    if not groups:
        return None
    return "".join(chr(int(g, 2)) for g in groups)


def _escapes(run: str) -> str | None:
    return re.sub(r"\\u([0-9A-Fa-f]{4})|\\x([0-9A-Fa-f]{2})", _unescape_one, run)


def _unescape_one(match: re.Match[str]) -> str:
    return chr(int(match.group(1) or match.group(2), 16))


def _tags(run: str) -> str | None:
    return "".join(chr(ord(c) - 0xE0000) for c in run)


def _ascii85(run: str) -> str | None:
    try:
        return _bytes_to_text(base64.a85decode(run, adobe=True))
    except ValueError:
        return None


def _base85(run: str) -> str | None:
    if re.fullmatch(r"[A-Za-z0-9+/_=-]+", run):
        return None  # plain base64 alphabet: the base64 decoder owns it
    try:
        return _bytes_to_text(base64.b85decode(run))
    except ValueError:
        return None


def _morse(run: str) -> str | None:
    words = re.split(r" ?/ ?| {2,}", run.strip())
    decoded = [
        "".join(_MORSE.get(letter, "?") for letter in word.split()) for word in words if word
    ]
    text = " ".join(decoded)
    return text if text.count("?") <= len(text) // 10 else None


_RUN_DECODERS: tuple[tuple[str, Callable[[str], str | None]], ...] = (
    ("base64", _b64),
    ("base32", _b32),
    ("hex", _hex),
    ("hex_spaced", _hex),
    ("binary", _binary),
    ("escapes", _escapes),
    ("tags", _tags),
    ("ascii85", _ascii85),
    ("base85", _base85),
    ("morse", _morse),
)


def _whole_text_views(text: str) -> Iterator[tuple[str, str]]:
    pats = _patterns()
    if len(pats["percent"].findall(text)) >= 3:
        yield "url", urllib.parse.unquote(text)
    if len(pats["entity"].findall(text)) >= 3:
        yield "html_entities", html.unescape(text)


def decode_runs(text: str, depth: int = 0) -> list[tuple[str, str]]:
    """Decoded payloads found in ``text`` as ``(encoding, decoded_text)`` pairs.

    ``text`` must be the raw message (case and invisible tag characters intact).
    """
    found: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    pats = _patterns()
    for name, decoder in _RUN_DECODERS:
        for match in pats[name].finditer(text):
            if len(found) >= MAX_RUNS:
                return found
            run = match.group(0)[:MAX_RUN]
            if (name, run) in seen:
                continue
            seen.add((name, run))
            decoded = decoder(run)
            if decoded is None:
                continue
            if readable(decoded):
                found.append((name, decoded))
            elif depth < MAX_DEPTH and len(decoded) >= 16:
                found.extend((f"{name}>{enc}", t) for enc, t in decode_runs(decoded, depth + 1))
    found.extend((name, view) for name, view in _whole_text_views(text) if view != text)
    return found
