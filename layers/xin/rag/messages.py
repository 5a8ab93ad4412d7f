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
    "it": "Non lo so. I documenti di cui dispongo non rispondono a questa domanda.",
    "pt": "Não sei. Os documentos de que disponho não respondem a essa pergunta.",
    "nl": "Dat weet ik niet. De documenten die ik heb beantwoorden die vraag niet.",
    "ru": "Я не знаю. В моих документах нет ответа на этот вопрос.",
    "zh": "我不知道。我掌握的文档没有回答这个问题。",
    "ja": "わかりません。手元の文書にはこの質問への答えがありません。",
    "ko": "모르겠습니다. 제가 가진 문서에는 이 질문에 대한 답이 없습니다.",
}
_OTHER_LANGUAGE_SOURCES = {
    "en": "From sources in another language:",
    "fa": "بر اساس منابعی به زبان دیگر:",
    "ar": "استنادًا إلى مصادر بلغة أخرى:",
    "de": "Aus anderssprachigen Quellen:",
    "fr": "D'après des sources dans une autre langue :",
    "es": "Según fuentes en otro idioma:",
    "tr": "Başka bir dildeki kaynaklara göre:",
    "it": "Da fonti in un'altra lingua:",
    "pt": "Com base em fontes em outro idioma:",
    "nl": "Uit bronnen in een andere taal:",
    "ru": "По источникам на другом языке:",
    "zh": "根据其他语言的资料：",
    "ja": "他の言語の資料によると：",
    "ko": "다른 언어로 된 자료에 따르면:",
}


def dont_know(language: str) -> str:
    return _DONT_KNOW.get(language, _DONT_KNOW["en"])


def other_language_note(language: str) -> str:
    return _OTHER_LANGUAGE_SOURCES.get(language, _OTHER_LANGUAGE_SOURCES["en"])
