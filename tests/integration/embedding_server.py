"""A tiny OpenAI-compatible ``/v1/embeddings`` server on 127.0.0.1 for tests.

Vectors are deterministic bags of hashed words, salted by the model name: texts sharing words
are close under one model, and two models give unrelated vectors for the same text (which is
what makes an index built with one of them useless to the other). ``dimensions`` in the
request is honoured, otherwise ``default_dimension`` (384, as e5-small and MiniLM).

Use it with ``XIN_EMBEDDING__PROVIDER=openai``, ``XIN_EMBEDDING__MODEL=<name>``,
``XIN_OPENAI__BASE_URL=<server.url>`` and ``XIN_SECRET_OPENAI_API_KEY=<anything>``
(see :meth:`EmbeddingServer.environment`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from typing import Any

import numpy as np

from tests.integration.local_http import send_json, serving

API_KEY = "test-embedding-key"
_WORD = re.compile(r"\w+")


def embed(text: str, model: str, dimension: int) -> np.ndarray:
    """The unit vector the server returns for ``text`` under ``model``."""
    vector = np.zeros(dimension, dtype=np.float64)
    for word in _WORD.findall(text.lower()):
        digest = hashlib.blake2b(f"{model}\x1f{word}".encode(), digest_size=8).digest()
        slot = int.from_bytes(digest[:4], "little") % dimension
        vector[slot] += 1.0 if digest[4] & 1 else -1.0
    norm = float(np.linalg.norm(vector))
    return (vector / norm if norm else vector).astype(np.float32)


class EmbeddingServer:
    def __init__(self, default_dimension: int = 384) -> None:
        self.default_dimension = default_dimension
        self.url = ""
        self.requests: list[dict[str, Any]] = []  # request bodies, in order

    def environment(self, model: str, dimensions: int | None = None) -> dict[str, str]:
        """The XIN_* variables that make Xin embed with ``model`` on this server."""
        env = {
            "XIN_EMBEDDING__PROVIDER": "openai",
            "XIN_EMBEDDING__MODEL": model,
            "XIN_OPENAI__BASE_URL": self.url,
            "XIN_SECRET_OPENAI_API_KEY": API_KEY,
        }
        if dimensions is not None:
            env["XIN_EMBEDDING__DIMENSIONS"] = str(dimensions)
        return env

    def reply(self, body: dict[str, Any]) -> dict[str, Any]:
        model = str(body["model"])
        dimension = int(body.get("dimensions") or self.default_dimension)
        data = [
            {"object": "embedding", "index": i, "embedding": embed(text, model, dimension).tolist()}
            for i, text in enumerate(body["input"])
        ]
        return {"object": "list", "data": data, "model": model}


def _handler(server: EmbeddingServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            server.requests.append(body)
            if self.path.rstrip("/") != "/v1/embeddings":
                status, reply = 404, {"error": {"message": f"no route {self.path}"}}
            elif self.headers.get("authorization") != f"Bearer {API_KEY}":
                status, reply = 401, {"error": {"message": "bad api key"}}
            else:
                status, reply = 200, server.reply(body)
            send_json(self, status, reply)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@contextmanager
def running_embedding_server(default_dimension: int = 384) -> Iterator[EmbeddingServer]:
    server = EmbeddingServer(default_dimension)
    with serving(_handler(server)) as base_url:
        server.url = f"{base_url}/v1"
        yield server
