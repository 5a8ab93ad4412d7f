"""Answer matching in Chinese, Japanese, Korean and Arabic (ADR 0021), and proof that text
in the other languages is matched exactly as before."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from xin.domain import Chunk, SearchHit
from xin.rag.answerer import ExtractiveAnswerer, _proclitic_free, _stems
from xin.rag.focus import is_frame_word, question_and_context, question_terms
from xin.rag.sentences import units
from xin.rag.text import (
    arabic_stem,
    content_terms,
    light_stem,
    match_words,
    normalise,
    split_sentences,
    word_count,
    words,
)

ROOT = Path(__file__).resolve().parents[3]


def _corpus() -> Iterator[str]:
    """Every text of the golden conversations and the retrieval set: English, Persian,
    German, French, Spanish, Arabic, Turkish, adversarial and long messages."""
    golden = json.loads((ROOT / "tests/evals/golden_conversations.json").read_text("utf-8"))
    for conversation in golden["conversations"]:
        for turn in conversation["turns"]:
            if isinstance(turn["user"], str):
                yield turn["user"]
    for name in ("corpus.jsonl", "queries.jsonl"):
        for line in (ROOT / "tests/evals/retrieval" / name).read_text("utf-8").splitlines():
            record = json.loads(line)
            yield f"{record.get('title', '')} {record['text']}"


CORPUS = [text for text in _corpus() if not any("\u3040" <= ch <= "\ud7af" for ch in text)]


def test_the_corpus_is_large_and_mixed() -> None:
    assert len(CORPUS) > 300
    assert any("\u0600" <= ch <= "\u06ff" for text in CORPUS for ch in text)


def test_text_without_cjk_is_tokenised_as_before() -> None:
    for text in CORPUS:
        assert match_words(text) == words(text)
        assert word_count(text) == len(words(text))
        assert question_terms(text) == content_terms(text)


def test_stems_of_every_language_but_arabic_are_the_old_ones() -> None:
    for text in CORPUS:
        old = frozenset(light_stem(w) for w in words(text))
        assert _stems(text) == old
        latin = " ".join(w for w in words(text) if w.isascii())
        assert _stems(latin, True) == _stems(latin)  # Arabic rules touch Arabic script only


def test_persian_words_keep_their_article_like_starts() -> None:
    # "البته" (of course) and "الان" (now) are Persian words, not Arabic article + noun.
    for word in ("البته", "الان", "کتابها", "والدین"):
        token = normalise(word)
        assert light_stem(token, "fa") == light_stem(token)
    assert light_stem(normalise("کتابها"), "fa") == "کتاب"


# -- Arabic ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("المنتجات", "منتج"),
        ("المنتج", "منتج"),
        ("والمنتجات", "منتج"),
        ("للإرجاع", "ارجاع"),
        ("الأصلية", "اصل"),
        ("سبعة", "سبع"),
        ("بالعبوة", "عبو"),
        ("كتابها", "کتاب"),
        ("من", "من"),  # two letters are never cut
    ],
)
def test_arabic_light10_stems(word: str, stem: str) -> None:
    assert arabic_stem(normalise(word)) == stem
    assert light_stem(normalise(word), "ar") == stem


def test_arabic_frame_words_are_known_with_their_article() -> None:
    assert is_frame_word("المدة", "ar")
    assert not is_frame_word("المدة")  # a Persian reader's "المده" is left alone
    assert not is_frame_word("المنتجات", "ar")


def test_arabic_question_marks_end_a_question() -> None:
    asked, context = question_and_context("اشتريت هاتفا. كم يومًا لدي لإرجاعه؟")
    assert asked == "كم يومًا لدي لإرجاعه؟"
    assert context == "اشتريت هاتفا."


# -- Chinese, Japanese, Korean -----------------------------------------------------------


def test_cjk_sentences_end_at_full_width_punctuation_without_spaces() -> None:
    text = "购买后三十天内可以退货。退货时请保留“原始包装”！退款需要几天？七个工作日。"
    assert split_sentences(text) == [
        "购买后三十天内可以退货。",
        "退货时请保留“原始包装”！",
        "退款需要几天？",
        "七个工作日。",
    ]
    assert [s for s, _ in units("返品できます。送料は無料です。")] == [
        "返品できます。",
        "送料は無料です。",
    ]


def test_full_width_question_marks_end_a_question() -> None:
    asked, context = question_and_context("我买了一件衣服。退货需要多长时间？")
    assert asked == "退货需要多长时间？"
    assert context == "我买了一件衣服。"


def test_cjk_runs_become_bigrams_and_characters_in_passages() -> None:
    assert match_words("退货政策 iPhone手机") == [
        "退货",
        "货政",
        "政策",
        "退",
        "货",
        "政",
        "策",
        "iphone",
        "手机",
        "手",
        "机",
    ]
    assert word_count("退货时请保留原始包装") == 9


@pytest.mark.parametrize(
    ("question", "topic", "frame"),
    [
        ("退货需要多长时间？", ["退货"], ["需要", "多长时间"]),
        ("加急配送多少钱？", ["加急", "急配", "配送", "钱"], ["多少"]),
        ("返品は何日以内にできますか？", ["返品", "以内"], ["は", "何日"]),
        ("반품은 며칠 이내에 해야 하나요?", ["반품", "이내"], ["며칠", "해야", "하나요"]),
        # Korean frame words are whole words: the "수" of "영수증" (receipt) stays in it.
        ("반품할 때 영수증이 필요한가요?", ["반품", "영수", "수증", "필요"], ["때"]),
        ("환불은 며칠 걸리나요?", ["환불"], ["며칠", "걸리"]),
    ],
)
def test_cjk_questions_are_cut_into_topic_bigrams_and_frame_words(
    question: str, topic: list[str], frame: list[str]
) -> None:
    terms = question_terms(question)
    assert [t for t in terms if not is_frame_word(t)] == topic
    assert all(normalise(f) in terms for f in frame)


# -- the answerer ------------------------------------------------------------------------


def _hit(text: str, language: str, doc: str, dense: float = 0.9) -> SearchHit:
    chunk = Chunk(
        chunk_id=f"{doc}:0",
        document_id=doc,
        tenant="t",
        ordinal=0,
        text=text,
        heading_path=(doc,),
        language=language,
    )
    return SearchHit(
        chunk=chunk, score=0.03, document_title=doc, source=doc, scores={"dense": dense}
    )


ZH = _hit(
    "购买后三十天内可以退货。退货时请保留原始包装和收据。"
    "退款将在收到商品后七个工作日内退回到原支付方式。",
    "zh",
    "退货政策",
)
ZH_SHIPPING = _hit(
    "标准配送需要三到五个工作日。加急配送需要额外支付二十元，第二天送达。", "zh", "配送"
)
JA = _hit(
    "商品到着後三十日以内であれば返品できます。返品の際は購入時のレシートが必要です。", "ja", "返品"
)
KO = _hit(
    "반품은 구매 후 30일 이내에 가능합니다. 반품 시 영수증이 필요합니다. "
    "환불은 7영업일 이내에 처리됩니다.",
    "ko",
    "반품 정책",
)
AR = _hit(
    "يمكنك إرجاع المنتجات خلال ثلاثين يومًا من تاريخ الشراء. يرجى الاحتفاظ بالعبوة الأصلية "
    "والإيصال. يتم رد المبلغ خلال سبعة أيام عمل.",
    "ar",
    "سياسة الإرجاع",
)


@pytest.mark.parametrize(
    ("question", "hits", "language", "sentence"),
    [
        ("退货需要多长时间？", [ZH, ZH_SHIPPING], "zh", "购买后三十天内可以退货。"),
        ("加急配送多少钱？", [ZH_SHIPPING, ZH], "zh", "加急配送需要额外支付二十元"),
        ("返品は何日以内にできますか？", [JA], "ja", "三十日以内であれば返品できます。"),
        ("반품은 며칠 이내에 해야 하나요?", [KO], "ko", "반품은 구매 후 30일 이내에 가능합니다."),
        ("كم يومًا لدي لإرجاع المنتج؟", [AR], "ar", "خلال ثلاثين يومًا"),
        ("ما هي مدة إرجاع المنتجات؟", [AR], "ar", "خلال ثلاثين يومًا"),
    ],
)
def test_answers_with_the_sentence_that_answers_and_a_citation(
    question: str, hits: list[SearchHit], language: str, sentence: str
) -> None:
    answer = ExtractiveAnswerer().answer(question, hits, language, [])
    assert answer.grounded, answer.text
    assert sentence in answer.text
    assert "[1]" in answer.text
    assert answer.citations[0].document_id == hits[0].chunk.document_id


@pytest.mark.parametrize(
    ("question", "hits", "language"),
    [
        ("你们接受比特币付款吗？", [ZH, ZH_SHIPPING], "zh"),
        ("退货需要支付运费吗？", [ZH, ZH_SHIPPING], "zh"),
        ("会員登録にパスワードは必要ですか？", [JA], "ja"),
        ("회원 가입은 어떻게 하나요?", [KO], "ko"),
        ("هل تقبلون الدفع بالعملات الرقمية؟", [AR], "ar"),
        ("ما هي ساعات عمل فرع الرياض؟", [AR], "ar"),
    ],
)
def test_refuses_what_the_passages_do_not_answer(
    question: str, hits: list[SearchHit], language: str
) -> None:
    answer = ExtractiveAnswerer().answer(question, hits, language, [])
    assert not answer.grounded, answer.text
    assert answer.citations == ()


def test_an_arabic_proclitic_is_cut_only_for_a_word_the_passages_use() -> None:
    to_return = normalise("لإرجاع")  # "to return": the passages say "إرجاع"
    stem = light_stem(to_return, "ar")
    assert _proclitic_free(to_return, stem, frozenset({"ارجاع", "منتج"})) == "ارجاع"
    assert _proclitic_free(to_return, stem, frozenset({"منتج"})) == stem
    language = normalise("لغة")  # a word of its own that starts with "ل"
    assert _proclitic_free(language, light_stem(language, "ar"), frozenset({"لغ", "غه"})) == "لغ"
