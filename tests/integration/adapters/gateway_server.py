"""A scripted OpenAI-compatible gateway on 127.0.0.1 (stdlib http.server in a thread)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.integration.local_http import send_json, serving


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: Any


class Gateway:
    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.seen: list[Seen] = []
        self.embedding_dimension = 4
        self.url = ""

    def script(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def default(self, path: str, body: Any) -> Reply:
        if path.endswith("/embeddings"):
            data = [
                {
                    "object": "embedding",
                    "index": i,
                    "embedding": [float(len(text)), 1.0, 0.0, 0.0][: self.embedding_dimension],
                }
                for i, text in enumerate(body["input"])
            ]
            return Reply(
                body={"object": "list", "data": list(reversed(data)), "model": body["model"]}
            )
        return Reply(
            body={
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": "Use Helm [1]."},
                        "finish_reason": "stop",
                    }
                ],
            }
        )


def _handler(gateway: Gateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", 0))
            body = json.loads(self.rfile.read(length) or b"null")
            gateway.seen.append(
                Seen(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            )
            reply = gateway.replies.pop(0) if gateway.replies else gateway.default(self.path, body)
            if reply.body is None and reply.status == 200:  # scripted delay, default body
                reply = Reply(body=gateway.default(self.path, body).body, delay_s=reply.delay_s)
            time.sleep(reply.delay_s)
            body_out = reply.body if reply.body is not None else {}
            send_json(self, reply.status, body_out, reply.headers)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@contextmanager
def running_gateway() -> Iterator[Gateway]:
    gateway = Gateway()
    with serving(_handler(gateway)) as base_url:
        gateway.url = f"{base_url}/v1"
        yield gateway
