"""Check digits, valid and invalid, and agreement with fa-redact's validators."""

from __future__ import annotations

import pytest

from xin.redaction.checksums import (
    IBAN_LENGTHS,
    card_valid,
    iban_check_digits,
    iban_valid,
    ir_national_id_check_digit,
    ir_national_id_valid,
    luhn_valid,
    us_ssn_valid,
)


@pytest.mark.parametrize(
    "number", ["4111111111111111", "5500000000000004", "378282246310005", "6011111111111117"]
)
def test_luhn_accepts_known_test_cards(number: str) -> None:
    assert luhn_valid(number) and card_valid(number)


@pytest.mark.parametrize(
    "number",
    [
        "4111111111111112",
        "1234567812345678",
        "0000000000000000",
        "411111111111",
        "41111111111111111111",
    ],
)
def test_card_rejects_bad_checksum_repeated_digits_and_lengths(number: str) -> None:
    assert not card_valid(number)


@pytest.mark.parametrize(
    "iban",
    [
        "DE89370400440532013000",
        "GB82WEST12345698765432",
        "NL91ABNA0417164300",
        "FR1420041010050500013M02606",
        "IR062960000000100324200001",
        "NO9386011117947",
        "TR330006100519786457841326",
    ],
)
def test_iban_mod97_accepts_valid_ibans(iban: str) -> None:
    assert iban_valid(iban)


@pytest.mark.parametrize(
    "iban",
    [
        "DE89370400440532013001",
        "DE8937040044053201300",
        "XX89370400440532013000",
        "GB82 WEST 1234 5698 7654 3X",
        "",
    ],
)
def test_iban_rejects_checksum_length_and_country_errors(iban: str) -> None:
    assert not iban_valid(iban)


def test_every_registry_country_round_trips_through_check_digits() -> None:
    for country, length in IBAN_LENGTHS.items():
        bban = ("1234567890" * 4)[: length - 4]
        iban = country + iban_check_digits(country, bban) + bban
        assert iban_valid(iban), country
        assert not iban_valid(iban[:-1] + ("1" if iban[-1] != "1" else "2")), country


@pytest.mark.parametrize("code", ["0084575948", "0013542419", "4608968882"])
def test_iranian_national_id_valid(code: str) -> None:
    assert ir_national_id_valid(code)


@pytest.mark.parametrize(
    "code", ["0084575949", "1111111111", "008457594", "00845759480", "۰۰۸۴۵۷۵۹۴۸"]
)
def test_iranian_national_id_invalid_or_unfolded(code: str) -> None:
    assert not ir_national_id_valid(code)  # Persian digits must be folded by the caller


def test_national_id_check_digit_rule_for_small_remainders() -> None:
    # weighted sum mod 11: remainder < 2 → the remainder itself, otherwise 11 - remainder
    assert ir_national_id_check_digit("200000001") == 0  # 20 + 2 = 22 → 0
    assert ir_national_id_check_digit("100000001") == 1  # 10 + 2 = 12 → 1
    assert ir_national_id_check_digit("000000011") == 6  # 3 + 2 = 5 → 11 - 5
    assert ir_national_id_valid("2000000010") and ir_national_id_valid("1000000011")


@pytest.mark.parametrize(
    ("area", "group", "serial", "valid"),
    [
        ("078", "05", "1120", True),
        ("000", "12", "3456", False),
        ("666", "12", "3456", False),
        ("901", "12", "3456", False),
        ("123", "00", "4567", False),
        ("123", "45", "0000", False),
    ],
)
def test_us_ssn_rules(area: str, group: str, serial: str, valid: bool) -> None:
    assert us_ssn_valid(area, group, serial) is valid


def test_agrees_with_fa_redact_on_random_inputs() -> None:
    validators = pytest.importorskip("fa_redact.validators")
    import random

    rng = random.Random(7)
    for _ in range(2000):
        code = "".join(rng.choice("0123456789") for _ in range(10))
        assert ir_national_id_valid(code) == validators.is_valid_national_id(code), code
        card = "".join(rng.choice("0123456789") for _ in range(16))
        assert card_valid(card) == validators.is_valid_bank_card_number(card), card
        bban = "".join(rng.choice("0123456789") for _ in range(22))
        iban = "IR" + iban_check_digits("IR", bban) + bban
        assert iban_valid(iban) and validators.is_valid_iranian_iban(iban)
