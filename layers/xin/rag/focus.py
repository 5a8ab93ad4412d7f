"""Question focus: what a chat message actually asks, without its conversational wrapping.

Users rarely type a bare question. They apologise first ("OK sorry. How do I…"), wrap the
question in a request ("I forgot how to…, can you remind me?") or frame it ("how long does it
take to…"). The wrapping words are not the topic, and a lexical answerer that tries to find
"sorry", "forgot" or "remind" in the documents refuses a question it could answer.

Two general tools, no per-question rules:

* :func:`question_focus` drops the sentences of a message that carry no topic (every content
  word is small talk or framing: "OK sorry.", "Thanks!", "Hallo,"), keeping the original
  message when nothing would be left;
* :func:`is_frame_word` tells the words that frame a question (request verbs, pleasantries,
  "how long"/"take") from its topic words, in the languages Xin answers in, so an answerer
  can weigh them less without ignoring them.
"""

from __future__ import annotations

import re

from xin.rag.text import STOPWORDS, content_terms, light_stem, normalise

# Words that wrap or frame a question rather than name its topic. Stored normalised
# (``xin.rag.text.normalise``: case-folded, Persian letters, no diacritics).
_FRAME_WORDS = {
    "en": """ok okay sorry thanks thank cheers hi hello hey dear yes yeah well so anyway again
    actually basically really quick quickly question questions wondering wonder wondered forgot
    forget forgotten remember remind reminder recall explain explaining tell telling show
    showing help helping guide assist understand understanding learn curious idea clue possible
    able way ways exactly long much many take takes taking took step steps go going also still
    kindly hope great cool fine good nice bit little someone somebody anyone obvious silly
    stupid dumb basic worked works work working there""",
    "de": """ok okay entschuldigung sorry danke hallo hi hey bitte ja also nochmal wieder
    eigentlich frage fragen vergessen erinnern erklaren erklare zeigen zeig sagen sag helfen
    hilf verstehen moglich kannst konnen konnten konntest konnt wurde wurdest wie lange dauert
    dauern schritt schritte genau mal gerne was wo warum wann welche welcher welches ich du
    mein meine meinen eigene eigenen der die das und ist ein eine einen mit von zu auf fur im
    in den dem des mache machen tun und oder""",
    "fr": """ok okay pardon desole desolee merci bonjour salut coucou oui alors bon encore
    question questions oublie oublier rappeler rappelle expliquer explique montrer montre dire
    dis aider aide comprendre possible peux pouvez pourrais pourriez combien temps faut etape
    etapes exactement vraiment svp plait comment quel quelle quels quelles ou pourquoi quand
    je tu vous mon ma mes propre propres le la les un une des du de et pour dans sur avec au
    aux ce cette qui que quoi est faire fais""",
    "es": """ok vale perdon perdona siento gracias hola oye si bueno pues otra vez pregunta
    preguntas olvide olvidado recordar recuerdame explicar explicame mostrar muestrame decir
    dime ayudar ayudame entender posible puedes puede podrias cuanto tiempo tarda tardan paso
    pasos exactamente favor como que donde cual cuales cuando por para mi mis propio propios
    el la los las un una de del en con y se es hago hacer yo tu""",
    "fa": """ببخشید ممنون مرسی سلام لطفا خب باشه دوباره سوال پرسش یادم رفته فراموش کردم
    یاداوری توضیح بده بگو نشان کمک بفهمم ممکنه میتونی میتوانید چقدر چه مدت طول میکشد
    مزاحم میشم چطوری چجوری چیکار چکار کنم بکنم""",
    "ar": """عذرا اسف شكرا مرحبا السلام عليكم من فضلك لو سمحت حسنا سؤال نسيت تذكير
    اشرح اخبرني ساعدني اريد اعرف يمكنك هل كم مدة كيف ما ماذا لماذا متى اين في على الى
    عن مع هذا هذه لك لي انا انت هو هي التي الذي""",
    "tr": """tamam pardon özür teşekkürler teşekkür merhaba selam lütfen evet soru unuttum
    hatırlat açıkla anlat göster yardım mümkün musun misin ne kadar sürer adım nasıl nerede
    neden hangi mi mı bir ve ile için bu şu""",
}
FRAME_WORDS: frozenset[str] = frozenset(
    normalise(word) for words in _FRAME_WORDS.values() for word in words.split()
)
_FRAME_STEMS = frozenset(light_stem(word) for word in FRAME_WORDS)
_SENTENCE = re.compile(r"[^.!?؟。\n]+[.!?؟。]*|\n")


def is_frame_word(term: str) -> bool:
    """True for a word that frames a question rather than names its topic ("helped" too)."""
    word = normalise(term)
    stem = light_stem(word)
    return word in FRAME_WORDS or stem in _FRAME_STEMS or stem in STOPWORDS


def topic_terms(text: str) -> list[str]:
    """The content terms of ``text`` that are not framing or small talk."""
    return [t for t in content_terms(text) if not is_frame_word(t)]


def question_and_context(message: str) -> tuple[str, str]:
    """The focused message split into its questions (sentences ending with a question mark)
    and the context around them ("My team runs a cluster. How do I deploy?"). Without a
    question mark, or with nothing else, it is all question."""
    sentences = [s.strip() for s in _SENTENCE.findall(question_focus(message)) if s.strip()]
    questions = [s for s in sentences if s.endswith(("?", "؟"))]
    if not questions or len(questions) == len(sentences):
        return " ".join(sentences) or message, ""
    return " ".join(questions), " ".join(s for s in sentences if s not in questions)


def question_focus(message: str) -> str:
    """``message`` without its topic-less sentences ("OK sorry.", "Thanks!").

    The sentences that name a topic are kept in their order; a message with at most one such
    sentence among no others, or with none at all, comes back unchanged.
    """
    sentences = [s.strip() for s in _SENTENCE.findall(message) if s.strip()]
    if len(sentences) < 2:
        return message
    kept = [s for s in sentences if topic_terms(s)]
    if not kept or len(kept) == len(sentences):
        return message
    return " ".join(kept)
