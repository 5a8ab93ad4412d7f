"""Phone numbers: candidates by shape, confirmed with ``phonenumbers``.

A candidate is accepted when it is a *valid* number for one of the policy's regions (or
carries a ``+``/``00`` country code), or when it is a *possible* number that is written
like a phone number (grouped with separators, a country code) or follows a cue such as
"call me", "tel", "تلفن", "شماره". Dates, versions, IP-like dotted quads and numbers
after "order", "invoice", "#" or "ISBN" are rejected. The span key is the E.164 form, so
"+98 912 123 4567" and "۰۹۱۲۱۲۳۴۵۶۷" share a placeholder.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache
from typing import Any

from xin.redaction.checksums import ir_national_id_valid
from xin.redaction.spans import PiiSpan

DEFAULT_REGIONS: tuple[str, ...] = ("IR", "US", "GB", "DE", "FR", "TR", "AE", "SA")


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    return {
        "candidate": re.compile(
            r"(?<![\w+/.-])(?:\+|00)?(?:\(\d{1,5}\)[ .-]?)?\d[\d .()/-]{5,20}\d"
            r"(?:[ ]?(?:x|ext\.?|#)[ ]?\d{1,5})?(?![\w/-])",
            re.IGNORECASE,
        ),
        "date": re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{1,2}[:.]\d{2}(?:[:.]\d{2})?"),
        "dotted_quad": re.compile(r"\d{1,3}(?:\.\d{1,3}){2,}"),
        "extension": re.compile(r"[ ]?(?:x|ext\.?|#)[ ]?\d{1,5}$", re.IGNORECASE),
        "nanp": re.compile(r"(?:\+?1[ .-]?)?\(?[2-9]\d{2}\)?[ .-]?\d{3}[ .-]\d{4}"),
        "cue": re.compile(
            r"(?:phone|tel|telephone|mobile|cell|call|whats ?app|sms|fax|contact|reach|number|"
            r"تلفن|موبایل|شماره|تماس|همراه|هاتف|جوال|رقم|telefon|numara|handy|telefone|"
            r"telefono|téléphone|teléfono|portable|cep)\b[^\d\n]{0,25}$",
            re.IGNORECASE,
        ),
        "anti_cue": re.compile(
            r"(?:order|invoice|ref(?:erence)?|tracking|isbn|issn|sku|ticket|case|version|"
            r"v\.?|build|id|#|no\.|nr\.?|سفارش|پیگیری|فاکتور|کد|رهگیری)[^\d\n]{0,12}$",
            re.IGNORECASE,
        ),
    }


@cache
def _pn() -> Any:
    import phonenumbers

    return phonenumbers


def _parse(value: str, region: str | None) -> Any | None:
    pn = _pn()
    try:
        return pn.parse(value, region)
    except pn.NumberParseException:
        return None


def _e164(number: Any) -> str:
    pn = _pn()
    return str(pn.format_number(number, pn.PhoneNumberFormat.E164))


def _regions_for(core: str, regions: Sequence[str]) -> list[str | None]:
    if core.startswith(("+", "00")):
        return [None]
    if _patterns()["nanp"].fullmatch(core) and not core.startswith("0"):
        return ["US"]  # (415) 555-0132 shape: North American numbering plan
    return list(regions)


def _classify(core: str, regions: Sequence[str], cue: bool) -> str | None:
    """E.164 key if ``core`` is accepted as a phone number, else ``None``."""
    pn = _pn()
    international = core.startswith(("+", "00"))
    value = "+" + core[2:] if core.startswith("00") else core
    grouped = len(re.findall(r"[ .()/-]+", core.strip("+"))) >= 2
    possible: Any | None = None
    for region in _regions_for(core, regions):
        number = _parse(value, region)
        if number is None:
            continue
        if pn.is_valid_number(number):
            return _e164(number)
        if possible is None and pn.is_possible_number(number):
            possible = number
    if possible is not None and (international or cue or grouped):
        return _e164(possible)
    return None


def find_phones(text: str, regions: Sequence[str] = DEFAULT_REGIONS) -> Iterator[PiiSpan]:
    pats = _patterns()
    for m in pats["candidate"].finditer(text):
        raw = m.group(0).rstrip(" .-/(")
        core = pats["extension"].sub("", raw)
        digits = re.sub(r"\D", "", core)
        if not 7 <= len(digits) <= 15:
            continue
        if pats["date"].fullmatch(core) or pats["dotted_quad"].fullmatch(core):
            continue
        before = text[max(0, m.start() - 40) : m.start()]
        cue = pats["cue"].search(before) is not None
        if not cue and pats["anti_cue"].search(before):
            continue
        bare = core.isdigit()
        if bare and len(digits) == 10 and not cue and ir_national_id_valid(digits):
            continue  # a bare 10-digit string with a valid check digit: national code
        if bare and not cue and not (core.startswith("0") or len(digits) >= 10):
            continue
        key = _classify(core, regions, cue)
        if key is not None:
            yield PiiSpan(m.start(), m.start() + len(raw), "PHONE", key)
