"""A local HTTP server standing in for every platform API (and the action webhooks).

It records each request and answers the way the real API does (Telegram ``{"ok": true}``,
Slack ``{"ok": true}``, Graph ``{"messages": [...]}``, Twilio 201, Bot Framework token and
activity ids, OpenID metadata + JWKS). ``fail[path_prefix] = n`` makes the next ``n`` calls
to a path answer 503; ``delay_s`` slows every answer.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.integration.local_http import send_json, start_server


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode()))


@dataclass
class Receiver:
    base_url: str = ""
    requests: list[Recorded] = field(default_factory=list)
    fail: dict[str, int] = field(default_factory=dict)
    jwks: dict[str, Any] = field(default_factory=lambda: {"keys": []})
    delay_s: float = 0.0

    def calls(self, prefix: str, method: str = "POST") -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path.startswith(prefix)]

    def wait_for(self, prefix: str, timeout_s: float = 10.0) -> list[Recorded]:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            found = self.calls(prefix)
            if found:
                return found
            time.sleep(0.02)
        return []

    def answer(self, method: str, path: str) -> tuple[int, Any]:  # noqa: C901 - a route table
        for prefix, remaining in list(self.fail.items()):
            if path.startswith(prefix) and remaining > 0:
                self.fail[prefix] = remaining - 1
                return 503, {"error": "unavailable"}
        if path.endswith("/openidconfiguration"):
            return 200, {
                "issuer": "https://api.botframework.com",
                "jwks_uri": f"{self.base_url}/botframework/keys",
                "id_token_signing_alg_values_supported": ["RS256"],
            }
        if path == "/botframework/keys":
            return 200, self.jwks
        if path == "/botframework/token":
            return 200, {"token_type": "Bearer", "expires_in": 3599, "access_token": "bf-token"}
        if path.startswith("/telegram/bot"):
            return 200, {"ok": True, "result": {"message_id": 1366}}
        if path.startswith("/slack/"):
            return 200, {"ok": True, "channel": "D0PNCRP9N", "ts": "1763780001.000300"}
        if path.startswith("/graph/"):
            return 200, {"messaging_product": "whatsapp", "messages": [{"id": "wamid.OUT"}]}
        if path.startswith("/twilio/"):
            return 201, {"sid": "SM00000000000000000000000000000001", "status": "queued"}
        if "/v3/conversations/" in path:
            return 201, {"id": "1763780001000"}
        if path.startswith("/hooks/ticket"):
            return 201, {"id": "T-42"}
        if path.startswith("/hooks/"):
            return 200, {"ok": True}
        if path.startswith("/api/orders/"):
            return 200, {"order": path.rsplit("/", 1)[-1], "status": "shipped"}
        return 404, {"error": "no such path"}


def start_receiver() -> tuple[Receiver, ThreadingHTTPServer]:
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            path = urlsplit(self.path).path
            receiver.requests.append(
                Recorded(
                    self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
                )
            )
            if receiver.delay_s:
                time.sleep(receiver.delay_s)
            status, payload = receiver.answer(self.command, path)
            send_json(self, status, payload)

        do_GET = do_POST = _handle  # noqa: N815

        def log_message(self, *args: Any) -> None:
            return

    server, receiver.base_url = start_server(Handler)
    return receiver, server
