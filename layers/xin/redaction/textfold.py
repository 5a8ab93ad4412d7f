"""Position-preserving folding, and canonical values for deterministic masking.

``fold_same_length`` maps Persian (۰-۹), Arabic-Indic (٠-٩) and full-width digits to
ASCII and ي/ك to ی/ک, one character for one character, so every offset found on the
folded text is an offset into the original input.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from xin.redaction.spans import PiiType

_TABLE = str.maketrans(
    {
        **{chr(0x06F0 + i): str(i) for i in range(10)},
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "ي": "ی",
        "ى": "ی",
        "ك": "ک",
        "\u00a0": " ",
        "\u202f": " ",
        "\u200c": " ",
    }
)
_NON_DIGIT = re.compile(r"\D")
_WORDS = re.compile(r"\w+")


def fold_same_length(text: str) -> str:
    """Fold digits and Arabic letter variants without changing any offset."""
    return text.translate(_TABLE)


@lru_cache(maxsize=1024)  # bounded: its keys are raw phone numbers
def _phonenumbers_e164(value: str) -> str | None:
    import phonenumbers

    for region in (None, "IR", "US", "GB", "DE", "FR", "TR"):
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_possible_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None


def _ip(value: str) -> str:
    try:
        return ipaddress.ip_address(value).compressed
    except ValueError:
        return value.lower()


def _words(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return " ".join(_WORDS.findall("".join(c for c in decomposed if not unicodedata.combining(c))))


def _digits(value: str) -> str:
    return _NON_DIGIT.sub("", value)


def _compact_upper(value: str) -> str:
    return re.sub(r"\s", "", value).upper()


def _phone(value: str) -> str:
    return _phonenumbers_e164(value) or _digits(value)


_CANONICAL: dict[str, Callable[[str], str]] = {
    "EMAIL": str.lower,
    "CARD": _digits,
    "US_SSN": _digits,
    "IR_NATIONAL_ID": _digits,
    "IBAN": _compact_upper,
    "IP": _ip,
    "PHONE": _phone,
    "PERSON": _words,
    "ADDRESS": _words,
}


def canonical(pii_type: PiiType, value: str) -> str:
    """The form two mentions of the same value share (placeholder mapping key)."""
    folded = fold_same_length(value).strip()
    return _CANONICAL.get(pii_type, str.strip)(folded)
