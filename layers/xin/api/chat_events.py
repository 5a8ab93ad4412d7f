"""A chat turn as Server-Sent Events (``POST /chat`` with ``"stream": true``).

Events, each ``event: <name>`` + ``data: <JSON>``:

* ``delta`` ``{"text"}``: the next piece of the answer. Pieces of a streaming generator are
  sent as they pass the output guard (``xin.services.chat_stream``); an answer that was made
  whole (the extractive answerer, a refusal) is checked first and then sent sentence by
  sentence;
* ``replace`` ``{"text"}``: the final answer differs from the pieces sent (the output guard
  replaced a leaking answer, or citation markers were cleaned): show this text instead;
* ``done``: the same JSON body as a non-streamed ``/chat`` response (citations, ``blocked``…);
* ``error`` ``{"error": {"code", "message"}}``: the turn failed after streaming began.

The turn runs on a worker thread; the response starts only when its first event is ready, so
a failure before any text (a store outage, say) is still an ordinary HTTP error.
"""

from __future__ import annotations

import contextvars
import json
import queue
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any

from pydantic import BaseModel

from xin.errors import XinError
from xin.observability.logging import get_logger
from xin.services.chat import ChatReply

Ask = Callable[[Callable[[str], None]], ChatReply]
# A sentence, with the citation markers that follow it ("… image. [1] "), or a line.
_PIECE = re.compile(r".+?(?:[.!?؟。:](?:\s*\[\d+(?:,\s*\d+)*\])*(?=\s|$)|\n|$)\s*", re.DOTALL)


def sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def pieces(text: str) -> list[str]:
    """``text`` cut after sentence ends and line breaks; the pieces join back to ``text``."""
    return [m.group(0) for m in _PIECE.finditer(text) if m.group(0)]


class ReplyStream:
    def __init__(
        self,
        events: queue.Queue[tuple[str, Any]],
        first: tuple[str, Any],
        render: Callable[[ChatReply], BaseModel],
    ) -> None:
        self._events = events
        self._first = first
        self._render = render

    @classmethod
    def start(cls, ask: Ask, render: Callable[[ChatReply], BaseModel]) -> ReplyStream:
        """Run ``ask`` (given the ``on_delta`` callback) on a thread; wait for its first event
        and re-raise a failure that happens before any text was produced."""
        events: queue.Queue[tuple[str, Any]] = queue.Queue()

        def run() -> None:
            try:
                events.put(("done", ask(lambda text: events.put(("delta", text)))))
            except Exception as exc:  # reported as an HTTP error or an ``error`` event
                events.put(("error", exc))

        # The request's context (request id for logs, tracing) goes with the turn.
        context = contextvars.copy_context()
        threading.Thread(
            target=context.run, args=(run,), name="xin-chat-stream", daemon=True
        ).start()
        first = events.get()
        if first[0] == "error":
            raise first[1]
        return cls(events, first, render)

    def events(self) -> Iterator[str]:
        sent: list[str] = []
        kind, value = self._first
        while kind == "delta":
            sent.append(value)
            yield sse("delta", {"text": value})
            kind, value = self._events.get()
        if kind == "error":
            yield sse("error", {"error": _describe(value)})
            return
        reply: ChatReply = value
        text = reply.answer.text
        if not sent:
            for piece in pieces(text):
                yield sse("delta", {"text": piece})
        elif "".join(sent).strip() != text.strip():  # to_answer trims the ends
            yield sse("replace", {"text": text})
        yield sse("done", self._render(reply).model_dump(mode="json"))


def _describe(exc: BaseException) -> dict[str, str]:
    code = exc.code if isinstance(exc, XinError) else "internal_error"
    get_logger().error("chat stream failed", extra={"code": code})
    return {"code": code, "message": "The answer could not be completed. Try again."}
