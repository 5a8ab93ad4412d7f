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

from xin.rag.text import (
    STOPWORDS,
    arabic_article_free,
    bigrams,
    cjk_script,
    content_terms,
    has_cjk,
    light_stem,
    normalise,
    split_cjk,
    words,
)

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
    عن مع هذا هذه لك لي انا انت هو هي التي الذي لدي لدينا لديك عندي عندك يمكنني يمكن
    نستطيع استطيع نريد ان او اي كل ذلك تلك هناك هل قد لا نعم ايضا به بها بهم له لها لهم
    فيه فيها منه منها عنه عنها عليه عليها""",
    # Chinese, Japanese and Korean frame words are cut out of a run of characters (no spaces
    # there) before it is split into bigrams: see :func:`question_terms`.
    "zh": """请问 请 你好 您好 谢谢 多谢 麻烦 多长时间 多长 多久 多少 多大 几天 几个 几 什么
    怎么 怎样 如何 为什么 哪里 哪儿 哪个 哪些 是否 可以 能否 能 需要 吗 呢 吧 啊 么 的 了
    是 我 你 您 我们 你们 一下 告诉 知道 想 问""",
    "ja": """すみません ありがとう 教えて 何 何日 何時 私 方法""",
    # Korean is written in words: its frame words are whole words (after their particle and
    # ending are cut, see _KOREAN_ENDINGS), never cut out of the middle of one.
    "ko": """안녕하세요 감사합니다 죄송합니다 어떻게 얼마나 얼마 며칠 언제 어디 무엇 뭐 왜 어느 몇
    있나요 있습니까 있어요 하나요 합니까 해야 되나요 됩니까 인가요 입니까 알려 주세요
    알려주세요 제가 저는 나는 수 때 걸리 걸려 가능 있 없 되""",
    "tr": """tamam pardon özür teşekkürler teşekkür merhaba selam lütfen evet soru unuttum
    hatırlat açıkla anlat göster yardım mümkün musun misin ne kadar sürer adım nasıl nerede
    neden hangi mi mı bir ve ile için bu şu""",
}
FRAME_WORDS: frozenset[str] = frozenset(
    normalise(word) for words in _FRAME_WORDS.values() for word in words.split()
)
_FRAME_STEMS = frozenset(light_stem(word) for word in FRAME_WORDS)
_CJK_FRAME = frozenset(
    word for word in FRAME_WORDS if has_cjk(word) and cjk_script(word[0]) != "hangul"
)
_LONGEST_CJK_FRAME = max(map(len, _CJK_FRAME))
# Korean particles written on the end of a word ("반품은", "배송으로"), longest first.
_KOREAN_PARTICLES = tuple(
    sorted(
        "은 는 이 가 을 를 에 의 도 만 로 와 과 에서 으로 까지 부터 에게 한테 에는".split(), key=len
    )
)[::-1]
# ... and the endings of its verbs and adjectives in a question ("필요한가요", "반품할"), cut
# when two syllables or more are left.
_KOREAN_ENDINGS = tuple(
    sorted(
        """하나요 합니까 합니다 한가요 인가요 습니까 나요 까요 세요 가요 어요 아요 해야 해요
        하는 하다 할 한 되나요 됩니까 됩니다 되는 된 될""".split(),
        key=len,
    )
)[::-1]
_SENTENCE = re.compile(r"[^.!?؟。！？\n]+[.!?؟。！？]*|\n")
_QUESTION_MARKS = ("?", "؟", "？")


def is_frame_word(term: str, language: str = "") -> bool:
    """True for a word that frames a question rather than names its topic ("helped" too).
    A run of hiragana is Japanese grammar (particles, verb endings): framing too. In an
    Arabic question (``language`` "ar") an Arabic frame word with its article or suffixes
    ("المدة") is one too: its article is not compared."""
    word = normalise(term)
    if language == "ar" and arabic_article_free(word) in FRAME_WORDS:
        return True
    if word and all(cjk_script(ch) == "hira" for ch in word) and has_cjk(word):
        return True
    stem = light_stem(word)
    return word in FRAME_WORDS or stem in _FRAME_STEMS or stem in STOPWORDS


def question_terms(text: str) -> list[str]:
    """:func:`~xin.rag.text.content_terms` of a question, with every run of Chinese, Japanese
    or Korean characters cut into terms: frame words (and a Korean word's trailing particle)
    are cut out of it, each piece of one script is split into overlapping bigrams (a
    one-character piece is kept whole), and the frame words stay as terms of their own so an
    answerer can weigh them less. Text without CJK gives exactly ``content_terms``."""
    if not has_cjk(text):
        return content_terms(text)
    seen: dict[str, None] = {}
    for token in words(text):
        for part, cjk in split_cjk(token):
            if cjk:
                seen.update(dict.fromkeys(_cjk_terms(part)))
            elif len(part) > 1 and part not in STOPWORDS and not part.isdigit():
                seen.setdefault(part, None)
    return list(seen)


def _cjk_terms(run: str) -> list[str]:
    if all(cjk_script(ch) == "hangul" for ch in run):
        return _korean_terms(run)
    terms: list[str] = []
    piece = ""
    position = 0
    while position < len(run):
        longest = min(_LONGEST_CJK_FRAME, len(run) - position)
        frame = next(
            (
                run[position : position + n]
                for n in range(longest, 0, -1)
                if run[position : position + n] in _CJK_FRAME
            ),
            "",
        )
        if frame:
            terms.extend([*_piece_terms(piece), frame])
            piece = ""
            position += len(frame)
        else:
            piece += run[position]
            position += 1
    return [*terms, *_piece_terms(piece)]


def _korean_terms(word: str) -> list[str]:
    """A Korean word without its particle and ending: a frame word, or its bigrams."""
    for affixes in (_KOREAN_PARTICLES, _KOREAN_ENDINGS):
        affix = next((a for a in affixes if word.endswith(a)), "")
        if affix and len(word) - len(affix) >= 2:
            word = word[: -len(affix)]
    return [word] if word in FRAME_WORDS else bigrams(word)


def _piece_terms(piece: str) -> list[str]:
    """Bigrams of each one-script stretch of ``piece`` (kanji, kana, Hangul)."""
    terms: list[str] = []
    start = 0
    for end in range(1, len(piece) + 1):
        if end == len(piece) or cjk_script(piece[end]) != cjk_script(piece[start]):
            stretch = piece[start:end]
            terms.extend([stretch] if cjk_script(stretch[0]) == "hira" else bigrams(stretch))
            start = end
    return terms


def topic_terms(text: str) -> list[str]:
    """The content terms of ``text`` that are not framing or small talk."""
    return [t for t in content_terms(text) if not is_frame_word(t)]


def question_and_context(message: str) -> tuple[str, str]:
    """The focused message split into its questions (sentences ending with a question mark)
    and the context around them ("My team runs a cluster. How do I deploy?"). Without a
    question mark, or with nothing else, it is all question."""
    sentences = [s.strip() for s in _SENTENCE.findall(question_focus(message)) if s.strip()]
    questions = [s for s in sentences if s.endswith(_QUESTION_MARKS)]
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
