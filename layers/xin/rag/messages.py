"""User-facing fixed messages in the languages Xin answers in (English is the fallback)."""

from __future__ import annotations

_DONT_KNOW = {
    "en": "I don't know. The documents I have don't answer that question.",
    "fa": "نمی‌دانم. اسنادی که در اختیار دارم به این پرسش پاسخ نمی‌دهند.",
    "ar": "لا أعرف. المستندات المتوفرة لدي لا تجيب عن هذا السؤال.",
    "de": "Das weiß ich nicht. Meine Dokumente beantworten diese Frage nicht.",
    "fr": "Je ne sais pas. Les documents dont je dispose ne répondent pas à cette question.",
    "es": "No lo sé. Los documentos que tengo no responden a esa pregunta.",
    "tr": "Bilmiyorum. Elimdeki belgeler bu soruyu yanıtlamıyor.",
}
_OTHER_LANGUAGE_SOURCES = {
    "en": "From sources in another language:",
    "fa": "بر اساس منابعی به زبان دیگر:",
    "ar": "استنادًا إلى مصادر بلغة أخرى:",
    "de": "Aus anderssprachigen Quellen:",
    "fr": "D'après des sources dans une autre langue :",
    "es": "Según fuentes en otro idioma:",
    "tr": "Başka bir dildeki kaynaklara göre:",
}


def dont_know(language: str) -> str:
    return _DONT_KNOW.get(language, _DONT_KNOW["en"])


def other_language_note(language: str) -> str:
    return _OTHER_LANGUAGE_SOURCES.get(language, _OTHER_LANGUAGE_SOURCES["en"])
