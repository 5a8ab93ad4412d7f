"""Actions through a real channel: the hand-off is proposed, runs only after "yes", notifies
the configured webhook, and the handed-off conversation is left to the human."""

from __future__ import annotations

import json

from tests.conftest import load_event
from tests.integration.channels.conftest import SECRETS, Harness


def telegram_text(h: Harness, update_id: int, text: str) -> int:
    update = load_event("telegram_message.json")
    update["update_id"] = update_id
    update["message"]["message_id"] += update_id
    update["message"]["text"] = text
    headers = {
        "content-type": "application/json",
        "X-Telegram-Bot-Api-Secret-Token": SECRETS["telegram-webhook-secret"],
    }
    status: int = h.client.post(
        "/webhooks/telegram", content=json.dumps(update), headers=headers
    ).status_code
    h.drain()
    return status


def replies(h: Harness) -> list[str]:
    return [str(r.json()["text"]) for r in h.receiver.calls("/telegram/bot")]


def test_handoff_needs_confirmation_then_notifies_and_marks_the_session(harness: Harness) -> None:
    h = harness
    assert telegram_text(h, 1, "I want to talk to a human") == 200
    assert h.receiver.calls("/hooks/handoff") == []
    assert 'Reply "yes"' in replies(h)[-1]
    telegram_text(h, 2, "yes")
    [notified] = h.receiver.calls("/hooks/handoff")
    assert notified.json()["session_id"] == "telegram:1111111"
    assert "colleague" in replies(h)[-1]
    before = len(replies(h))
    telegram_text(h, 3, "How do I deploy Xin to Kubernetes?")
    assert len(replies(h)) == before  # the human has it now: no bot answer
    audit = h.runtime.action_state.audit_log("default")
    assert [(r.action, r.outcome) for r in audit] == [
        ("handoff", "awaiting_confirmation"),
        ("handoff", "ran"),
    ]


def test_ticket_is_cancelled_by_anything_but_yes(harness: Harness) -> None:
    h = harness
    telegram_text(h, 11, "please open a support ticket")
    telegram_text(h, 12, "actually, never mind")
    assert h.receiver.calls("/hooks/ticket") == []
    assert replies(h)[-1] == "OK, cancelled."
    audit = h.runtime.action_state.audit_log("default")
    assert [r.outcome for r in audit] == ["awaiting_confirmation", "cancelled"]
