"""Keyword search in Chinese, Japanese and Korean: unspaced CJK text is indexed and queried as
overlapping character bigrams, so a question shares terms with the passage that answers it
(FTS5's unicode61 tokenizer alone keeps a whole sentence as one token)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from xin.adapters.sqlite.database import Database
from xin.adapters.sqlite.store import SqliteVectorStore
from xin.domain import Chunk, DocumentRecord
from xin.rag.text import search_terms

PASSAGES = {
    "zh-returns": ("zh", "购买后三十天内可以退货。退货时请保留原始包装和收据。"),
    "zh-shipping": ("zh", "标准配送需要三到五个工作日。加急配送需要额外支付二十元。"),
    "ja-members": ("ja", "会員登録は無料です。登録にはメールアドレスとパスワードが必要です。"),
    "ko-exchange": ("ko", "교환은 상품 수령 후 14일 이내에 가능합니다. 영수증을 지참해 주세요."),
    "en-returns": ("en", "You can return items within thirty days of purchase."),
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteVectorStore]:
    database = Database(Path(tmp_path_factory.mktemp("cjk")) / "xin.db")
    store = SqliteVectorStore(database)
    rng = np.random.default_rng(5)
    for doc, (language, text) in PASSAGES.items():
        chunk = Chunk(f"{doc}:0", doc, "t", 0, text, language=language)
        record = DocumentRecord(doc, "t", f"{doc}.md", doc, "h", 1, 0.0)
        store.replace_document(record, [chunk], rng.standard_normal((1, 8)).astype(np.float32))
    yield store
    database.close()


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("退货需要多长时间？", "zh-returns"),
        ("加急配送多少钱？", "zh-shipping"),
        ("退货要保留收据吗", "zh-returns"),
        ("会員登録にパスワードは必要ですか？", "ja-members"),
        ("교환은 며칠 이내에 가능한가요?", "ko-exchange"),
        ("How many days to return an item?", "en-returns"),
    ],
)
def test_the_answering_passage_ranks_first(
    store: SqliteVectorStore, question: str, expected: str
) -> None:
    hits = store.keyword_search("t", question, 3)
    assert hits, question
    assert hits[0].chunk.document_id == expected


def test_an_unrelated_cjk_question_matches_nothing(store: SqliteVectorStore) -> None:
    assert store.keyword_search("t", "公司总部在哪个城市", 3) == []


def test_cjk_runs_become_bigrams_and_other_text_is_unchanged() -> None:
    assert search_terms("退货政策") == ["退货", "货政", "政策"]
    assert search_terms("iPhone手机") == ["iphone", "手机"]
    assert search_terms("钱") == ["钱"]
    assert search_terms("How do I deploy Xin?") == ["how", "do", "i", "deploy", "xin"]
