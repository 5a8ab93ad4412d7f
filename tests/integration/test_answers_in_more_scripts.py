"""Grounded answers and refusals in Chinese, Japanese, Korean and Arabic, end to end.

Documents in each language are ingested through the CLI into a fresh data directory and
questions go through ``xin ask --json``: the retriever, the language detector and the
extractive answerer are all the real ones. A question the documents answer gets the sentence
that answers it with a citation; a question they do not answer gets "I don't know" in the
question's language, without citations (ADR 0021).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from xin.cli.main import app

DOCUMENTS = {
    "zh-returns.md": "# 退货政策\n\n购买后三十天内可以退货。退货时请保留原始包装和收据。"
    "退款将在收到商品后七个工作日内退回到原支付方式。\n\n# 配送\n\n标准配送需要三到五个工作日。"
    "加急配送需要额外支付二十元，第二天送达。\n",
    "zh-warranty.md": "# 保修服务\n\n所有电子产品享有一年免费保修。"
    "保修期内，非人为损坏可以免费维修。"
    "申请维修时，请联系客服并提供订单号和发票照片。\n",
    "ja-returns.md": "# 返品について\n\n商品到着後三十日以内であれば返品できます。"
    "返品の際は購入時のレシートが必要です。返品の送料は当社が負担します。\n",
    "ko-returns.md": "# 반품 정책\n\n반품은 구매 후 30일 이내에 가능합니다. "
    "반품 시 영수증이 필요합니다. "
    "환불은 반품 상품을 받은 후 7영업일 이내에 처리됩니다.\n",
    "ar-returns.md": "# سياسة الإرجاع\n\nيمكنك إرجاع المنتجات خلال ثلاثين يومًا من تاريخ الشراء. "
    "يرجى الاحتفاظ بالعبوة الأصلية والإيصال. يتم رد المبلغ خلال سبعة أيام عمل.\n",
    "ar-shipping.md": "# الشحن والتوصيل\n\nيستغرق الشحن العادي من ثلاثة إلى خمسة أيام عمل. "
    "الشحن السريع متاح مقابل رسوم إضافية قدرها عشرون ريالًا ويصل في اليوم التالي.\n",
}

# (question, document it must cite, a phrase the quoted answer must hold)
ANSWERABLE = [
    ("退货需要多长时间？", "zh-returns.md", "三十天内可以退货"),
    ("加急配送多少钱？", "zh-returns.md", "二十元"),
    ("电子产品的保修期是多久？", "zh-warranty.md", "一年免费保修"),
    ("申请维修需要提供什么？", "zh-warranty.md", "订单号"),
    ("保修期多长？", "zh-warranty.md", "保修期内"),
    ("返品は何日以内にできますか？", "ja-returns.md", "三十日以内"),
    ("반품은 며칠 이내에 해야 하나요?", "ko-returns.md", "30일 이내"),
    ("환불은 언제 처리되나요?", "ko-returns.md", "7영업일"),
    ("반품할 때 영수증이 필요한가요?", "ko-returns.md", "영수증이 필요합니다"),
    ("كم يومًا لدي لإرجاع المنتج؟", "ar-returns.md", "ثلاثين يومًا"),
    ("ما هي مدة إرجاع المنتجات؟", "ar-returns.md", "ثلاثين يومًا"),
    ("هل يمكنني إرجاع المنتج بعد ثلاثين يومًا؟", "ar-returns.md", "ثلاثين يومًا"),
    ("كم يستغرق الشحن العادي؟", "ar-shipping.md", "خمسة أيام"),
]

# Questions on the documents' subjects that they do not answer.
UNANSWERABLE = [
    ("你们接受比特币付款吗？", "zh", "我不知道"),
    ("公司总部在哪个城市？", "zh", "我不知道"),
    ("加急配送周末送货吗？", "zh", "我不知道"),
    # Japanese with more kanji than kana: still Japanese (kana never appear in Chinese).
    ("会員登録にパスワードは必要ですか？", "ja", "わかりません"),
    ("회원 가입은 어떻게 하나요?", "ko", "모르겠습니다"),
    ("교환은 가능한가요?", "ko", "모르겠습니다"),
    ("هل تقبلون الدفع بالعملات الرقمية؟", "ar", "لا أعرف"),
    ("ما هي ساعات عمل فرع الرياض؟", "ar", "لا أعرف"),
]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("docs")
    for name, text in DOCUMENTS.items():
        (source / name).write_text(text, encoding="utf-8")
    data = tmp_path_factory.mktemp("data")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XIN_DATA_DIR", str(data))
        result = CliRunner().invoke(app, ["ingest", str(source)])
    assert result.exit_code == 0, result.output
    return data


def _ask(data_dir: Path, question: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv("XIN_DATA_DIR", str(data_dir))
    result = CliRunner().invoke(app, ["ask", question, "--json"])
    assert result.exit_code == 0, result.output
    body: dict[str, Any] = json.loads(result.output)
    return body


@pytest.mark.parametrize(("question", "document", "phrase"), ANSWERABLE)
def test_a_question_the_documents_answer_gets_the_sentence_and_its_citation(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, question: str, document: str, phrase: str
) -> None:
    body = _ask(data_dir, question, monkeypatch)
    assert body["grounded"] is True, body["answer"]
    assert phrase in body["answer"]
    assert "[1]" in body["answer"]
    assert body["citations"][0]["document_id"] == document


@pytest.mark.parametrize(("question", "language", "refusal"), UNANSWERABLE)
def test_a_question_the_documents_do_not_answer_gets_i_dont_know(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, question: str, language: str, refusal: str
) -> None:
    body = _ask(data_dir, question, monkeypatch)
    assert body["grounded"] is False, body["answer"]
    assert body["citations"] == []
    assert body["language"] == language
    assert body["answer"].startswith(refusal)
