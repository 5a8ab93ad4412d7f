"""Bedrock ``Embedder``s: Titan Text Embeddings v2 (256/512/1024 dimensions, normalised) and
Cohere Embed Multilingual v3 (1024 dimensions; documents and queries use different
``input_type``s), both through ``InvokeModel``."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from xin.adapters.bedrock.calls import Backoff, call
from xin.errors import ConfigurationError
from xin.ports import Matrix, Vector

TITAN_V2 = "amazon.titan-embed-text-v2:0"
COHERE_MULTILINGUAL_V3 = "cohere.embed-multilingual-v3"
TITAN_DIMENSIONS = (256, 512, 1024)
COHERE_BATCH = 96  # texts per call
COHERE_MAX_CHARS = 2048


def _unit(matrix: np.ndarray) -> Matrix:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    unit: Matrix = (matrix / np.where(norms == 0, 1.0, norms)).astype(np.float32)
    return unit


class _Invoker:
    def __init__(
        self, client: Any, model_id: str, backoff: Backoff, sleep: Callable[[float], None]
    ) -> None:
        self.client = client
        self.model = model_id
        self._backoff = backoff
        self._sleep = sleep

    def invoke(self, body: dict[str, Any]) -> dict[str, Any]:
        response = call(
            "embedding",
            lambda: self.client.invoke_model(
                modelId=self.model,
                body=json.dumps(body).encode(),
                contentType="application/json",
                accept="application/json",
            ),
            self._backoff,
            sleep=self._sleep,
        )
        data: dict[str, Any] = json.loads(response["body"].read())
        return data


class TitanEmbedder:
    """Titan v2 embeds one text per call; vectors are requested normalised."""

    def __init__(
        self,
        client: Any,
        *,
        model_id: str = TITAN_V2,
        dimensions: int = 1024,
        normalize: bool = True,
        max_chars: int = 30_000,
        backoff: Backoff | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if dimensions not in TITAN_DIMENSIONS:
            raise ConfigurationError("Titan v2 embeddings have 256, 512 or 1024 dimensions")
        self._invoker = _Invoker(client, model_id, backoff or Backoff(), sleep)
        self._dimensions = dimensions
        self._normalize = normalize
        self._max_chars = max_chars

    @property
    def model_id(self) -> str:
        return f"{self._invoker.model}/{self._dimensions}"

    @property
    def dimension(self) -> int:
        return self._dimensions

    def _one(self, text: str) -> list[float]:
        body = {
            "inputText": text[: self._max_chars] or " ",
            "dimensions": self._dimensions,
            "normalize": self._normalize,
            "embeddingTypes": ["float"],
        }
        data = self._invoker.invoke(body)
        vector = data.get("embeddingsByType", {}).get("float") or data["embedding"]
        return [float(x) for x in vector]

    def embed_query(self, text: str) -> Vector:
        vector: Vector = _unit(np.asarray([self._one(text)], dtype=np.float32))[0]
        return vector

    def embed_documents(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self._dimensions), dtype=np.float32)
        return _unit(np.asarray([self._one(t) for t in texts], dtype=np.float32))


class CohereEmbedder:
    """Cohere Embed Multilingual v3: up to 96 texts per call, ``search_document`` for
    chunks and ``search_query`` for questions (Persian included)."""

    DIMENSION = 1024

    def __init__(
        self,
        client: Any,
        *,
        model_id: str = COHERE_MULTILINGUAL_V3,
        batch_size: int = COHERE_BATCH,
        backoff: Backoff | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._invoker = _Invoker(client, model_id, backoff or Backoff(), sleep)
        self._batch = min(batch_size, COHERE_BATCH)

    @property
    def model_id(self) -> str:
        return f"{self._invoker.model}/{self.DIMENSION}"

    @property
    def dimension(self) -> int:
        return self.DIMENSION

    def _embed(self, texts: Sequence[str], input_type: str) -> Matrix:
        body = {
            "texts": [t[:COHERE_MAX_CHARS] or " " for t in texts],
            "input_type": input_type,
            "truncate": "END",
            "embedding_types": ["float"],
        }
        data = self._invoker.invoke(body)
        embeddings = data["embeddings"]
        if isinstance(embeddings, dict):  # embedding_types given: {"float": [[...]]}
            embeddings = embeddings["float"]
        return _unit(np.asarray(embeddings, dtype=np.float32))

    def embed_query(self, text: str) -> Vector:
        vector: Vector = self._embed([text], "search_query")[0]
        return vector

    def embed_documents(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.DIMENSION), dtype=np.float32)
        parts = [
            self._embed(texts[i : i + self._batch], "search_document")
            for i in range(0, len(texts), self._batch)
        ]
        return np.vstack(parts)
