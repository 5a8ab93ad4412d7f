"""The chat use case: detect language, retrieve, answer with citations, remember the turn."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from xin.domain import Answer, Turn
from xin.ports import ConversationStore, Generator, LanguageDetector, Retriever
from xin.rag.language import UNDETERMINED
from xin.rag.text import content_terms

_FOLLOW_UP_TERMS = 2


@dataclass(frozen=True, slots=True)
class ChatReply:
    answer: Answer
    session_id: str
    language: str


class ChatService:
    def __init__(
        self,
        retriever: Retriever,
        generator: Generator,
        conversations: ConversationStore,
        detector: LanguageDetector,
        *,
        top_k: int = 5,
        history_turns: int = 6,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._retriever = retriever
        self._generator = generator
        self._conversations = conversations
        self._detector = detector
        self._top_k = top_k
        self._history_turns = history_turns
        self._clock = clock

    def ask(
        self,
        message: str,
        *,
        tenant: str,
        session_id: str | None = None,
        filters: Mapping[str, str] | None = None,
    ) -> ChatReply:
        session = session_id or uuid.uuid4().hex
        history = self._conversations.history(tenant, session, self._history_turns)
        language = self._detector.detect(message)
        if language == UNDETERMINED:
            language = _last_language(history)
        query = _retrieval_query(message, history)
        hits = self._retriever.retrieve(tenant, query, self._top_k, filters)
        answer = self._generator.answer(message, hits, language, history)
        now = self._clock()
        self._conversations.append(
            tenant, session, Turn("user", message, now, {"language": language})
        )
        self._conversations.append(
            tenant,
            session,
            Turn(
                "assistant", answer.text, now, {"citations": [c.chunk_id for c in answer.citations]}
            ),
        )
        return ChatReply(answer=answer, session_id=session, language=language)


def _retrieval_query(message: str, history: list[Turn]) -> str:
    """A short follow-up ("and on Kubernetes?") borrows the previous question's words."""
    if len(content_terms(message)) > _FOLLOW_UP_TERMS:
        return message
    previous = next((t.text for t in reversed(history) if t.role == "user"), "")
    return f"{previous} {message}".strip()


def _last_language(history: list[Turn]) -> str:
    for turn in reversed(history):
        language = turn.meta.get("language")
        if turn.role == "user" and isinstance(language, str):
            return language
    return "en"
