"""ADDRESS detection: street patterns with numbers and street-type words (see ADR 0004).

* Latin script: "<number> <Capitalised words> <street type>" with an optional unit and
  "City, ST 12345" tail (US; street types from faker's en_US list), US military and PO
  box forms, "<Name>straße 12, 12345 City" (German), "12 rue …, 75001 Paris" (French),
  "Calle/Via/Rua … 12" (Spanish, Italian, Portuguese), "… Sokak/Cadde No: 5" (Turkish).
* Persian/Arabic script: a chain of segments that each start with an address word
  (استان، شهر، خیابان، کوچه، بلوار، میدان، پلاک، واحد، طبقه، کد پستی… / شارع، حي، مبنى، شقة…),
  optionally preceded by a city; it needs two segments, or one with a number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from xin.redaction.gazetteer import iranian_cities, key, street_suffixes
from xin.redaction.spans import PiiSpan

_CAP = r"[A-ZÀ-ÖØ-Þ][\w'’.-]*"
_FA_KEYWORDS = (
    r"استان",
    r"شهرستان",
    r"شهر",
    r"خیابان",
    r"خ",
    r"کوچه",
    r"ک",
    r"بلوار",
    r"میدان",
    r"بزرگراه",
    r"جاده",
    r"اتوبان",
    r"پلاک",
    r"پ",
    r"واحد",
    r"طبقه",
    r"بن\s?بست",
    r"کد\s?پستی",
    r"نبش",
    r"روبروی",
    r"جنب",
    r"منطقه",
    r"محله",
    r"شهرک",
    r"مجتمع",
    r"برج",
    r"ساختمان",
    r"شارع",
    r"حي",
    r"حی",
    r"مبنى",
    r"مبنی",
    r"عمارة",
    r"عماره",
    r"شقة",
    r"شقه",
    r"الطابق",
    r"طريق",
    r"طریق",
    r"ميدان",
    r"صندوق\s?بريد",
    r"ص\.\s?ب",
)
_FA_STOP = frozenset("است هست و را به از که با در برای تا این آن می یک هم".split())


_DIGIT = re.compile(r"\d")
_SPACE = re.compile(r"\s")


@cache
def _latin_patterns() -> list[re.Pattern[str]]:
    suffixes = sorted(street_suffixes() | {"st", "ave", "rd", "blvd", "ln", "ct", "pl", "sq",
                                            "hwy", "pkwy", "ter", "cir", "dr", "way"},
                      key=len, reverse=True)  # fmt: skip
    suffix = "(?i:" + "|".join(re.escape(s) for s in suffixes) + r")\.?"
    unit = r"(?:,?\s+(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Floor|Fl\.?|#)\s*[\w-]+)?"
    city_state_zip = (
        r"(?:,?\s*\n?\s*" + _CAP + r"(?:\s+" + _CAP + r"){0,3},\s+[A-Z]{2}\s+\d{5}(?:-\d{4})?)?"
    )
    de_street = (
        r"[A-ZÄÖÜ][\wäöüß-]*(?:straße|strasse|str\.|weg|allee|platz|gasse|ring|damm|ufer|"
        r"chaussee|steig|pfad)"
    )
    return [
        re.compile(
            r"(?<![\w-])\d{1,6}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:"
            + _CAP
            + r"\s+){1,4}"
            + suffix
            + r"(?![\w])"
            + unit
            + city_state_zip
        ),
        re.compile(
            r"\b(?:PSC|Unit|USNS|USS|USCGC|USNV)\s+[\w ]{1,40}?,?\s*(?:Box\s+\d+)?,?\s*\n?\s*"
            r"(?:APO|FPO|DPO)\s+(?:AA|AE|AP)\s+\d{5}"
        ),
        re.compile(
            r"\bP\.?\s?O\.?\s+Box\s+\d+(?:,?\s*"
            + _CAP
            + r"(?:\s+"
            + _CAP
            + r")*,\s+[A-Z]{2}\s+\d{5})?"
        ),
        re.compile(
            r"(?:(?:"
            + _CAP
            + r"\s+)?"
            + de_street
            + r"|(?:Am|An der|Auf der|Im|In der|Zum|Zur)\s+"
            + _CAP
            + r")\s+\d{1,4}[a-z]?(?:\s*[-/]\s*\d{1,4}[a-z]?)?(?:,?\s*\n?\s*\d{5}\s+"
            + _CAP
            + r"(?:\s+"
            + _CAP
            + r")?)?"
        ),
        re.compile(
            r"\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|av\.|boulevard|bd|chemin|allée|place|"
            r"impasse|quai|route|cours|passage)(?:\s+[\w'’-]+){1,6}"
            r"(?:,?\s*\n?\s*\d{5}\s+" + _CAP + r"(?:[ -]" + _CAP + r")*)?",
            re.IGNORECASE,
        ),
        re.compile(
            r"\b(?:Calle|C/|Avenida|Avda\.?|Plaza|Paseo|Camino|Via|Viale|Piazza|Corso|Largo|Rua|"
            r"Praça|Travessa|Alameda)\s+(?:" + _CAP + r"\s+|de\s+|del\s+|da\s+|dos\s+|di\s+){1,5}"
            r"(?:n[º°o]\.?\s*)?,?\s*\d{1,5}(?:[,\s]+\d{5}\s+" + _CAP + r")?"
        ),
        re.compile(
            r"\b(?:"
            + _CAP
            + r"\s+){1,3}(?:Mahallesi|Mah\.|Sokak|Sokağı|Sok\.|Caddesi|Cad\.|Bulvarı|"
            r"Blv\.)(?:,?\s+(?:" + _CAP + r"\s+){0,3}(?:Sokak|Sok\.|Caddesi|Cad\.))?,?\s*"
            r"(?:No|Numara)\s*:?\s*\d{1,4}(?:/\d{1,4})?(?:,?\s*(?:Daire|D\.)\s*:?\s*\d{1,4})?"
            r"(?:,?\s*\d{5}\s+" + _CAP + r"(?:/" + _CAP + r")?)?"
        ),
    ]


def _latin_addresses(text: str) -> Iterator[PiiSpan]:
    for pattern in _latin_patterns():
        for m in pattern.finditer(text):
            value = m.group(0).rstrip(" ,.\n")
            yield PiiSpan(m.start(), m.start() + len(value), "ADDRESS", value)


@cache
def _segment() -> re.Pattern[str]:
    keyword = "(?:" + "|".join(sorted(_FA_KEYWORDS, key=len, reverse=True)) + r")\.?(?!\w)"
    return re.compile(r"(?<!\w)" + keyword + r"(?:\s+[^\s،,.;:!?؟\n]+){0,4}")


def _end_of(text: str, start: int, kept: list[str]) -> int:
    position = start
    for word in kept:
        position = text.index(word, position) + len(word)
    return position


def _segments(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, has_digit) for each keyword-led segment; a bare keyword is dropped."""
    out: list[tuple[int, int, bool]] = []
    for m in _segment().finditer(text):
        words = m.group(0).split()
        kept = [words[0]]
        for word in words[1:]:
            if key(word) in _FA_STOP:
                break
            kept.append(word)
            if re.search(r"\d", word):
                break  # "پلاک ۱۲" ends at its number
        end = _end_of(text, m.start(), kept)
        has_digit = re.search(r"\d", text[m.start() : end]) is not None
        if len(kept) > 1 or has_digit:
            out.append((m.start(), end, has_digit))
    return out


def _arabic_script_addresses(text: str) -> Iterator[PiiSpan]:
    chains: list[list[tuple[int, int, bool]]] = []
    for segment in _segments(text):
        if chains and re.fullmatch(r"[\s،,\-–]*", text[chains[-1][-1][1] : segment[0]]):
            chains[-1].append(segment)
        else:
            chains.append([segment])
    cities = iranian_cities()
    for chain in chains:
        if len(chain) < 2 and not chain[0][2]:
            continue
        start, end = chain[0][0], chain[-1][1]
        window = text[max(0, start - 30) : start]
        before = re.search(r"([^\s،,]+)[\s،,]+$", window)
        if before and key(before.group(1)) in cities:
            start -= len(window) - before.start(1)
        yield PiiSpan(start, end, "ADDRESS", text[start:end])


def find_addresses(text: str) -> Iterator[PiiSpan]:
    # Every Latin pattern needs a digit and whitespace (same ``\d``/``\s`` as the patterns),
    # so a text without both is not searched, and its patterns are not compiled: most log
    # fields (ids, routes, methods) never pay for them.
    if _DIGIT.search(text) and _SPACE.search(text):
        yield from _latin_addresses(text)
    if re.search("[\u0600-\u06ff]", text):
        yield from _arabic_script_addresses(text)
