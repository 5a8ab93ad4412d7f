"""The chat use case: detect language, retrieve, answer with citations, remember the turn."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from xin.domain import Answer, Turn
from xin.ports import ConversationStore, Generator, LanguageDetector, Retriever
from xin.rag.focus import question_focus, topic_terms
from xin.rag.language import UNDETERMINED
from xin.services.chat_stream import StreamingGenerator, stream_checked

if TYPE_CHECKING:
    from xin.actions.engine import ActionEngine
    from xin.services.safety import SafetyService

_FOLLOW_UP_TERMS = 2


@dataclass(frozen=True, slots=True)
class ChatReply:
    answer: Answer
    session_id: str
    language: str
    blocked: bool = False  # the input guard refused the message (``answer`` is the refusal)


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
        safety: SafetyService | None = None,
        actions: ActionEngine | None = None,
    ) -> None:
        self._retriever = retriever
        self._generator = generator
        self._conversations = conversations
        self._detector = detector
        self._top_k = top_k
        self._history_turns = history_turns
        self._clock = clock
        self._safety = safety
        self._actions = actions  # runs only for callers that name their channel

    def ask(
        self,
        message: str,
        *,
        tenant: str,
        session_id: str | None = None,
        filters: Mapping[str, str] | None = None,
        channel: str | None = None,
        user_id: str = "",
        on_delta: Callable[[str], None] | None = None,
    ) -> ChatReply:
        """``channel`` (e.g. "api") lets the action engine act on the message first (hand-off,
        ticket, a pending confirmation); channel workers run the engine themselves.
        ``on_delta`` receives a streaming generator's answer piece by piece, each checked by
        the output guard and masked first (``xin.services.chat_stream``)."""
        session = session_id or uuid.uuid4().hex
        act = {"channel": channel, "user_id": user_id}
        # At least one turn is read: its meta carries the session's redaction mapping.
        stored = self._conversations.history(tenant, session, max(self._history_turns, 1))
        history = stored[-self._history_turns :] if self._history_turns else []
        language = self._detector.detect(message)
        if language == UNDETERMINED:
            language = _last_language(history)
        if self._safety is not None:
            return self._ask_safely(
                message,
                tenant=tenant,
                session=session,
                filters=filters,
                stored=stored,
                history=history,
                language=language,
                act=act,
                on_delta=on_delta,
            )
        answer = self._act(message, tenant, session, language, **act) or self._generate(
            message, tenant, filters, history, language
        )
        now = self._clock()
        citations = [c.chunk_id for c in answer.citations]
        self._conversations.append_turns(  # one write: the question never lands without its answer
            tenant,
            session,
            (
                Turn("user", message, now, {"language": language}),
                Turn("assistant", answer.text, now, {"citations": citations}),
            ),
        )
        return ChatReply(answer=answer, session_id=session, language=language)

    def _ask_safely(
        self,
        message: str,
        *,
        tenant: str,
        session: str,
        filters: Mapping[str, str] | None,
        stored: list[Turn],
        history: list[Turn],
        language: str,
        act: dict[str, str | None],
        on_delta: Callable[[str], None] | None = None,
    ) -> ChatReply:
        """Input guard → retrieval → generator → output guard → redacted reply and transcript."""
        from xin.services.safety import BLOCKED_PLACEHOLDER, PII_MAP_KEY

        safety = self._safety
        assert safety is not None
        redactor = safety.for_session(tenant, session, stored)
        checked = safety.check_input(message, tenant=tenant, language=language, history=history)
        user_meta: dict[str, object] = {"language": language}
        if checked.verdict is not None and checked.verdict.action != "allow":
            user_meta["guard"] = checked.verdict.action
            user_meta["guard_reasons"] = list(checked.verdict.reasons)
        if checked.refusal is not None:
            answer = checked.refusal
            user_text = BLOCKED_PLACEHOLDER  # an attack is never replayed into later prompts
        elif (acted := self._act(message, tenant, session, language, **act)) is not None:
            answer = acted
            user_text = safety.transcript_text(message, redactor, tenant=tenant)
        else:
            query = _retrieval_query(message, history)
            hits = self._retriever.retrieve(tenant, query, self._top_k, filters)
            if on_delta is not None and isinstance(self._generator, StreamingGenerator):
                # Streamed pieces pass the leak checks and masking before they leave.
                answer = stream_checked(
                    self._generator, message, hits, language, history,
                    safety=safety, tenant=tenant, redactor=redactor, emit=on_delta,
                )  # fmt: skip
            else:
                answer = self._generator.answer(message, hits, language, history)
            answer = safety.check_output(answer, hits, tenant=tenant, language=language)
            answer = safety.redact_response(answer, hits, redactor, tenant=tenant)
            user_text = safety.transcript_text(message, redactor, tenant=tenant)
        assistant_text = safety.transcript_text(answer.text, redactor, tenant=tenant)
        now = self._clock()
        user_meta[PII_MAP_KEY] = redactor.saved
        assistant_meta = {
            "citations": [c.chunk_id for c in answer.citations],
            PII_MAP_KEY: redactor.saved,
        }
        self._conversations.append_turns(
            tenant,
            session,
            (
                Turn("user", user_text, now, user_meta),
                Turn("assistant", assistant_text, now, assistant_meta),
            ),
        )
        blocked = checked.refusal is not None
        return ChatReply(answer=answer, session_id=session, language=language, blocked=blocked)

    def _generate(
        self,
        message: str,
        tenant: str,
        filters: Mapping[str, str] | None,
        history: list[Turn],
        language: str,
    ) -> Answer:
        query = _retrieval_query(message, history)
        hits = self._retriever.retrieve(tenant, query, self._top_k, filters)
        return self._generator.answer(message, hits, language, history)

    def _act(
        self,
        message: str,
        tenant: str,
        session: str,
        language: str,
        *,
        channel: str | None,
        user_id: str | None,
    ) -> Answer | None:
        """The action engine's reply (a confirmation prompt, an outcome), or None to answer."""
        if self._actions is None or channel is None:
            return None
        from xin.actions.base import ActionContext

        ctx = ActionContext(tenant, channel, session, user_id or "", message)
        reply = self._actions.handle(ctx)
        return None if reply is None else Answer(reply, (), language, grounded=False)


def _retrieval_query(message: str, history: list[Turn]) -> str:
    """The message's focus ("OK sorry. How do I…" → "How do I…"); a short follow-up ("and on
    Kubernetes?") borrows the previous question's words (never a blocked message's)."""
    focused = question_focus(message)
    if len(topic_terms(focused)) > _FOLLOW_UP_TERMS:
        return focused
    previous = next(
        (
            question_focus(t.text)
            for t in reversed(history)
            if t.role == "user" and t.meta.get("guard") != "block"
        ),
        "",
    )
    return f"{previous} {focused}".strip()


def _last_language(history: list[Turn]) -> str:
    for turn in reversed(history):
        language = turn.meta.get("language")
        if turn.role == "user" and isinstance(language, str):
            return language
    return "en"
