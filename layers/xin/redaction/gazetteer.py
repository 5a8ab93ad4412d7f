"""Name and place word lists for PERSON/ADDRESS detection (see ADR 0004).

The lists live in ``_gazetteer_data.py``, generated from ``faker`` locales at build time
and committed (``faker`` is a development dependency, never a runtime one)::

    python -m xin.redaction.gazetteer > layers/xin/redaction/_gazetteer_data.py

First names that are also common English words (faker's English lorem list, months,
days) are dropped so "May" or "Will" at the start of a sentence is not a person. Lookups
use ``key``: lower case, Arabic letter variants unified, diacritics removed.
"""

from __future__ import annotations

import importlib
import sys
import unicodedata
from functools import cache

_ARABIC = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "ـ": None})

FIRST_NAME_LOCALES = (
    "en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pt_BR", "tr_TR", "ru_RU",
    "fa_IR", "ar_AA",
)  # fmt: skip
SURNAME_LOCALES = ("fa_IR", "ar_AA")
_EXTRA_WORDS = (
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday god lord king queen prince "
    "angel baby love star sky summer winter spring autumn ocean river will bill mark grant "
    "guy joy hope faith art rich chance page penny sunny dusty"
)
# Common given names faker's fa_IR list lacks (frequent in Iran's civil registry).
_EXTRA_FA = (
    "محمد علی حسین حسن رضا مهدی امیر احمد مصطفی سعید حمید مجید وحید جواد کاظم ابراهیم یوسف "
    "داوود بهروز بهزاد فرهاد کامران کاوه آرش آرمان پویا پارسا سینا نیما بابک کوروش داریوش "
    "بهنام بهرام پیمان پدرام پرویز جمشید خسرو رامین سامان سیاوش شهرام شاهین فرشید فریبرز "
    "کیوان مازیار منصور مهرداد میلاد نادر هومن یاسر اکبر اصغر حامد حمیدرضا علیرضا محمدرضا "
    "امیرحسین ابوالفضل مرتضی مسعود محسن ناصر هادی عباس قاسم صادق سجاد میثم روزبه آریا "
    "زهرا فاطمه مریم سارا نرگس الهام لیلا شیرین نازنین مهسا مینا ساناز آزاده پریسا فرزانه "
    "نسرین سمیرا رویا ژیلا هانیه یاسمن ترانه نگار سپیده شیما شقایق مهناز مهشید نیلوفر "
    "پروانه پریا تینا ثمین رعنا ریحانه زینب سمانه سوسن شبنم شهرزاد طاهره عاطفه فرشته "
    "فریبا فرناز کتایون گلناز گیتی لادن مرجان مژگان معصومه منیژه مهتاب میترا ناهید هستی "
    "آیدا آتنا آناهیتا بهاره پگاه"
)


def key(word: str) -> str:
    """Lookup form: lower case, no diacritics, Arabic letters unified with Persian."""
    decomposed = unicodedata.normalize("NFKD", word.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_ARABIC)


@cache
def _data() -> dict[str, frozenset[str]]:
    module = importlib.import_module("xin.redaction._gazetteer_data")
    return {
        "first": frozenset(module.FIRST_NAMES.split()),
        "surname": frozenset(module.SURNAMES.split()),
        "street": frozenset(module.STREET_SUFFIXES.split()),
        "city_fa": frozenset(module.CITIES_FA.split()),
        "common": frozenset(module.COMMON_WORDS.split()),
    }


def first_names() -> frozenset[str]:
    return _data()["first"]


def surnames() -> frozenset[str]:
    return _data()["surname"]


def street_suffixes() -> frozenset[str]:
    return _data()["street"]


def iranian_cities() -> frozenset[str]:
    return _data()["city_fa"]


def common_words() -> frozenset[str]:
    """Frequent English words (faker's lorem list, months, days): not surnames."""
    return _data()["common"]


def _build() -> str:  # pragma: no cover - build-time tool, needs faker
    from faker.providers.address.en_US import Provider as UsAddress
    from faker.providers.lorem.en_US import Provider as Lorem

    common = {w.lower() for w in Lorem.word_list} | set(_EXTRA_WORDS.split())
    first: set[str] = set(_EXTRA_FA.split())
    for locale in FIRST_NAME_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        names = set(getattr(provider, "first_names", ()) or ())
        names |= set(getattr(provider, "first_names_male", ())) | set(
            getattr(provider, "first_names_female", ())
        )
        first |= {n for n in names if " " not in n and len(n) >= 2}
    surname: set[str] = set()
    for locale in SURNAME_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        surname |= {n for n in provider.last_names if " " not in n}
    streets = {s.lower() for s in UsAddress.street_suffixes}
    cities = (
        "تهران مشهد اصفهان شیراز تبریز کرج اهواز قم کرمانشاه ارومیه رشت زاهدان همدان کرمان یزد "
        "اردبیل بندرعباس اراک زنجان سنندج قزوین خرم‌آباد گرگان ساری بابل کاشان بوشهر بیرجند "
        "سمنان یاسوج شهرکرد ایلام بجنورد آمل دزفول نیشابور سبزوار"
    )
    keys = sorted({key(n) for n in first if key(n) not in common})

    def block(name: str, words: list[str]) -> str:
        lines, line = [], ""
        for word in words:
            if len(line) + len(word) > 90:
                lines.append(line.rstrip())
                line = ""
            line += word + " "
        lines.append(line.rstrip())
        body = "\n".join(lines)
        return f'{name} = """\n{body}\n"""\n'

    return (
        '"""Generated by ``python -m xin.redaction.gazetteer`` from faker; do not edit."""\n\n'
        + block("FIRST_NAMES", keys)
        + "\n"
        + block("SURNAMES", sorted({key(n) for n in surname}))
        + "\n"
        + block("STREET_SUFFIXES", sorted(streets))
        + "\n"
        + block("CITIES_FA", sorted({key(c).replace("\u200c", "") for c in cities.split()}))
        + "\n"
        + block("COMMON_WORDS", sorted(common))
    )


if __name__ == "__main__":  # pragma: no cover
    sys.stdout.write(_build())
