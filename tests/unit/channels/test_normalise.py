"""Each platform's real payload normalised to one ``InboundMessage`` (no network)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest

from tests.conftest import load_event
from xin.channels.common import ChannelContext
from xin.channels.message import InboundMessage, WebhookRequest
from xin.channels.port import HttpResponse, WebhookRejected
from xin.channels.slack import SlackChannel
from xin.channels.teams import TeamsChannel
from xin.channels.telegram import TelegramChannel
from xin.channels.twilio import TwilioChannel, twiml_message
from xin.channels.whatsapp import WhatsAppChannel
from xin.config.channels import (
    SlackSettings,
    TeamsSettings,
    TelegramSettings,
    TwilioSettings,
    WhatsAppSettings,
)

NOW = 1763780005.0


class Secrets:
    def get(self, name: str) -> str:
        return f"value-of-{name}-0123456789"


class NoHttp:
    def request(self, method: str, url: str, **kwargs: Any) -> HttpResponse:
        raise AssertionError("parsing must not call out")


CTX = ChannelContext(secrets=Secrets(), http=NoHttp(), tenant="acme", clock=lambda: NOW)


def request(body: bytes, headers: Mapping[str, str] | None = None) -> WebhookRequest:
    return WebhookRequest("POST", "https://xin.example/webhooks/x", dict(headers or {}), {}, body)


def only(messages: tuple[InboundMessage, ...]) -> InboundMessage:
    assert len(messages) == 1
    return messages[0]


def test_telegram() -> None:
    body = json.dumps(load_event("telegram_message.json")).encode()
    message = only(TelegramChannel(TelegramSettings(), CTX).parse(request(body)).messages)
    assert (message.event_id, message.conversation_id, message.tenant) == (
        "10000471",
        "1111111",
        "acme",
    )
    assert message.text == "How do I deploy Xin to Kubernetes?"
    assert message.session_id == "telegram:1111111"


def test_slack() -> None:
    body = json.dumps(load_event("slack_event_message.json")).encode()
    message = only(SlackChannel(SlackSettings(), CTX).parse(request(body)).messages)
    assert message.event_id == "Ev0PV52K25"
    assert message.reply_to == {"channel": "D0PNCRP9N", "thread_ts": "1763780000.000200"}


def test_slack_mentions_are_stripped() -> None:
    payload = load_event("slack_event_message.json")
    payload["event"].update(type="app_mention", text="<@U0PNCHHK9> what is Xin?")
    message = only(
        SlackChannel(SlackSettings(), CTX).parse(request(json.dumps(payload).encode())).messages
    )
    assert message.text == "what is Xin?"


@pytest.mark.parametrize("skew", [-301, 301])
def test_slack_window_is_five_minutes_both_ways(skew: int) -> None:
    headers = {"x-slack-signature": "v0=00", "x-slack-request-timestamp": str(int(NOW) + skew)}
    with pytest.raises(WebhookRejected) as caught:
        SlackChannel(SlackSettings(), CTX).verify(request(b"{}", headers))
    assert caught.value.reason == "stale"


def test_whatsapp() -> None:
    body = json.dumps(load_event("whatsapp_text_message.json")).encode()
    message = only(WhatsAppChannel(WhatsAppSettings(), CTX).parse(request(body)).messages)
    assert message.event_id.startswith("wamid.")
    assert message.reply_to["phone_number_id"] == "106540352242922"
    assert message.sent_at == 1763780000.0


def test_twilio() -> None:
    from urllib.parse import urlencode

    form = {str(k): str(v) for k, v in load_event("twilio_sms_form.json").items()}
    parsed = TwilioChannel(TwilioSettings(), CTX).parse(request(urlencode(form).encode()))
    message = only(parsed.messages)
    assert message.event_id == "SM1f0e8ae6ade43cb3c0ce4525424e404f"
    assert message.reply_to == {"from": "+15017122661", "to": "+15558675310"}
    assert parsed.reply.media_type == "application/xml"


def test_twiml_escapes_the_answer() -> None:
    assert "<Message>a &lt;b&gt; &amp; c</Message>" in twiml_message("a <b> & c")


def test_teams() -> None:
    body = json.dumps(load_event("teams_message_activity.json")).encode()
    message = only(TeamsChannel(TeamsSettings(), CTX).parse(request(body)).messages)
    assert message.text == "How do I deploy Xin to Kubernetes?"  # the <at> mention removed
    assert message.reply_to["service_url"] == "https://smba.trafficmanager.net/emea/"
    assert message.sent_at == 1763780000.0


def test_teams_needs_an_app_id_when_enabled() -> None:
    with pytest.raises(ValueError, match="app_id"):
        TeamsSettings(enabled=True)
