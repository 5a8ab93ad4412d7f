"""Structured identifiers found by shape and confirmed by a checksum or parser.

EMAIL, CARD (Luhn, 13-19 digits with spaces/dashes), IBAN (registry length + mod-97),
IP (``ipaddress``), US_SSN (SSA area/group/serial rules) and IR_NATIONAL_ID (mod-11
check digit). All run on the position-preserving folded text, so Persian digits work and
offsets stay those of the original.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from functools import cache

from xin.redaction.checksums import card_valid, iban_valid, ir_national_id_valid, us_ssn_valid
from xin.redaction.spans import PiiSpan


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    return {
        "email": re.compile(
            r"(?<![\w.+-])[\w.+-]{1,64}@[A-Za-z0-9\u0600-\u06ff-]+(?:\.[A-Za-z0-9\u0600-\u06ff-]+)*"
            r"\.[A-Za-z]{2,24}(?![\w-])"
        ),
        "card": re.compile(r"(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])"),
        "iban": re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}(?![a-z0-9])"),
        "ipv4": re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.]|\.\d)"),
        "ipv6": re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])"),
        "ssn": re.compile(r"(?<![\d-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\d-])"),
        "ssn_bare": re.compile(r"(?<!\d)(\d{3})(\d{2})(\d{4})(?!\d)"),
        "ssn_cue": re.compile(r"(?:ssn|social security|soc\.? sec\.?)\W{0,20}$", re.IGNORECASE),
        "nid": re.compile(r"(?<![\d-])(?:\d{10}|\d{3}-\d{6}-\d)(?![\d-])"),
        "nid_cue": re.compile(
            r"(?:کد\s?ملی|شماره\s?ملی|national\s?(?:id|code|number)|melli|کدملی)\D{0,20}$",
            re.IGNORECASE,
        ),
        "not_nid_cue": re.compile(
            r"(?:کد\s?پستی|postal|post\s?code|zip|tracking|order|invoice|سفارش|پیگیری|فاکتور|"
            r"phone|tel|mobile|call|reach|contact|whats ?app|sms|fax|موبایل|تلفن|تماس|"
            r"همراه)\D{0,20}$",
            re.IGNORECASE,
        ),
        "version_cue": re.compile(r"(?:v|version|ver\.?|release|build)\s*$", re.IGNORECASE),
    }


def find_emails(text: str) -> Iterator[PiiSpan]:
    for m in _patterns()["email"].finditer(text):
        value = m.group(0).rstrip(".")
        yield PiiSpan(m.start(), m.start() + len(value), "EMAIL", value.lower())


def find_cards(text: str) -> Iterator[PiiSpan]:
    for m in _patterns()["card"].finditer(text):
        raw = m.group(0)
        if not _card_grouping(raw):
            continue
        digits = re.sub(r"\D", "", raw)
        if card_valid(digits):
            yield PiiSpan(m.start(), m.end(), "CARD", digits)


def _card_grouping(raw: str) -> bool:
    """Printed cards are grouped 4-4-4-4(-3), 4-6-5 or 4-6-4 with one kind of separator."""
    separators = {c for c in raw if not c.isdigit()}
    if not separators:
        return True
    if len(separators) > 1:
        return False
    groups = [len(g) for g in re.split(r"[ -]", raw)]
    if groups[:2] == [4, 6] and len(groups) == 3 and groups[2] in (4, 5):
        return True
    return all(g == 4 for g in groups[:-1]) and 1 <= groups[-1] <= 4


def find_ibans(text: str) -> Iterator[PiiSpan]:
    from xin.redaction.checksums import IBAN_LENGTHS

    for m in _patterns()["iban"].finditer(text):
        raw = m.group(0)
        length = IBAN_LENGTHS.get(raw[:2])
        if length is None:
            continue
        # Take exactly the registry length of alphanumerics; what follows is not the IBAN.
        taken = 0
        end = m.start()
        for index, char in enumerate(raw):
            if char != " ":
                taken += 1
            if taken == length:
                end = m.start() + index + 1
                break
        compact = text[m.start() : end].replace(" ", "")
        if taken == length and iban_valid(compact):
            yield PiiSpan(m.start(), end, "IBAN", compact)


def find_ips(text: str) -> Iterator[PiiSpan]:
    pats = _patterns()
    for m in pats["ipv4"].finditer(text):
        if pats["version_cue"].search(text[max(0, m.start() - 10) : m.start()]):
            continue
        try:
            address = ipaddress.IPv4Address(m.group(0))
        except ValueError:
            continue
        yield PiiSpan(m.start(), m.end(), "IP", address.compressed)
    for m in pats["ipv6"].finditer(text):
        raw = m.group(0)
        if raw.count(":") < 2 or len(raw.replace(":", "")) < 3:
            continue
        try:
            address6 = ipaddress.IPv6Address(raw)
        except ValueError:
            continue
        yield PiiSpan(m.start(), m.end(), "IP", address6.compressed)


def find_ssns(text: str) -> Iterator[PiiSpan]:
    pats = _patterns()
    for m in pats["ssn"].finditer(text):
        if us_ssn_valid(m.group(1), m.group(3), m.group(4)):
            key = m.group(1) + m.group(3) + m.group(4)
            yield PiiSpan(m.start(), m.end(), "US_SSN", key)
    for m in pats["ssn_bare"].finditer(text):
        cue = pats["ssn_cue"].search(text[max(0, m.start() - 30) : m.start()])
        if cue and us_ssn_valid(m.group(1), m.group(2), m.group(3)):
            yield PiiSpan(m.start(), m.end(), "US_SSN", m.group(0))


def find_ir_national_ids(text: str) -> Iterator[PiiSpan]:
    pats = _patterns()
    for m in pats["nid"].finditer(text):
        digits = m.group(0).replace("-", "")
        before = text[max(0, m.start() - 30) : m.start()]
        if pats["not_nid_cue"].search(before) and not pats["nid_cue"].search(before):
            continue
        if ir_national_id_valid(digits):
            yield PiiSpan(m.start(), m.end(), "IR_NATIONAL_ID", digits)
