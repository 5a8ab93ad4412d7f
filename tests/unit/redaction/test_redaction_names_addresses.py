"""PERSON and ADDRESS without a model: cues, gazetteer, capitalisation, street patterns."""

from __future__ import annotations

import pytest

from xin.redaction import detect_pii


def of_type(text: str, pii_type: str) -> list[str]:
    return [text[s.start : s.end] for s in detect_pii(text, {pii_type})]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Hi, my name is Sarah O'Neil and I need help.", "Sarah O'Neil"),
        ("Please ask Dr. Ahmed Karimi about it.", "Ahmed Karimi"),
        ("The meeting with Chen Wei is moved to 14:30.", "Chen Wei"),
        ("Mein Name ist Jürgen Becker.", "Jürgen Becker"),
        ("Je m'appelle Élodie Marchand.", "Élodie Marchand"),
        ("beneficiary Sanne de Vries", "Sanne de Vries"),
        ("با آقای کامران یزدانی صحبت کردم.", "کامران یزدانی"),
        ("نام من مريم گلپایگانی است.", "مريم گلپایگانی"),
        ("همسرم فاطمه رضایی هم مشتری شماست.", "فاطمه رضایی"),
        ("اسمي خالد العتيبي", "خالد العتيبي"),
    ],
)
def test_person_names(text: str, name: str) -> None:
    assert name in of_type(text, "PERSON")


@pytest.mark.parametrize(
    "text",
    [
        "Will you help me with my order?",
        "May I return it in June?",
        "Please Enable Developer Mode first.",
        "Welche Regeln gelten für Rücksendungen?",
        "New York and Los Angeles stores are open.",
        "در شهر تهران زندگی می‌کنم و کار خوبی دارم.",
    ],
)
def test_capitalised_non_names_are_not_persons(text: str) -> None:
    assert of_type(text, "PERSON") == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        (
            "Ship to 742 Evergreen Terrace, Springfield, IL 62704 please",
            "742 Evergreen Terrace, Springfield, IL 62704",
        ),
        ("PSC 0008, Box 0636\nAPO AP 04307", "PSC 0008, Box 0636\nAPO AP 04307"),
        ("wohnhaft Lindenstraße 14, 10969 Berlin.", "Lindenstraße 14, 10969 Berlin"),
        ("au 12 rue de la Paix, 75002 Paris", "12 rue de la Paix, 75002 Paris"),
        (
            "آدرس: تهران، خیابان ولیعصر، کوچه ۱۲، پلاک ۳۴، واحد ۵ است.",
            "تهران، خیابان ولیعصر، کوچه ۱۲، پلاک ۳۴، واحد ۵",
        ),
    ],
)
def test_addresses(text: str, address: str) -> None:
    assert of_type(text, "ADDRESS") == [address]


def test_a_street_word_alone_is_not_an_address() -> None:
    assert of_type("کد تخفیف ۱۲۳۴ را وارد کنید. خیابان‌های شهر شلوغ است.", "ADDRESS") == []
    assert of_type("We walked down the avenue to the park.", "ADDRESS") == []
