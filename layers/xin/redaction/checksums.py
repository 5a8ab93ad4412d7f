"""Check digits: Luhn (cards), ISO 13616 mod-97 (IBAN), Iranian national code, US SSN rules.

Every function takes ASCII digits (callers fold Persian/Arabic-Indic digits first) and
never raises on malformed input: it returns ``False``.
"""

from __future__ import annotations

# ISO 13616 IBAN registry (SWIFT, release 2024) — country code → total length.
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28,
    "IE": 22, "IL": 23, "IQ": 23, "IR": 26, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
    "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24,
    "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15,
    "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33,
    "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25,
    "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}  # fmt: skip


def luhn_valid(digits: str) -> bool:
    """Luhn check (ISO/IEC 7812) over a string of ASCII digits."""
    if not digits.isdigit() or not digits.isascii():
        return False
    total = 0
    for offset, char in enumerate(reversed(digits)):
        value = int(char)
        if offset % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def card_valid(digits: str) -> bool:
    """13-19 digits, not one repeated digit, Luhn-valid."""
    return 13 <= len(digits) <= 19 and len(set(digits)) > 1 and luhn_valid(digits)


def iban_valid(iban: str) -> bool:
    """Country length from the registry plus the mod-97 check (remainder 1)."""
    iban = iban.replace(" ", "").upper()
    if len(iban) < 5 or not iban.isascii() or not iban.isalnum():
        return False
    if IBAN_LENGTHS.get(iban[:2]) != len(iban) or not iban[2:4].isdigit():
        return False
    rearranged = iban[4:] + iban[:4]
    remainder = 0
    for char in rearranged:
        value = int(char) if char.isdigit() else ord(char) - ord("A") + 10
        remainder = (remainder * (100 if value > 9 else 10) + value) % 97
    return remainder == 1


def iban_check_digits(country: str, bban: str) -> str:
    """The two check digits that make ``country + ?? + bban`` a valid IBAN (for tests/data)."""
    rearranged = bban.upper() + country.upper() + "00"
    number = int("".join(str(int(c, 36)) for c in rearranged))
    return f"{98 - number % 97:02d}"


def ir_national_id_check_digit(first_nine: str) -> int:
    total = sum(int(first_nine[i]) * (10 - i) for i in range(9))
    remainder = total % 11
    return remainder if remainder < 2 else 11 - remainder


def ir_national_id_valid(digits: str) -> bool:
    """Iranian national code (kode melli): 10 digits, weighted mod-11 check digit."""
    if len(digits) != 10 or not digits.isdigit() or not digits.isascii():
        return False
    if len(set(digits)) == 1:
        return False
    return int(digits[9]) == ir_national_id_check_digit(digits[:9])


def us_ssn_valid(area: str, group: str, serial: str) -> bool:
    """SSA rules: area not 000, 666 or 900-999; group not 00; serial not 0000."""
    if not (area.isdigit() and group.isdigit() and serial.isdigit()):
        return False
    a = int(area)
    return a not in (0, 666) and a < 900 and int(group) != 0 and int(serial) != 0
