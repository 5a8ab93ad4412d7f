"""Generate the PII development set (seeded, deterministic for a given faker version).

    python tests/evals/pii/generate.py > tests/evals/pii/dev_set.jsonl

Rows: ``{"id", "lang", "category", "text", "spans": [{"start", "end", "type"}]}``, English
and Persian (fa_IR), with gold spans computed while the text is assembled. Iranian
national codes get valid check digits; Iranian phones, cards and IBANs are written with
Persian digits half of the time. ``person_unseen`` rows use invented names that are in
no gazetteer (cue-based detection only); ``negative`` rows hold dates, versions, order
numbers and prices that must not be reported.
"""

from __future__ import annotations

import base64
import json
import random
import re
import string
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from faker import Faker

SEED = 20240611
FAKER_VERSION = "40.54.0"
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
FA_STREETS = "ولیعصر انقلاب آزادی شریعتی مطهری بهشتی فردوسی حافظ سعدی طالقانی جمهوری کارگر".split()
FA_CITIES = "تهران مشهد اصفهان شیراز تبریز کرج رشت یزد کرمان اهواز".split()
SYLLABLES = "ka ro mi zen tal vor bi lu shan der qui mo na fel tor ix ar um".split()


class Values:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.en = Faker("en_US")
        self.fa = Faker("fa_IR")
        self.intl = {
            loc: Faker(loc) for loc in ("de_DE", "fr_FR", "es_ES", "nl_NL", "it_IT", "tr_TR")
        }
        for i, fk in enumerate([self.en, self.fa, *self.intl.values()]):
            fk.seed_instance(SEED + i)

    def persian(self, value: str) -> str:
        return value.translate(PERSIAN_DIGITS) if self.rng.random() < 0.5 else value

    def digits(self, n: int) -> str:
        return "".join(self.rng.choice(string.digits) for _ in range(n))

    def national_id(self) -> str:
        while True:
            first = self.digits(9)
            total = sum(int(first[i]) * (10 - i) for i in range(9)) % 11
            code = first + str(total if total < 2 else 11 - total)
            if len(set(code)) > 1:
                return code

    def ir_mobile(self) -> str:
        body = self.rng.choice(["912", "935", "901", "990", "919", "938"]) + self.digits(7)
        style = self.rng.choice(
            ["0{a} {b} {c}", "0{a}{b}{c}", "+98 {a} {b} {c}", "+98{a}{b}{c}", "0{a}-{b}-{c}"]
        )
        return style.format(a=body[:3], b=body[3:6], c=body[6:])

    def ir_landline(self) -> str:
        return (
            self.rng.choice(["021", "031", "051"])
            + self.rng.choice(["-", " ", ""])
            + self.digits(8)
        )

    def card(self, faker: Faker) -> str:
        number = faker.credit_card_number()
        while len(number) < 13:  # Maestro can be 12 digits; Xin's CARD spec is 13-19
            number = faker.credit_card_number()
        if len(number) == 16 and self.rng.random() < 0.6:
            sep = self.rng.choice([" ", "-"])
            number = sep.join(number[i : i + 4] for i in range(0, 16, 4))
        return number

    def iban(self) -> str:
        faker = self.rng.choice([self.en, *self.intl.values()])
        value = faker.iban()
        if self.rng.random() < 0.5:
            value = " ".join(value[i : i + 4] for i in range(0, len(value), 4))
        return value

    def aws_access(self) -> str:
        alphabet = string.ascii_uppercase + string.digits
        return self.rng.choice(["AKIA", "ASIA"]) + "".join(
            self.rng.choice(alphabet) for _ in range(16)
        )

    def aws_secret(self) -> str:
        alphabet = string.ascii_letters + string.digits + "/+"
        while True:
            value = "".join(self.rng.choice(alphabet) for _ in range(40))
            if any(c.isdigit() for c in value):
                return value

    def token(self) -> str:
        alnum = string.ascii_letters + string.digits

        def rand(n: int) -> str:
            return "".join(self.rng.choice(alnum) for _ in range(n))

        kind = self.rng.choice(["ghp", "xoxb", "sk", "stripe", "google"])
        return {
            "ghp": "ghp_" + rand(36),
            "xoxb": f"xoxb-{self.digits(11)}-{self.digits(12)}-{rand(24)}",
            "sk": "sk-proj-" + rand(40),
            "stripe": "sk_live_" + rand(24),
            "google": "AIza" + rand(35),
        }[kind]

    def jwt(self) -> str:
        def seg(obj: dict[str, Any]) -> str:
            return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

        sig = base64.urlsafe_b64encode(self.rng.randbytes(32)).decode().rstrip("=")
        header = seg({"alg": "HS256", "typ": "JWT"})
        return f"{header}.{seg({'sub': self.digits(6), 'iat': 1700000000})}.{sig}"

    def en_name(self) -> str:
        return f"{self.en.first_name()} {self.en.last_name()}"

    def fa_name(self) -> str:
        return f"{self.fa.first_name()} {self.fa.last_name()}"

    def unseen_name(self) -> str:
        def word() -> str:
            return "".join(
                self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 3))
            ).capitalize()

        return f"{word()} {word()}"

    def en_address(self) -> str:
        return self.en.address().replace("\n", self.rng.choice([", ", "\n"]))

    def fa_address(self) -> str:
        parts = [self.rng.choice(FA_CITIES), f"خیابان {self.rng.choice(FA_STREETS)}"]
        if self.rng.random() < 0.7:
            parts.append(f"کوچه {self.persian(str(self.rng.randint(1, 40)))}")
        parts.append(f"پلاک {self.persian(str(self.rng.randint(1, 300)))}")
        if self.rng.random() < 0.5:
            parts.append(f"واحد {self.persian(str(self.rng.randint(1, 20)))}")
        return "، ".join(parts)


EN_TEMPLATES = (
    ("person_email", "Hi, my name is {PERSON:en_name} and my email is {EMAIL:en_email}."),
    ("phone_email", "You can reach me at {PHONE:en_phone} or {EMAIL:en_free_email}."),
    ("card", "Please charge my card {CARD:en_card} for order #{:d5}."),
    ("iban_person", "Wire the refund to {IBAN:iban}, account holder {PERSON:en_name}."),
    ("address_phone", "Ship it to {ADDRESS:en_address}. Call {PHONE:en_phone} on arrival."),
    ("ssn", "My social security number is {US_SSN:ssn}."),
    ("ssn_short", "SSN: {US_SSN:ssn}"),
    ("ip", "The server at {IP:ip} times out since version 2.4.1."),
    ("aws", "keys: {AWS_ACCESS_KEY:aws_access} aws_secret_access_key={AWS_SECRET_KEY:aws_secret}"),
    ("bearer", "Authorization: Bearer {API_TOKEN:token} (expired?)"),
    ("token", "My token {API_TOKEN:token} stopped working yesterday."),
    ("jwt", "Session {JWT:jwt} expired."),
    ("doctor", "Dr. {PERSON:en_name} will call you at {PHONE:en_phone}."),
    (
        "person_invoice",
        "{PERSON:en_name} ({EMAIL:en_email}) asked about invoice INV-{:d6} dated {:date}.",
    ),
    ("person_unseen", "My name is {PERSON:unseen_name}, I need help with my account."),
    ("address", "My address is {ADDRESS:en_address}"),
    ("negative", "Order {:d4} shipped on {:date}; tracking 1Z{:d16}."),
    ("negative", "Version {:version} is out, build {:d5}."),
    ("negative", "The meeting is at {:hour}:30 in room {:d3}."),
    ("negative", "Price: {:d1},{:d3}.00 USD, qty {:d2}."),
    ("negative", "Invoice {:d10} is due on {:date}."),
)
FA_TEMPLATES = (
    ("person_phone", "سلام، من {PERSON:fa_name} هستم و شماره تماسم {PHONE:ir_mobile} است."),
    ("national_id", "کد ملی من {IR_NATIONAL_ID:national_id} است."),
    ("iban", "لطفاً مبلغ را به شبای {IBAN:fa_iban} واریز کنید."),
    ("card_person", "شماره کارت {CARD:fa_card} به نام {PERSON:fa_name}"),
    ("address", "آدرس: {ADDRESS:fa_address}"),
    ("email", "ایمیل من {EMAIL:en_free_email} است."),
    ("mr_phone", "آقای {PERSON:fa_name} با شماره {PHONE:ir_phone} تماس گرفت."),
    ("mrs_phone", "خانم {PERSON:fa_name} با شماره {PHONE:ir_mobile} تماس گرفت."),
    ("name_address", "نام من {PERSON:fa_name} است و در {ADDRESS:fa_address} زندگی می‌کنم."),
    ("id_and_phone", "کدملی: {IR_NATIONAL_ID:national_id}، موبایل: {PHONE:ir_mobile}"),
    ("person_unseen", "اسم من {PERSON:fa_unseen_name} است."),
    ("negative", "سفارش {:fd4} در تاریخ ۱۴۰۲/۰۵/{:fd2} ارسال شد."),
    ("negative", "نسخه {:fversion} منتشر شد."),
    ("negative", "کد تخفیف {:fd4} را وارد کنید."),
    ("negative", "قیمت {:fd3}٬۰۰۰ تومان است."),
    ("negative", "کد پیگیری سفارش {:fd10} است."),
)
FA_UNSEEN = "کاروند میزنا تالور بیلوسا شانتو درهام".split()
_SLOT = re.compile(r"\{([A-Z_]*):(\w+)\}")


def providers(v: Values) -> dict[str, Callable[[], str]]:
    def d(n: int) -> Callable[[], str]:
        return lambda: v.digits(n)

    def fd(n: int) -> Callable[[], str]:
        return lambda: v.digits(n).translate(PERSIAN_DIGITS)

    def version() -> str:
        return f"{v.rng.randint(1, 20)}.{v.rng.randint(0, 9)}.{v.rng.randint(0, 30)}"

    return {
        "en_name": v.en_name, "en_email": v.en.email, "en_free_email": v.en.free_email,
        "en_phone": v.en.phone_number, "en_card": lambda: v.card(v.en), "iban": v.iban,
        "en_address": v.en_address, "ssn": v.en.ssn, "aws_access": v.aws_access,
        "aws_secret": v.aws_secret, "token": v.token, "jwt": v.jwt, "unseen_name": v.unseen_name,
        "ip": lambda: v.rng.choice([v.en.ipv4_public(), v.en.ipv6()]),
        # A fixed end date: faker's default range ends today, which would change the set daily.
        "date": lambda: str(v.en.date(end_datetime=datetime(2026, 1, 1))),
        "version": version, "hour": lambda: str(v.rng.randint(8, 17)),
        "fa_name": v.fa_name, "ir_mobile": lambda: v.persian(v.ir_mobile()),
        "ir_phone": lambda: v.persian(v.rng.choice([v.ir_mobile(), v.ir_landline()])),
        "national_id": lambda: v.persian(v.national_id()), "fa_iban": v.fa.iban,
        "fa_card": lambda: v.persian(v.card(v.fa)), "fa_address": v.fa_address,
        "fa_unseen_name": lambda: f"{v.rng.choice(FA_UNSEEN)} {v.fa.last_name()}",
        "fversion": lambda: version().translate(PERSIAN_DIGITS),
        **{f"d{n}": d(n) for n in (1, 2, 3, 4, 5, 6, 10, 16)},
        **{f"fd{n}": fd(n) for n in (2, 3, 4, 10)},
    }  # fmt: skip


def assemble(
    row_id: str, lang: str, category: str, template: str, make: dict[str, Callable[[], str]]
) -> dict[str, Any]:
    text, spans, cursor = "", [], 0
    for m in _SLOT.finditer(template):
        text += template[cursor : m.start()]
        value = make[m.group(2)]()
        if m.group(1):
            spans.append({"start": len(text), "end": len(text) + len(value), "type": m.group(1)})
        text += value
        cursor = m.end()
    text += template[cursor:]
    return {"id": row_id, "lang": lang, "category": category, "text": text, "spans": spans}


def generate(rows_per_lang: int = 320) -> Iterator[dict[str, Any]]:
    rng = random.Random(SEED)
    make = providers(Values(rng))
    for lang, templates in (("en", EN_TEMPLATES), ("fa", FA_TEMPLATES)):
        for i in range(rows_per_lang):
            category, template = templates[i % len(templates)]
            yield assemble(f"pii-{lang}-{i:04d}", lang, category, template, make)


def main() -> None:
    for row in generate():
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
