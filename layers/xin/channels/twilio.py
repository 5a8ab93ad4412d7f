"""Twilio Messaging webhooks (SMS and WhatsApp through Twilio).

Verification: ``X-Twilio-Signature = base64(HMAC-SHA1(auth_token, URL + each POST param
name+value, names sorted))`` where URL is the full public URL Twilio called (set
``channels.public_base_url`` behind API Gateway or a proxy). Twilio signs no timestamp:
replays are caught by ``MessageSid``. Reply: an empty TwiML ``<Response/>`` now and the
answer through ``POST /2010-04-01/Accounts/{sid}/Messages.json`` (``reply_mode: api``), or
the answer inline as ``<Response><Message>`` (``reply_mode: twiml``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import parse_qsl, urlsplit
from xml.sax.saxutils import escape

from xin.channels.common import ChannelContext, reject, same
from xin.channels.message import InboundMessage, Parsed, WebhookReply, WebhookRequest
from xin.config.channels import TwilioSettings
from xin.errors import ConfigurationError

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
TWIML = "application/xml"


def twilio_signature(auth_token: str, url: str, params: dict[str, str]) -> str:
    payload = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def twiml_message(text: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<Response><Message>{escape(text)}</Message></Response>"
    )


class TwilioChannel:
    name = "twilio"

    def __init__(self, settings: TwilioSettings, context: ChannelContext) -> None:
        self._settings = settings
        self._ctx = context

    @property
    def inline(self) -> bool:
        return self._settings.reply_mode == "twiml"

    def _public_url(self, request: WebhookRequest) -> str:
        base = self._ctx.public_base_url
        if not base:
            return request.url
        parts = urlsplit(request.url)
        return base.rstrip("/") + parts.path + (f"?{parts.query}" if parts.query else "")

    def verify(self, request: WebhookRequest) -> None:
        signature = request.header("x-twilio-signature")
        if not signature:
            raise reject(self.name, "missing_signature")
        params = dict(parse_qsl(request.body.decode(), keep_blank_values=True))
        token = self._ctx.secrets.get(self._settings.auth_token_secret)
        if not same(twilio_signature(token, self._public_url(request), params), signature):
            raise reject(self.name, "bad_signature", status=403)

    def parse(self, request: WebhookRequest) -> Parsed:
        form = dict(parse_qsl(request.body.decode(), keep_blank_values=True))
        ack = WebhookReply(200, EMPTY_TWIML, TWIML)
        if not form.get("MessageSid") or not form.get("Body"):
            return Parsed(reply=ack)
        sender, recipient = form.get("From", ""), form.get("To", "")
        inbound = InboundMessage(
            channel=self.name,
            tenant=self._ctx.tenant,
            event_id=form["MessageSid"],
            conversation_id=f"{recipient}:{sender}",
            user_id=sender,
            text=form["Body"],
            sent_at=0.0,  # Twilio sends no timestamp; MessageSid de-duplicates
            reply_to={"from": recipient, "to": sender},
        )
        return Parsed(messages=(inbound,), reply=ack)

    def send(self, message: InboundMessage, text: str) -> None:
        sid = self._settings.account_sid
        if not sid:
            raise ConfigurationError("channels.twilio.account_sid is required for reply_mode api")
        token = self._ctx.secrets.get(self._settings.auth_token_secret)
        base = self._settings.api_base_url.rstrip("/")
        self._ctx.http.request(
            "POST",
            f"{base}/2010-04-01/Accounts/{sid}/Messages.json",
            data={"To": message.reply_to["to"], "From": message.reply_to["from"], "Body": text},
            auth=(sid, token),
        )
