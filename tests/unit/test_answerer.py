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


# -- questions in another language, and questions wrapped in small talk -----------------------

HELM_STEPS = hit(
    "On Kubernetes, Xin runs as one service. Install the Helm chart xin-platform with helm "
    "upgrade --install. Roll back with helm rollback.",
    dense=0.91,
    doc="deployment.md",
)


def test_a_question_in_another_language_is_answered_from_a_close_passage_with_a_lead_in() -> None:
    answer = ExtractiveAnswerer().answer(
        "Wie installiere ich Xin auf Kubernetes mit Helm?", [HELM_STEPS, LOCAL], "de", []
    )
    assert answer.grounded and answer.citations[0].document_id == "deployment.md"
    assert answer.text.startswith("Aus anderssprachigen Quellen:")
    assert "Install the Helm chart" in answer.text
    assert answer.language == "en"  # the quoted passage's language


def test_across_languages_a_weak_similarity_without_a_shared_topic_word_is_refused() -> None:
    moderate = hit("Bananas are yellow and grow in warm places.", dense=0.86)
    answer = ExtractiveAnswerer().answer("¿Cuál es la capital de Francia?", [moderate], "es", [])
    assert not answer.grounded and answer.text.startswith("No lo sé")


def test_across_languages_a_shared_name_lets_a_moderate_similarity_answer() -> None:
    moderate = hit("Install the Helm chart on Kubernetes with helm install.", dense=0.86)
    answered = ExtractiveAnswerer().answer(
        "Kubernetes'e Helm ile nasıl kurarım?", [moderate], "tr", []
    )
    assert answered.grounded
    unrelated = ExtractiveAnswerer().answer("Bugün hava nasıl?", [moderate], "tr", [])
    assert not unrelated.grounded


def test_small_talk_and_framing_words_do_not_decide_coverage() -> None:
    for question in (
        "OK sorry. How do I deploy Xin to Kubernetes?",
        "I forgot how to deploy Xin to Kubernetes, can you remind me?",
    ):
        answer = ExtractiveAnswerer().answer(question, [HELM, LOCAL], "en", [])
        assert answer.grounded, question
        assert "Helm chart" in answer.text


def test_hard_wrapped_lines_are_quoted_as_one_sentence() -> None:
    wrapped = hit(
        "Refunds are processed within 14 business days after the returned item arrives at our\n"
        "warehouse. Customers use form R-12.",
        dense=0.9,
        doc="refunds.md",
    )
    answer = ExtractiveAnswerer().answer(
        "How long do refunds take to process?", [wrapped], "en", []
    )
    assert "arrives at our warehouse. [1]" in answer.text
