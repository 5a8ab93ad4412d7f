"""``http`` mode: /health, /metrics, /chat and (``--ingest``) the ingestion status endpoint."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from .report import Report

QUESTION = "How do I deploy Xin to Kubernetes?"
FINAL_STATES = {"indexed", "failed", "deleted"}


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


def request(
    url: str,
    *,
    method: str = "GET",
    payload: Any = None,
    api_key: str | None = None,
    timeout: float = 30.0,
) -> Response:
    data = json.dumps(payload).encode() if payload is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("accept", "application/json")
    if data is not None:
        req.add_header("content-type", "application/json")
    if api_key:
        req.add_header("x-api-key", api_key)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return Response(
                resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
            )
    except urllib.error.HTTPError as exc:
        return Response(exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read())


def _short(body: bytes) -> str:
    return body[:300].decode("utf-8", "replace")


def check_health(report: Report, base: str, api_key: str | None) -> bool:
    try:
        resp = request(f"{base}/health", api_key=api_key)
        body = resp.json()
    except (OSError, ValueError) as exc:
        return report.record("health", False, f"GET /health failed: {exc}")
    ok = resp.status == 200 and body.get("status") == "ok"
    return report.record("health", ok, f"GET /health -> {resp.status} {body}", body)


def check_metrics(report: Report, base: str, api_key: str | None) -> bool:
    try:
        resp = request(f"{base}/metrics", api_key=api_key)
    except OSError as exc:
        return report.record("metrics", False, f"GET /metrics failed: {exc}")
    text = resp.body.decode("utf-8", "replace")
    ok = resp.status == 200 and "xin_requests_total" in text
    detail = f"GET /metrics -> {resp.status}, {len(text.splitlines())} lines"
    return report.record("metrics", ok, detail if ok else f"{detail}: {_short(resp.body)}")


def check_chat(report: Report, base: str, api_key: str | None, question: str) -> bool:
    try:
        resp = request(
            f"{base}/chat", method="POST", payload={"message": question}, api_key=api_key
        )
        body = resp.json()
    except (OSError, ValueError) as exc:
        return report.record("chat", False, f"POST /chat failed: {exc}")
    answer = body.get("answer") if isinstance(body, dict) else None
    request_id = body.get("request_id") if isinstance(body, dict) else None
    ok = (
        resp.status == 200
        and isinstance(answer, str)
        and bool(answer.strip())
        and bool(request_id)
        and resp.headers.get("x-request-id") == request_id
    )
    cited = len(body.get("citations", [])) if isinstance(body, dict) else 0
    detail = f"POST /chat -> {resp.status}, request_id={request_id}, {cited} citation(s)"
    return report.record("chat", ok, detail if ok else f"{detail}: {_short(resp.body)}", body)


def check_ingest(
    report: Report,
    base: str,
    api_key: str | None,
    *,
    document_id: str,
    wait_s: float,
    interval_s: float = 2.0,
) -> bool:
    """Poll GET /ingest/{document_id} until a final state, at most ``wait_s`` seconds."""
    url = f"{base}/ingest/{urllib.parse.quote(document_id, safe='/')}"
    deadline = time.monotonic() + wait_s
    last = "no response"
    while True:
        try:
            resp = request(url, api_key=api_key)
            body = resp.json()
            state = body.get("state") if resp.status == 200 else None
            last = f"{resp.status} state={state}" if state else f"{resp.status} {_short(resp.body)}"
            if state in FINAL_STATES:
                ok = state == "indexed"
                detail = f"{document_id}: {state} ({body.get('chunk_count')} chunks)"
                return report.record(
                    "ingest", ok, detail if ok else f"{detail}: {body.get('reason')}", body
                )
        except (OSError, ValueError) as exc:
            last = str(exc)
        if time.monotonic() >= deadline:
            return report.record(
                "ingest", False, f"{document_id}: not indexed after {wait_s:g}s (last: {last})"
            )
        report.log(f"waiting for {document_id}: {last}")
        time.sleep(interval_s)


def run_http(
    report: Report,
    base: str,
    *,
    api_key: str | None,
    question: str,
    ingest: str | None,
    ingest_wait: float,
) -> None:
    base = base.rstrip("/")
    report.log(f"http smoke against {base}")
    if not check_health(report, base, api_key):
        return  # nothing else can pass
    check_metrics(report, base, api_key)
    check_chat(report, base, api_key, question)
    if ingest:
        check_ingest(report, base, api_key, document_id=ingest, wait_s=ingest_wait)
