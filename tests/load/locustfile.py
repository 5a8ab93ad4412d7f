"""Locust scenarios for a running Xin: chat, ingestion, health/metrics, and a mixed profile.

    LOAD_HOST=http://127.0.0.1:8000 LOAD_PROFILE=mixed LOAD_WEIGHTS=chat=8,ingest=1,health=1 \
        locust -f tests/load/locustfile.py --headless -u 25 -r 5 -t 60s --csv results/load

``make load`` starts a server on a fresh copy of the sample knowledge base and runs this
headless (``python -m tests.load.run_load``). The variables are described in
``tests/load/scenarios.py``; the profile decides which user classes run and with what weight.

- ``ChatUser``: English and Persian questions, a quarter of them multi-turn conversations
  that carry the ``session_id`` of the previous answer (reported as ``/chat (follow-up)``).
- ``IngestUser``: small Markdown documents, as JSON text and as multipart uploads, into the
  ``LOAD_TENANT`` tenant so the sample knowledge base the chat users search stays the same.
- ``HealthUser``: ``/health`` and ``/metrics``, what probes and scrapers do.
"""

from __future__ import annotations

import itertools
import random
import uuid
from typing import Any

from locust import HttpUser, between, task

from tests.load.scenarios import CONVERSATIONS, QUESTIONS, load_config, small_document

CONFIG = load_config()
WEIGHTS = CONFIG.scenario_weights()
_RUN = uuid.uuid4().hex[:8]
_DOCUMENTS = itertools.count()


def _check_chat(response: Any) -> str | None:
    """Mark the response failed unless it is a 200 with an answer; return its session id."""
    if response.status_code != 200:
        response.failure(f"HTTP {response.status_code}: {response.text[:200]}")
        return None
    try:
        body = response.json()
    except ValueError:
        response.failure("the reply is not JSON")
        return None
    if not isinstance(body.get("answer"), str) or not body.get("session_id"):
        response.failure("the reply has no answer or no session_id")
        return None
    response.success()
    return str(body["session_id"])


class ChatUser(HttpUser):
    abstract = "chat" not in WEIGHTS
    weight = WEIGHTS.get("chat", 1)
    host = CONFIG.host
    wait_time = between(0.2, 1.0)

    @task(3)
    def ask(self) -> None:
        question = random.choice(QUESTIONS)
        with self.client.post("/chat", json={"message": question}, catch_response=True) as r:
            _check_chat(r)

    @task(1)
    def conversation(self) -> None:
        session: str | None = None
        for turn, message in enumerate(random.choice(CONVERSATIONS)):
            payload: dict[str, str] = {"message": message}
            if session is not None:
                payload["session_id"] = session
            name = "/chat" if turn == 0 else "/chat (follow-up)"
            with self.client.post("/chat", json=payload, name=name, catch_response=True) as r:
                session = _check_chat(r)
            if session is None:
                return


class IngestUser(HttpUser):
    abstract = "ingest" not in WEIGHTS
    weight = WEIGHTS.get("ingest", 1)
    host = CONFIG.host
    wait_time = between(0.5, 2.0)

    def _expect_indexed(self, response: Any) -> None:
        if response.status_code not in (200, 201):
            response.failure(f"HTTP {response.status_code}: {response.text[:200]}")
        elif response.json().get("status") not in ("indexed", "skipped"):
            response.failure(f"unexpected status {response.json().get('status')!r}")
        else:
            response.success()

    @task(2)
    def ingest_text(self) -> None:
        n = next(_DOCUMENTS)
        title, text = small_document(n)
        payload = {
            "title": title,
            "text": text,
            "document_id": f"load-{_RUN}-{n}",
            "tenant": CONFIG.tenant,
        }
        with self.client.post(
            "/ingest", json=payload, name="/ingest (json)", catch_response=True
        ) as r:
            self._expect_indexed(r)

    @task(1)
    def ingest_upload(self) -> None:
        n = next(_DOCUMENTS)
        title, text = small_document(n, paragraphs=5)
        files = {"file": (f"note-{_RUN}-{n}.md", f"# {title}\n\n{text}".encode(), "text/markdown")}
        data = {"tenant": CONFIG.tenant}
        with self.client.post(
            "/ingest", files=files, data=data, name="/ingest (upload)", catch_response=True
        ) as r:
            self._expect_indexed(r)


class HealthUser(HttpUser):
    abstract = "health" not in WEIGHTS
    weight = WEIGHTS.get("health", 1)
    host = CONFIG.host
    wait_time = between(0.5, 1.5)

    @task(3)
    def health(self) -> None:
        with self.client.get("/health", catch_response=True) as r:
            if r.status_code != 200 or r.json().get("status") != "ok":
                r.failure(f"HTTP {r.status_code}: {r.text[:200]}")

    @task(1)
    def metrics(self) -> None:
        with self.client.get("/metrics", catch_response=True) as r:
            if r.status_code != 200 or "# TYPE" not in r.text:
                r.failure(f"HTTP {r.status_code}: no Prometheus exposition")
