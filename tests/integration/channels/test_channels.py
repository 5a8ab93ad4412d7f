"""Every channel end to end over the real app: a signed platform fixture is acknowledged at
once, the worker answers from the knowledge base and the reply reaches the (local) platform
API; forged, unsigned, stale and duplicate deliveries never produce a second reply."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.conftest import load_event
from tests.integration.channels import signing
from tests.integration.channels.conftest import (
    FIXTURE_TIME,
    SECRETS,
    Harness,
    MetricLog,
    TeamsKeys,
)
from tests.integration.channels.receiver import Receiver, Recorded
from xin.channels.common import WEBHOOKS_IGNORED, WEBHOOKS_REJECTED
from xin.config.security import TenantSettings

REPLY_PATHS = {
    "telegram": "/telegram/bot",
    "slack": "/slack/chat.postMessage",
    "whatsapp": "/graph/v21.0/106540352242922/messages",
    "twilio": "/twilio/2010-04-01/Accounts/",
    "teams": "/teams/v3/conversations/",
}


def post(h: Harness, request: signing.Request) -> tuple[int, str, float]:
    path, body, headers = request
    started = time.perf_counter()
    response = h.client.post(path, content=body, headers=headers)
    return response.status_code, response.text, time.perf_counter() - started


def signed(h: Harness, keys: TeamsKeys, channel: str) -> signing.Request:
    if channel == "teams":
        return signing.teams(keys, f"{h.receiver.base_url}/teams/")
    builder = getattr(signing, channel)
    request: signing.Request = builder()
    return request


CHANNELS = ("telegram", "slack", "whatsapp", "twilio", "teams")


@pytest.mark.parametrize("channel", CHANNELS)
def test_signed_fixture_is_acked_fast_then_answered_with_citations(
    harness: Harness, teams_keys: TeamsKeys, channel: str
) -> None:
    status, _, elapsed = post(harness, signed(harness, teams_keys, channel))
    assert status == 200
    assert elapsed < 3.0  # Slack's limit; nothing slow ran in the request
    assert harness.receiver.calls(REPLY_PATHS[channel]) == []  # answered later, by the worker
    assert harness.drain() == 1
    [reply] = harness.receiver.calls(REPLY_PATHS[channel])
    text = _reply_text(channel, reply)
    assert "Kubernetes" in text or "helm" in text.lower()
    assert "[1]" in text  # numbered sources under the answer
    _assert_addressed(channel, reply, harness.receiver.base_url)


def _reply_text(channel: str, reply: Recorded) -> str:
    if channel == "twilio":
        return str(reply.form()["Body"])
    body = reply.json()
    if channel == "whatsapp":
        return str(body["text"]["body"])
    return str(body["text"])


def _assert_addressed(channel: str, reply: Recorded, base: str) -> None:
    if channel == "telegram":
        assert reply.path == f"/telegram/bot{SECRETS['telegram-bot-token']}/sendMessage"
        assert reply.json()["chat_id"] == "1111111"
    elif channel == "slack":
        assert reply.headers["authorization"] == f"Bearer {SECRETS['slack-bot-token']}"
        assert reply.json()["channel"] == "D0PNCRP9N"
        assert reply.json()["thread_ts"] == "1763780000.000200"
    elif channel == "whatsapp":
        assert reply.headers["authorization"] == f"Bearer {SECRETS['whatsapp-access-token']}"
        assert reply.json()["to"] == "16505551234"
        assert reply.json()["messaging_product"] == "whatsapp"
    elif channel == "twilio":
        assert reply.path.endswith("/Accounts/ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX/Messages.json")
        form = reply.form()
        assert (form["To"], form["From"]) == ("+15558675310", "+15017122661")
        assert reply.headers["authorization"].startswith("Basic ")
    else:
        assert reply.headers["authorization"] == "Bearer bf-token"
        assert reply.json()["replyToId"] == "1763780000000"
        assert reply.path.endswith("/activities")
        assert "Xin" not in reply.json()["text"].split("\n")[0][:5]  # the <at> mention is gone


FORGED = {
    "telegram": lambda h, k: signing.telegram(secret="not-the-webhook-secret"),
    "slack": lambda h, k: signing.slack(secret="not-the-signing-secret-0000000000"),
    "whatsapp": lambda h, k: signing.whatsapp(secret="not-the-app-secret-00000000000000"),
    "twilio": lambda h, k: signing.twilio(secret="00000000000000000000000000000000"),
    "teams": lambda h, k: signing.teams(_other_keys(k), f"{h.receiver.base_url}/teams/"),
}


def _other_keys(keys: TeamsKeys) -> TeamsKeys:
    from cryptography.hazmat.primitives.asymmetric import rsa

    return TeamsKeys(rsa.generate_private_key(public_exponent=65537, key_size=2048), keys.kid)


@pytest.mark.parametrize("channel", CHANNELS)
def test_forged_signature_is_rejected_counted_and_never_answered(
    harness: Harness, teams_keys: TeamsKeys, metrics: MetricLog, channel: str
) -> None:
    status, body, _ = post(harness, FORGED[channel](harness, teams_keys))
    assert status in (401, 403)
    assert json.loads(body)["error"]["code"] == "webhook_rejected"
    assert SECRETS.get(f"{channel}-signing-secret", "@@") not in body
    assert metrics.count(WEBHOOKS_REJECTED, channel=channel) == 1
    assert harness.drain() == 0
    assert harness.receiver.calls(REPLY_PATHS[channel]) == []


@pytest.mark.parametrize("channel", CHANNELS)
def test_unsigned_request_is_rejected(
    harness: Harness, teams_keys: TeamsKeys, metrics: MetricLog, channel: str
) -> None:
    path, body, headers = signed(harness, teams_keys, channel)
    bare = {"content-type": headers["content-type"]}
    status, _, _ = post(harness, (path, body, bare))
    assert status == 401
    assert metrics.count(WEBHOOKS_REJECTED, channel=channel, reason="missing_signature") == 1
    assert harness.drain() == 0


@pytest.mark.parametrize("channel", CHANNELS)
def test_duplicate_delivery_is_answered_once(
    harness: Harness, teams_keys: TeamsKeys, metrics: MetricLog, channel: str
) -> None:
    first = signed(harness, teams_keys, channel)
    again = signing.slack(retry=1) if channel == "slack" else first  # Slack marks its retries
    assert post(harness, first)[0] == 200
    assert post(harness, again)[0] == 200  # acknowledged, so the platform stops retrying
    harness.drain()
    assert len(harness.receiver.calls(REPLY_PATHS[channel])) == 1
    assert metrics.count(WEBHOOKS_IGNORED, channel=channel, reason="duplicate") == 1


def test_slack_stale_timestamp_is_rejected(harness: Harness, metrics: MetricLog) -> None:
    status, _, _ = post(harness, signing.slack(timestamp=FIXTURE_TIME - 301))
    assert status == 401
    assert metrics.count(WEBHOOKS_REJECTED, channel="slack", reason="stale") == 1
    assert harness.drain() == 0


def test_slack_url_verification_returns_the_challenge(harness: Harness) -> None:
    status, body, _ = post(harness, signing.slack("slack_url_verification.json"))
    assert status == 200
    assert json.loads(body) == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


def test_slack_ignores_bot_messages(harness: Harness) -> None:
    payload = load_event("slack_event_message.json")
    payload["event"]["bot_id"] = "B0PNCHHK9"
    assert post(harness, signing.slack(payload=payload))[0] == 200
    assert harness.drain() == 0  # never answer ourselves


def test_teams_expired_token_is_stale(
    harness: Harness, teams_keys: TeamsKeys, metrics: MetricLog
) -> None:
    request = signing.teams(
        teams_keys, f"{harness.receiver.base_url}/teams/", now=FIXTURE_TIME - 7200
    )
    assert post(harness, request)[0] == 401
    assert metrics.count(WEBHOOKS_REJECTED, channel="teams", reason="stale") == 1


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"aud": "another-bot"}, "bad_signature"),
        ({"iss": "https://sts.windows.net/evil/"}, "bad_signature"),
        ({"kid": "unknown-kid"}, "unknown_key"),
        ({"serviceurl": "https://attacker.example/"}, "service_url_mismatch"),
    ],
)
def test_teams_token_must_match_app_issuer_key_and_service_url(
    harness: Harness,
    teams_keys: TeamsKeys,
    metrics: MetricLog,
    claims: dict[str, str],
    reason: str,
) -> None:
    service_url = f"{harness.receiver.base_url}/teams/"
    path, body, _ = signing.teams(teams_keys, service_url)
    token = teams_keys.token(**{"serviceurl": service_url, **claims})
    status, _, _ = post(
        harness,
        (path, body, {"content-type": "application/json", "Authorization": f"Bearer {token}"}),
    )
    assert status in (401, 403)
    assert metrics.count(WEBHOOKS_REJECTED, channel="teams", reason=reason) == 1
    assert harness.drain() == 0


@pytest.mark.parametrize("channel", ["telegram", "whatsapp", "teams"])
def test_old_message_replayed_with_a_valid_signature_is_not_answered(
    harness: Harness, teams_keys: TeamsKeys, channel: str
) -> None:
    harness.clock.now = FIXTURE_TIME + 2 * 3600  # the capture is two hours old
    request = (
        signing.teams(teams_keys, f"{harness.receiver.base_url}/teams/", now=harness.clock.now)
        if channel == "teams"
        else signed(harness, teams_keys, channel)
    )
    assert post(harness, request)[0] == 200  # acknowledged: the platform must stop sending it
    assert harness.drain() == 0


def test_twilio_signature_covers_the_public_url(harness: Harness) -> None:
    wrong_url = signing.twilio(url="https://xin.example/webhooks/twilio")
    assert post(harness, wrong_url)[0] == 403


def test_twilio_empty_twiml_ack(harness: Harness) -> None:
    status, body, _ = post(harness, signing.twilio())
    assert status == 200
    assert body.endswith("<Response></Response>")


def test_whatsapp_subscription_handshake(harness: Harness) -> None:
    token = SECRETS["whatsapp-verify-token"]
    ok = harness.client.get(
        "/webhooks/whatsapp",
        params={"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "1158201444"},
    )
    assert (ok.status_code, ok.text) == (200, "1158201444")
    bad = harness.client.get(
        "/webhooks/whatsapp",
        params={
            "hub.mode": "subscribe",
            "hub.verify_token": "guess",
            "hub.challenge": "1158201444",
        },
    )
    assert bad.status_code == 403
    assert "1158201444" not in bad.text


def test_whatsapp_status_updates_need_no_reply(harness: Harness) -> None:
    assert post(harness, signing.whatsapp("whatsapp_status_update.json"))[0] == 200
    assert harness.drain() == 0


def test_tampered_body_fails_the_signature(harness: Harness) -> None:
    path, body, headers = signing.whatsapp()
    tampered = body.replace(b"Kubernetes", b"Kubernetez")
    assert post(harness, (path, tampered, headers))[0] == 401


def test_teams_key_id_is_looked_up_in_the_jwks_from_openid_metadata(
    harness: Harness, teams_keys: TeamsKeys
) -> None:
    assert post(harness, signed(harness, teams_keys, "teams"))[0] == 200
    fetched = [r.path for r in harness.receiver.requests if r.method == "GET"]
    assert any(p.endswith("/openidconfiguration") for p in fetched)
    assert "/botframework/keys" in fetched


def test_channel_not_allowed_for_tenant_is_refused(
    channel_kb: Path, tmp_path: Path, receiver: Receiver, secrets_env: None
) -> None:
    from tests.integration.channels.conftest import FixedClock, channel_settings, make_harness

    settings = channel_settings(channel_kb, tmp_path / "c.db", receiver.base_url)
    settings = settings.model_copy(update={"tenants": {"default": _tenant(["api", "slack"])}})
    h = make_harness(settings, receiver, FixedClock(FIXTURE_TIME + 5))
    assert post(h, signing.telegram())[0] == 403
    assert post(h, signing.slack())[0] == 200


def _tenant(channels: list[str]) -> TenantSettings:
    return TenantSettings(allowed_channels=channels)


def test_twilio_inline_twiml_mode(
    channel_kb: Path, tmp_path: Path, receiver: Receiver, secrets_env: None
) -> None:
    from tests.integration.channels.conftest import FixedClock, channel_settings, make_harness

    settings = channel_settings(
        channel_kb, tmp_path / "c.db", receiver.base_url, twilio={"reply_mode": "twiml"}
    )
    h = make_harness(settings, receiver, FixedClock(FIXTURE_TIME + 5))
    status, body, _ = post(h, signing.twilio())
    assert status == 200
    assert "<Response><Message>" in body and "[1]" in body


def test_rejections_show_on_the_metrics_endpoint(harness: Harness) -> None:
    post(harness, signing.slack(secret="not-the-signing-secret-0000000000"))
    text = harness.client.get("/metrics").text
    assert (
        'xin_channel_events_total{channel="slack",event="ChannelWebhooksRejected",'
        'reason="bad_signature"} 1.0'
    ) in text
