"""Polite refusals and fallback notes in the user's language, and a cheap language guess."""

from __future__ import annotations

import re
from functools import cache

REFUSALS: dict[str, str] = {
    "en": "Sorry, I can't help with that request. I'm happy to answer questions about the "
    "information I have. Could you rephrase your question?",
    "fa": "متأسفم، نمی‌توانم به این درخواست پاسخ دهم. با کمال میل به پرسش‌هایتان دربارهٔ "
    "اطلاعاتی که در اختیار دارم پاسخ می‌دهم؛ لطفاً پرسش خود را به شکل دیگری مطرح کنید.",
    "ar": "عذرًا، لا يمكنني المساعدة في هذا الطلب. يسعدني الإجابة عن أسئلتك حول المعلومات "
    "المتوفرة لدي، فهل يمكنك إعادة صياغة سؤالك؟",
    "de": "Entschuldigung, bei dieser Anfrage kann ich nicht helfen. Gerne beantworte ich "
    "Fragen zu den Informationen, die mir vorliegen. Könnten Sie Ihre Frage anders formulieren?",
    "fr": "Désolé, je ne peux pas donner suite à cette demande. Je réponds volontiers aux "
    "questions sur les informations dont je dispose. Pourriez-vous reformuler votre question ?",
    "es": "Lo siento, no puedo ayudar con esa solicitud. Con gusto respondo preguntas sobre la "
    "información de la que dispongo. ¿Podrías reformular tu pregunta?",
    "tr": "Üzgünüm, bu isteğe yardımcı olamam. Elimdeki bilgilerle ilgili sorularınızı "
    "memnuniyetle yanıtlarım. Sorunuzu farklı bir şekilde sorabilir misiniz?",
    "it": "Mi dispiace, non posso aiutarti con questa richiesta. Rispondo volentieri a domande "
    "sulle informazioni di cui dispongo. Puoi riformulare la domanda?",
    "pt": "Desculpe, não posso ajudar com esse pedido. Respondo com prazer a perguntas sobre as "
    "informações de que disponho. Pode reformular sua pergunta?",
    "nl": "Sorry, met dit verzoek kan ik niet helpen. Ik beantwoord graag vragen over de "
    "informatie waarover ik beschik. Kunt u uw vraag anders formuleren?",
    "ru": "Извините, я не могу помочь с этим запросом. Я с радостью отвечу на вопросы об "
    "имеющейся у меня информации. Не могли бы вы переформулировать вопрос?",
    "zh": "抱歉，我无法处理这个请求。"
    "我很乐意回答与我掌握的信息相关的问题，能请您换一种方式提问吗？",
    "ja": "申し訳ありませんが、そのご依頼にはお応えできません。"
    "手元の情報に関するご質問には喜んでお答えします。質問を言い換えていただけますか？",
    "ko": "죄송하지만 그 요청은 도와드릴 수 없습니다. 제가 가진 정보에 관한 질문에는 기꺼이 "
    "답해 드리겠습니다. 질문을 다르게 표현해 주시겠어요?",
}

# Shown before quoted source passages when an answer was replaced (see output_guard).
FALLBACK_INTROS: dict[str, str] = {
    "en": "I couldn't give a reliable answer. Here is what the sources say:",
    "fa": "نتوانستم پاسخ قابل اتکایی بدهم. منابع در این باره چنین می‌گویند:",
    "ar": "لم أتمكن من تقديم إجابة موثوقة. إليك ما تقوله المصادر:",
    "de": "Ich konnte keine verlässliche Antwort geben. Das sagen die Quellen:",
    "fr": "Je n'ai pas pu donner de réponse fiable. Voici ce que disent les sources :",
    "es": "No pude dar una respuesta fiable. Esto es lo que dicen las fuentes:",
    "tr": "Güvenilir bir yanıt veremedim. Kaynaklar şunu söylüyor:",
    "it": "Non sono riuscito a dare una risposta affidabile. Ecco cosa dicono le fonti:",
    "pt": "Não consegui dar uma resposta confiável. Eis o que dizem as fontes:",
    "nl": "Ik kon geen betrouwbaar antwoord geven. Dit zeggen de bronnen:",
    "ru": "Мне не удалось дать надёжный ответ. Вот что говорится в источниках:",
    "zh": "我无法给出可靠的回答。以下是资料中的相关内容：",
    "ja": "信頼できる回答を出せませんでした。資料には次のように書かれています：",
    "ko": "신뢰할 수 있는 답변을 드리지 못했습니다. 자료에는 다음과 같이 나와 있습니다:",
}
NO_SOURCES: dict[str, str] = {
    "en": "I couldn't find this in the available information.",
    "fa": "این مورد را در اطلاعات موجود پیدا نکردم.",
    "ar": "لم أجد هذا في المعلومات المتاحة.",
    "de": "Dazu habe ich in den verfügbaren Informationen nichts gefunden.",
    "fr": "Je n'ai pas trouvé cela dans les informations disponibles.",
    "es": "No encontré esto en la información disponible.",
    "tr": "Bunu mevcut bilgilerde bulamadım.",
    "it": "Non ho trovato questo nelle informazioni disponibili.",
    "pt": "Não encontrei isso nas informações disponíveis.",
    "nl": "Ik heb dit niet gevonden in de beschikbare informatie.",
    "ru": "Я не нашёл этого в доступной информации.",
    "zh": "我在现有资料中没有找到相关内容。",
    "ja": "利用可能な情報の中には見つかりませんでした。",
    "ko": "이용 가능한 정보에서 찾지 못했습니다.",
}

_ALIASES = {
    "pes": "fa",
    "per": "fa",
    "fas": "fa",
    "prs": "fa",
    "ara": "ar",
    "deu": "de",
    "ger": "de",
    "fra": "fr",
    "fre": "fr",
    "spa": "es",
    "tur": "tr",
    "eng": "en",
    "ita": "it",
    "por": "pt",
    "nld": "nl",
    "dut": "nl",
    "rus": "ru",
    "zho": "zh",
    "chi": "zh",
    "jpn": "ja",
    "kor": "ko",
}


def normalise_language(language: str | None) -> str:
    """``"fa-IR"``, ``"FA_ir"``, ``"per"`` → ``"fa"``; unknown or empty → ``"en"``."""
    if not language:
        return "en"
    primary = re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0]
    primary = _ALIASES.get(primary, primary)
    return primary if primary in REFUSALS else "en"


def refusal_message(language: str) -> str:
    """A polite refusal in ``language`` (BCP 47 or ISO 639 code); English if unsupported."""
    return REFUSALS[normalise_language(language)]


@cache
def _latin_markers() -> dict[str, re.Pattern[str]]:
    words = {
        "en": "the and you your is are what how can please with this that my for",
        "de": "der die das und ist nicht ich sie du mit ein eine wie bitte mein",
        "fr": "le la les et est vous je tu une des pour pas que qui mon avec",
        "es": "el los las y es que por para una como pero mi con del usted",
        "it": "il gli della che per una sono non come mio con questo",
        "pt": "os as que para uma com não você meu isso como",
        "nl": "het een van en ik je niet dat voor met mijn wat",
        "tr": "bir ve bu ne için mi da de ile nasıl lütfen benim",
    }
    return {lang: re.compile(r"\b(?:" + "|".join(w.split()) + r")\b") for lang, w in words.items()}


# Scripts that name their language, in order: kana before Han, since Japanese mixes both.
_SCRIPT_LANGUAGES = (
    (re.compile("[\u0400-\u04ff]"), "ru", 3),
    (re.compile("[\u3040-\u30ff]"), "ja", 2),
    (re.compile("[\uac00-\ud7af]"), "ko", 2),
    (re.compile("[\u4e00-\u9fff]"), "zh", 2),
)
_PERSIAN_ONLY = re.compile("[پچژگیکۀ]")
_PERSIAN_WORDS = re.compile(r"(?:^|\s)(?:است|را|می|این|که|های|برای|هستم)(?:\s|$)")
_ARABIC_ONLY = re.compile("[ةيكىأإ]")


def guess_language(text: str) -> str:
    """A cheap ISO 639-1 guess from script and function words (``"und"`` if unknown)."""
    sample = text[:2000]
    arabic_script = len(re.findall("[\u0600-\u06ff]", sample))
    if arabic_script >= 3:
        persian = len(_PERSIAN_ONLY.findall(sample)) + 2 * len(_PERSIAN_WORDS.findall(sample))
        return "fa" if persian > len(_ARABIC_ONLY.findall(sample)) else "ar"
    for script, language, least in _SCRIPT_LANGUAGES:
        if len(script.findall(sample)) >= least:
            return language
    lowered = sample.lower()
    if re.search("[ğış]", lowered):
        return "tr"
    counts = {lang: len(p.findall(lowered)) for lang, p in _latin_markers().items()}
    best = max(counts, key=lambda lang: counts[lang])
    return best if counts[best] > 0 else "und"
