"""Microsoft Teams through the Bot Framework.

Verification: ``Authorization: Bearer <JWT>`` signed RS256 by a key from the Bot Framework
OpenID metadata's JWKS (looked up by ``kid``; an unknown kid refreshes the keys once);
issuer ``https://api.botframework.com``, audience = the bot's app id, ``exp``/``nbf`` within
a 5-minute leeway, the token's ``serviceurl`` equal to the activity's ``serviceUrl`` and the
key endorsed for the activity's ``channelId``. Reply: a bot token from the client-credentials
endpoint, then ``POST {serviceUrl}/v3/conversations/{id}/activities``.
"""

from __future__ import annotations

import json
import threading
from typing import Any
from urllib.parse import quote

from xin.channels.common import ChannelContext, reject
from xin.channels.message import InboundMessage, Parsed, WebhookRequest
from xin.channels.port import DeliveryFailed
from xin.config.channels import TeamsSettings

_SCOPE = "https://api.botframework.com/.default"


class TeamsChannel:
    name = "teams"

    def __init__(self, settings: TeamsSettings, context: ChannelContext) -> None:
        self._settings = settings
        self._ctx = context
        self._lock = threading.Lock()
        self._keys: dict[str, dict[str, Any]] = {}
        self._keys_at = float("-inf")
        self._token: tuple[str, float] | None = None

    # -- verification ------------------------------------------------------------------
    def _load_keys(self) -> None:
        metadata = self._ctx.http.request("GET", self._settings.openid_metadata_url).json()
        jwks = self._ctx.http.request("GET", str(metadata["jwks_uri"])).json()
        self._keys = {str(k["kid"]): k for k in jwks.get("keys", []) if "kid" in k}
        self._keys_at = self._ctx.clock()

    def _key(self, kid: str) -> dict[str, Any] | None:
        with self._lock:
            age = self._ctx.clock() - self._keys_at
            if age > self._settings.keys_cache_s or (kid not in self._keys and age > 10):
                self._load_keys()  # keys roll over: an unknown kid refreshes (at most every 10 s)
            return self._keys.get(kid)

    def verify(self, request: WebhookRequest) -> None:
        import jwt

        scheme, _, token = request.header("authorization").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise reject(self.name, "missing_signature")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise reject(self.name, "bad_signature") from None
        if header.get("alg") != "RS256":
            raise reject(self.name, "bad_algorithm")
        key = self._key(str(header.get("kid", "")))
        if key is None:
            raise reject(self.name, "unknown_key")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                jwt.PyJWK(key).key,
                algorithms=["RS256"],
                audience=self._settings.app_id,
                issuer=self._settings.issuer,
                options={
                    "require": ["exp", "iss", "aud"],
                    "verify_exp": False,
                    "verify_nbf": False,
                },
            )
        except jwt.PyJWTError:
            raise reject(self.name, "bad_signature") from None
        now, leeway = self._ctx.clock(), self._settings.leeway_s
        if float(claims["exp"]) + leeway < now or float(claims.get("nbf", 0)) - leeway > now:
            raise reject(self.name, "stale")
        activity = _activity(request.body)
        service_url = str(activity.get("serviceUrl", ""))
        if claims.get("serviceurl", service_url) != service_url:
            raise reject(self.name, "service_url_mismatch", status=403)
        endorsements = key.get("endorsements")
        if isinstance(endorsements, list) and activity.get("channelId") not in endorsements:
            raise reject(self.name, "not_endorsed", status=403)
        if not self._service_url_allowed(service_url):
            raise reject(self.name, "service_url_not_allowed", status=403)

    def _service_url_allowed(self, url: str) -> bool:
        allowed = self._settings.allowed_service_urls
        if allowed:
            return any(url.startswith(prefix) for prefix in allowed)
        return url.startswith("https://")

    # -- parsing -----------------------------------------------------------------------
    def parse(self, request: WebhookRequest) -> Parsed:
        activity = _activity(request.body)
        if activity.get("type") != "message" or not activity.get("text"):
            return Parsed()
        conversation = activity.get("conversation") or {}
        sender = activity.get("from") or {}
        inbound = InboundMessage(
            channel=self.name,
            tenant=self._ctx.tenant,
            event_id=str(activity.get("id", "")),
            conversation_id=str(conversation.get("id", "")),
            user_id=str(sender.get("id", "")),
            text=_strip_mention(str(activity["text"])),
            sent_at=_timestamp(str(activity.get("timestamp", ""))),
            reply_to={
                "service_url": str(activity.get("serviceUrl", "")),
                "conversation_id": str(conversation.get("id", "")),
                "activity_id": str(activity.get("id", "")),
                "bot": json.dumps(activity.get("recipient") or {}),
                "user": json.dumps(sender),
            },
        )
        return Parsed(messages=(inbound,))

    # -- replying ----------------------------------------------------------------------
    def _bot_token(self) -> str:
        now = self._ctx.clock()
        if self._token is not None and self._token[1] > now:
            return self._token[0]
        password = self._ctx.secrets.get(self._settings.app_password_secret)
        result = self._ctx.http.request(
            "POST",
            self._settings.token_url,
            data={
                "grant_type": "client_credentials",
                "client_id": str(self._settings.app_id),
                "client_secret": password,
                "scope": _SCOPE,
            },
        ).json()
        token = result.get("access_token") if isinstance(result, dict) else None
        if not token:
            raise DeliveryFailed("no Bot Framework access token", retryable=True)
        self._token = (str(token), now + max(60.0, float(result.get("expires_in", 3600)) - 300))
        return str(token)

    def send(self, message: InboundMessage, text: str) -> None:
        service_url = message.reply_to["service_url"].rstrip("/")
        if not self._service_url_allowed(service_url):
            raise DeliveryFailed("serviceUrl not allowed", retryable=False)
        conversation = quote(message.reply_to["conversation_id"], safe="")
        self._ctx.http.request(
            "POST",
            f"{service_url}/v3/conversations/{conversation}/activities",
            json={
                "type": "message",
                "text": text,
                "replyToId": message.reply_to["activity_id"],
                "from": json.loads(message.reply_to["bot"]),
                "recipient": json.loads(message.reply_to["user"]),
                "conversation": {"id": message.reply_to["conversation_id"]},
            },
            headers={"Authorization": f"Bearer {self._bot_token()}"},
        )


def _activity(body: bytes) -> dict[str, Any]:
    try:
        activity = json.loads(body)
    except ValueError:
        return {}
    return activity if isinstance(activity, dict) else {}


def _timestamp(text: str) -> float:
    from datetime import datetime

    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0


def _strip_mention(text: str) -> str:
    import re

    return re.sub(r"<at>[^<]*</at>\s*", "", text).strip()
