"""Bedrock ``Generator`` through the Converse API (any Converse-capable model or inference
profile), with ConverseStream for token streaming."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from xin.adapters.bedrock.calls import Backoff, call, translate
from xin.adapters.grounded_prompt import Prompt, build_prompt, no_sources, to_answer
from xin.domain import Answer, SearchHit, Turn


class BedrockGenerator:
    def __init__(
        self,
        client: Any,
        model_id: str,
        *,
        max_tokens: int = 800,
        temperature: float = 0.2,
        backoff: Backoff | None = None,
        sleep: Callable[[float], None] = time.sleep,
        canary: str = "",
    ) -> None:
        self._canary = canary
        self._client = client
        self._model = model_id
        self._max_tokens = max_tokens
        self._temperature = temperature
        self._backoff = backoff or Backoff()
        self._sleep = sleep

    def _request(self, prompt: Prompt) -> dict[str, Any]:
        return {
            "modelId": self._model,
            "system": [{"text": prompt.system}],
            "messages": [
                {"role": role, "content": [{"text": text}]} for role, text in prompt.messages
            ],
            "inferenceConfig": {"maxTokens": self._max_tokens, "temperature": self._temperature},
        }

    def answer(
        self, question: str, hits: Sequence[SearchHit], language: str, history: Sequence[Turn]
    ) -> Answer:
        if not hits:
            return no_sources(language)
        request = self._request(
            build_prompt(question, hits, language, history, canary=self._canary)
        )
        response = call(
            "converse", lambda: self._client.converse(**request), self._backoff, sleep=self._sleep
        )
        blocks = response.get("output", {}).get("message", {}).get("content", [])
        text = "".join(block.get("text", "") for block in blocks)
        return to_answer(text, hits, language)

    def stream(
        self, question: str, hits: Sequence[SearchHit], language: str, history: Sequence[Turn]
    ) -> Iterator[str]:
        """Text deltas as the model writes them (ConverseStream)."""
        if not hits:
            yield no_sources(language).text
            return
        request = self._request(
            build_prompt(question, hits, language, history, canary=self._canary)
        )
        response = call(
            "converse stream",
            lambda: self._client.converse_stream(**request),
            self._backoff,
            sleep=self._sleep,
        )
        from botocore.exceptions import EventStreamError

        try:
            for event in response["stream"]:
                delta = event.get("contentBlockDelta", {}).get("delta", {})
                if "text" in delta:
                    yield delta["text"]
        except EventStreamError as exc:  # throttled or failed mid-stream
            raise translate("converse stream", exc) from exc

    def answer_streamed(
        self, question: str, hits: Sequence[SearchHit], language: str, history: Sequence[Turn]
    ) -> Answer:
        """The same ``Answer`` as :meth:`answer`, assembled from the stream."""
        if not hits:
            return no_sources(language)
        return to_answer("".join(self.stream(question, hits, language, history)), hits, language)
