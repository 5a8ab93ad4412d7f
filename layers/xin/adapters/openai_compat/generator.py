"""``Generator`` over an OpenAI-compatible ``/chat/completions`` endpoint."""

from __future__ import annotations

from collections.abc import Sequence

from xin.adapters.grounded_prompt import build_prompt, no_sources, to_answer
from xin.adapters.openai_compat.http import GatewayClient
from xin.domain import Answer, SearchHit, Turn
from xin.errors import InvalidRequest


class OpenAICompatGenerator:
    def __init__(
        self,
        client: GatewayClient,
        model: str,
        *,
        max_tokens: int = 800,
        temperature: float = 0.2,
        canary: str = "",
    ) -> None:
        self._canary = canary
        self._client = client
        self._model = model
        self._max_tokens = max_tokens
        self._temperature = temperature

    def answer(
        self, question: str, hits: Sequence[SearchHit], language: str, history: Sequence[Turn]
    ) -> Answer:
        if not hits:
            return no_sources(language)
        prompt = build_prompt(question, hits, language, history, canary=self._canary)
        messages = [{"role": "system", "content": prompt.system}]
        messages += [{"role": role, "content": text} for role, text in prompt.messages]
        reply = self._client.post(
            "chat/completions",
            {
                "model": self._model,
                "messages": messages,
                "max_tokens": self._max_tokens,
                "temperature": self._temperature,
            },
        )
        try:
            text = reply["choices"][0]["message"]["content"] or ""
        except (KeyError, IndexError, TypeError):
            raise InvalidRequest("the gateway's reply has no message") from None
        return to_answer(str(text), hits, language)
