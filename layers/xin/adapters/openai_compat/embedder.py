"""``Embedder`` over an OpenAI-compatible ``/embeddings`` endpoint."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from xin.adapters.openai_compat.http import GatewayClient
from xin.errors import InvalidRequest
from xin.ports import Matrix, Vector


class OpenAICompatEmbedder:
    def __init__(
        self,
        client: GatewayClient,
        model: str,
        *,
        dimensions: int | None = None,
        batch_size: int = 64,
        max_chars: int = 8000,
    ) -> None:
        self._client = client
        self._model = model
        self._requested = dimensions
        self._dimension = dimensions
        self._batch = batch_size
        self._max_chars = max_chars

    @property
    def model_id(self) -> str:
        return f"openai:{self._model}/{self.dimension}"

    @property
    def dimension(self) -> int:
        if self._dimension is None:  # ask the gateway once
            self._dimension = int(self._embed(["dimension probe"]).shape[1])
        return self._dimension

    def embed_query(self, text: str) -> Vector:
        vector: Vector = self._embed([text])[0]
        return vector

    def embed_documents(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        parts = [self._embed(texts[i : i + self._batch]) for i in range(0, len(texts), self._batch)]
        return np.vstack(parts)

    def _embed(self, texts: Sequence[str]) -> Matrix:
        body: dict[str, object] = {
            "model": self._model,
            "input": [t[: self._max_chars] or " " for t in texts],
            "encoding_format": "float",
        }
        if self._requested is not None:
            body["dimensions"] = self._requested
        data = self._client.post("embeddings", body).get("data", [])
        if len(data) != len(texts):
            raise InvalidRequest(
                f"the gateway returned {len(data)} embeddings for {len(texts)} texts"
            )
        ordered = sorted(data, key=lambda item: int(item.get("index", 0)))
        matrix = np.asarray([item["embedding"] for item in ordered], dtype=np.float32)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        unit = matrix / np.where(norms == 0, 1.0, norms)  # the port promises unit vectors
        return unit.astype(np.float32)
