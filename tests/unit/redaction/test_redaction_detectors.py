"""Each PII type: found with exact offsets into the original text, look-alikes ignored."""

from __future__ import annotations

import pytest

from xin.redaction import PiiSpan, detect_pii

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk"


def found(text: str) -> list[tuple[str, str]]:
    return [(s.type, text[s.start : s.end]) for s in detect_pii(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("write to Ana.Lopez+x@Example.COM today", ("EMAIL", "Ana.Lopez+x@Example.COM")),
        ("card 4111 1111 1111 1111 exp 12/27", ("CARD", "4111 1111 1111 1111")),
        ("amex 3782-822463-10005 ok", ("CARD", "3782-822463-10005")),
        ("IBAN DE89 3704 0044 0532 0130 00 please", ("IBAN", "DE89 3704 0044 0532 0130 00")),
        ("شبا IR062960000000100324200001", ("IBAN", "IR062960000000100324200001")),
        ("from 203.0.113.195 and", ("IP", "203.0.113.195")),
        ("v6 2001:db8:85a3::8a2e:370:7334 here", ("IP", "2001:db8:85a3::8a2e:370:7334")),
        ("SSN 078-05-1120.", ("US_SSN", "078-05-1120")),
        ("کد ملی ۰۰۸۴۵۷۵۹۴۸ است", ("IR_NATIONAL_ID", "۰۰۸۴۵۷۵۹۴۸")),
        ("key AKIAIOSFODNN7EXAMPLE", ("AWS_ACCESS_KEY", "AKIAIOSFODNN7EXAMPLE")),
        (
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            ("AWS_SECRET_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        ),
        (
            "jwt " + JWT,
            ("JWT", JWT),
        ),
        (
            "token ghp_abcdefghijklmnopqrstuvwxyz0123456789AB",
            ("API_TOKEN", "ghp_abcdefghijklmnopqrstuvwxyz0123456789AB"),
        ),
        ("slack xoxb-1234-5678-abcdefghijklmnop", ("API_TOKEN", "xoxb-1234-5678-abcdefghijklmnop")),
        (
            "openai sk-proj-abcdefghijklmnopqrstuvwx1234",
            ("API_TOKEN", "sk-proj-abcdefghijklmnopqrstuvwx1234"),
        ),
        ("stripe sk_live_abcdefghijklmnop1234", ("API_TOKEN", "sk_live_abcdefghijklmnop1234")),
        (
            "google AIzaSyA1234567890abcdefghijklmnopqrstuv",
            ("API_TOKEN", "AIzaSyA1234567890abcdefghijklmnopqrstuv"),
        ),
        (
            "Authorization: Bearer abc123def456ghi789jkl012",
            ("API_TOKEN", "abc123def456ghi789jkl012"),
        ),
        ("call me on +44 20 7946 0958 tonight", ("PHONE", "+44 20 7946 0958")),
        ("my cell is (312) 555-0198", ("PHONE", "(312) 555-0198")),
        ("شماره من ۰۹۱۲ ۱۲۳ ۴۵۶۷ است", ("PHONE", "۰۹۱۲ ۱۲۳ ۴۵۶۷")),
        ("رقمي ٠٩١٢١٢٣٤٥٦٧", ("PHONE", "٠٩١٢١٢٣٤٥٦٧")),
    ],
)
def test_structured_types(text: str, expected: tuple[str, str]) -> None:
    assert expected in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Order 4471 shipped on 2024-03-05, tracking 1Z999AA10123456784.",
        "Version 10.2.3 is out; build 58213; see ticket #88213 from 03/04/2024.",
        "The meeting is at 10:30 in room 12; price 1,299.00 USD.",
        "Card ending 4242 was declined.",
        "invoice 2023-0001234 and ISBN 978-3-16-148410-0",
        "سفارش ۸۰۷۳ در تاریخ ۱۴۰۲/۰۵/۱۲ ارسال شد. نسخه ۲.۴.۱",
        "کد پیگیری سفارش ۱۲۳۴۵۶۷۸۹۰ است.",
        "SSN 666-12-3456 and 000-12-3456 are not valid",
    ],
)
def test_dates_versions_order_numbers_are_not_pii(text: str) -> None:
    assert found(text) == []


def test_offsets_are_exact_on_persian_text_with_zwnj_and_arabic_letters() -> None:
    text = "سلام، من مريم گلپایگانی هستم. شماره‌ام ۰۹۱۲۱۲۳۴۵۶۷ و کد ملی‌ام ۰۰۸۴۵۷۵۹۴۸ است."
    spans = detect_pii(text)
    assert [(s.type, text[s.start : s.end]) for s in spans] == [
        ("PERSON", "مريم گلپایگانی"),
        ("PHONE", "۰۹۱۲۱۲۳۴۵۶۷"),
        ("IR_NATIONAL_ID", "۰۰۸۴۵۷۵۹۴۸"),
    ]


def test_same_value_in_different_formats_shares_a_key() -> None:
    keys = {s.key for s in detect_pii("+98 912 123 4567, 09121234567, ۰۹۱۲۱۲۳۴۵۶۷, 00989121234567")}
    assert keys == {"+989121234567"}


def test_overlaps_resolve_to_the_more_specific_type() -> None:
    text = "token eyJhbGciOiJIUzI1NiJ9.eyJjYXJkIjoiNDExMTExMTExMTExMTExMSJ9.c2lnbmF0dXJlMTIzNA"
    assert [s.type for s in detect_pii(text)] == ["JWT"]


def test_types_filter_and_span_dict() -> None:
    text = "mail a@b.co or call +1 415 555 0132"
    only = detect_pii(text, {"EMAIL"})
    assert [s.type for s in only] == ["EMAIL"]
    assert only[0].as_dict() == {"start": 5, "end": 11, "type": "EMAIL"}
    assert isinstance(only[0], PiiSpan)


def test_private_key_blocks_are_detected_whole() -> None:
    pem = (
        "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7\n"
        "-----END PRIVATE KEY-----"
    )
    assert found(f"oops {pem} sorry") == [("PRIVATE_KEY", pem)]
