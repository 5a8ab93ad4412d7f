from __future__ import annotations

from xin.domain import Chunk, SearchHit
from xin.rag.answerer import ExtractiveAnswerer


def hit(text: str, *, dense: float, doc: str = "guide.md", language: str = "en") -> SearchHit:
    chunk = Chunk(
        chunk_id=f"{doc}:{abs(hash(text))}",
        document_id=doc,
        tenant="t",
        ordinal=0,
        text=text,
        heading_path=("Guide",),
        language=language,
    )
    return SearchHit(
        chunk=chunk, score=0.03, document_title=doc, source=doc, scores={"dense": dense}
    )


HELM = hit(
    "To deploy Xin to Kubernetes, install the Helm chart xin-platform. "
    "The chart runs the API as one service. Bananas are unrelated here.",
    dense=0.86,
    doc="deployment.md",
)
LOCAL = hit("Run make run to serve Xin on your laptop without any cloud account.", dense=0.8)


def test_answers_with_the_covering_sentence_and_a_numbered_citation() -> None:
    answer = ExtractiveAnswerer().answer(
        "How do I deploy Xin to Kubernetes?", [HELM, LOCAL], "en", []
    )
    assert answer.grounded
    assert answer.text.startswith("To deploy Xin to Kubernetes, install the Helm chart")
    assert "[1]" in answer.text
    assert answer.citations[0].document_id == "deployment.md"
    assert "Bananas" not in answer.text


def test_refuses_when_nothing_covers_the_question() -> None:
    answer = ExtractiveAnswerer().answer("What is the capital of France?", [HELM, LOCAL], "en", [])
    assert not answer.grounded
    assert answer.citations == ()
    assert answer.text.startswith("I don't know")


def test_refuses_in_the_question_language() -> None:
    answer = ExtractiveAnswerer().answer("پایتخت فرانسه کجاست؟", [HELM], "fa", [])
    assert not answer.grounded
    assert answer.text.startswith("نمی‌دانم")


def test_refuses_without_hits() -> None:
    assert not ExtractiveAnswerer().answer("anything at all?", [], "en", []).grounded


def test_low_similarity_is_not_enough_even_with_word_overlap() -> None:
    weak = hit("Deploy the Kubernetes cluster of bananas.", dense=0.70)
    assert not ExtractiveAnswerer().answer("How do I deploy Kubernetes?", [weak], "en", []).grounded


def test_prefers_sources_in_the_question_language() -> None:
    persian = hit(
        "برای نصب شین فرمان make run را اجرا کنید.",
        dense=0.87,
        doc="fa/quickstart.md",
        language="fa",
    )
    english = hit("To install Xin run make run.", dense=0.9, doc="quickstart.md")
    answer = ExtractiveAnswerer().answer("چگونه شین را نصب کنم؟", [english, persian], "fa", [])
    assert answer.grounded
    assert answer.citations[0].document_id == "fa/quickstart.md"
    assert answer.language == "fa"
