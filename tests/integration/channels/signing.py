"""Builds the exact requests each platform sends: raw body bytes plus signature headers."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any
from urllib.parse import urlencode

from tests.conftest import load_event
from tests.integration.channels.conftest import FIXTURE_TIME, SECRETS, TeamsKeys
from xin.channels.twilio import twilio_signature

Request = tuple[str, bytes, dict[str, str]]  # path, body, headers
TWILIO_URL = "http://testserver/webhooks/twilio"


def telegram(event: str = "telegram_message.json", *, secret: str | None = None) -> Request:
    body = json.dumps(load_event(event)).encode()
    token = SECRETS["telegram-webhook-secret"] if secret is None else secret
    headers = {"content-type": "application/json"}
    if token:
        headers["X-Telegram-Bot-Api-Secret-Token"] = token
    return "/webhooks/telegram", body, headers


def slack(
    event: str = "slack_event_message.json",
    *,
    timestamp: float = FIXTURE_TIME + 5,
    secret: str | None = None,
    retry: int | None = None,
    payload: dict[str, Any] | None = None,
) -> Request:
    body = json.dumps(payload if payload is not None else load_event(event)).encode()
    ts = str(int(timestamp))
    key = (SECRETS["slack-signing-secret"] if secret is None else secret).encode()
    digest = hmac.new(key, b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    headers = {
        "content-type": "application/json",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
    }
    if retry is not None:
        headers.update({"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"})
    return "/webhooks/slack", body, headers


def whatsapp(event: str = "whatsapp_text_message.json", *, secret: str | None = None) -> Request:
    body = json.dumps(load_event(event)).encode()
    key = (SECRETS["whatsapp-app-secret"] if secret is None else secret).encode()
    signature = "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()
    return (
        "/webhooks/whatsapp",
        body,
        {
            "content-type": "application/json",
            "X-Hub-Signature-256": signature,
        },
    )


def twilio(
    *, secret: str | None = None, url: str = TWILIO_URL, form: dict[str, str] | None = None
) -> Request:
    params = (
        form
        if form is not None
        else {str(k): str(v) for k, v in load_event("twilio_sms_form.json").items()}
    )
    token = SECRETS["twilio-auth-token"] if secret is None else secret
    return (
        "/webhooks/twilio",
        urlencode(params).encode(),
        {
            "content-type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": twilio_signature(token, url, params),
        },
    )


def teams_activity(service_url: str) -> dict[str, Any]:
    activity = load_event("teams_message_activity.json")
    activity["serviceUrl"] = service_url
    return activity


def teams(
    keys: TeamsKeys, service_url: str, *, activity: dict[str, Any] | None = None, **claims: Any
) -> Request:
    body = json.dumps(activity or teams_activity(service_url)).encode()
    token = keys.token(serviceurl=service_url, **claims)
    return (
        "/webhooks/teams",
        body,
        {
            "content-type": "application/json",
            "Authorization": f"Bearer {token}",
        },
    )
