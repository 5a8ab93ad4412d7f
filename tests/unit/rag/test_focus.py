"""Question focus: topic-less sentences and framing words do not decide what is asked."""

from __future__ import annotations

import pytest

from xin.rag.focus import is_frame_word, question_focus, topic_terms


@pytest.mark.parametrize(
    ("message", "focus"),
    [
        ("OK sorry. How do I deploy Xin to Kubernetes?", "How do I deploy Xin to Kubernetes?"),
        ("Thanks! That helped. And how do I run the tests?", "And how do I run the tests?"),
        ("Hallo! Danke. Wie installiere ich Xin?", "Wie installiere ich Xin?"),
        ("سلام. ببخشید. چگونه شین را نصب کنم؟", "چگونه شین را نصب کنم؟"),
        ("How do I deploy Xin?", "How do I deploy Xin?"),
        ("Thanks!", "Thanks!"),  # nothing but small talk: left alone
        ("I use Helm. How do I upgrade?", "I use Helm. How do I upgrade?"),  # both on topic
    ],
)
def test_focus_drops_only_topic_less_sentences(message: str, focus: str) -> None:
    assert question_focus(message) == focus


def test_framing_words_are_told_from_topic_words() -> None:
    assert topic_terms("I forgot how to add my own documents, can you remind me?") == [
        "add",
        "documents",
    ]
    assert is_frame_word("helped") and is_frame_word("Entschuldigung")
    assert not is_frame_word("kubernetes") and not is_frame_word("refund")
