"""``Reranker`` through Bedrock Agent Runtime ``Rerank`` (e.g. Cohere Rerank 3.5 or Amazon
Rerank 1.0): the hits' texts are sent inline and come back ordered by relevance."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from xin.adapters.bedrock.calls import Backoff, call
from xin.domain import SearchHit

MAX_SOURCES = 1000


class BedrockReranker:
    def __init__(
        self,
        client: Any,
        model_arn: str,
        *,
        max_chars: int = 4000,
        backoff: Backoff | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._client = client
        self._model_arn = model_arn
        self._max_chars = max_chars
        self._backoff = backoff or Backoff()
        self._sleep = sleep

    def rerank(self, query: str, hits: Sequence[SearchHit], top_n: int) -> list[SearchHit]:
        if not hits or top_n <= 0:
            return []
        candidates = list(hits[:MAX_SOURCES])
        request = {
            "queries": [{"type": "TEXT", "textQuery": {"text": query}}],
            "sources": [
                {
                    "type": "INLINE",
                    "inlineDocumentSource": {
                        "type": "TEXT",
                        "textDocument": {"text": _text(hit)[: self._max_chars]},
                    },
                }
                for hit in candidates
            ],
            "rerankingConfiguration": {
                "type": "BEDROCK_RERANKING_MODEL",
                "bedrockRerankingConfiguration": {
                    "numberOfResults": min(top_n, len(candidates)),
                    "modelConfiguration": {"modelArn": self._model_arn},
                },
            },
        }
        response = call(
            "rerank", lambda: self._client.rerank(**request), self._backoff, sleep=self._sleep
        )
        ranked = []
        for result in response.get("results", []):
            hit = candidates[int(result["index"])]
            score = float(result["relevanceScore"])
            ranked.append(replace(hit, score=score, scores={**hit.scores, "rerank": score}))
        return ranked[:top_n]


def _text(hit: SearchHit) -> str:
    return "\n".join(p for p in (hit.document_title, hit.chunk.heading, hit.chunk.text) if p)
