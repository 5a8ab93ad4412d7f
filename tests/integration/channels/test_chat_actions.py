"""Actions on ``POST /chat`` (the web page and API clients): a hand-off or a ticket is
proposed, runs only after the user confirms in the next turn of the same session, and every
step leaves an audit record with channel "api"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.integration.channels.conftest import Harness, channel_settings, make_harness


def chat(h: Harness, message: str, session_id: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"message": message}
    if session_id:
        body["session_id"] = session_id
    response = h.client.post("/chat", json=body)
    assert response.status_code == 200, response.text
    reply: dict[str, Any] = response.json()
    return reply


def test_ticket_from_chat_is_confirmed_in_the_next_turn_and_audited(harness: Harness) -> None:
    h = harness
    first = chat(h, "Please open a support ticket: the VPN drops every hour")
    assert 'Reply "yes"' in first["answer"]
    assert first["citations"] == []
    assert h.receiver.calls("/hooks/ticket") == []  # proposed only
    session = first["session_id"]
    second = chat(h, "yes", session)
    assert "ticket has been created" in second["answer"]
    [ticket] = h.receiver.calls("/hooks/ticket")
    assert ticket.json()["channel"] == "api"
    assert ticket.json()["session_id"] == session
    assert "VPN drops" in ticket.json()["summary"]
    audit = h.container.channel_runtime.action_state.audit_log("default")
    assert [(r.action, r.channel, r.outcome) for r in audit] == [
        ("create_ticket", "api", "awaiting_confirmation"),
        ("create_ticket", "api", "ran"),
    ]
    assert chat(h, "yes", session)["answer"] != second["answer"]  # consumed: no second run
    assert len(h.receiver.calls("/hooks/ticket")) == 1


def test_handoff_needs_the_same_session_and_anything_else_cancels(harness: Harness) -> None:
    h = harness
    proposed = chat(h, "I want to talk to a human")
    assert 'Reply "yes"' in proposed["answer"]
    chat(h, "yes")  # another (new) session confirms nothing
    assert h.receiver.calls("/hooks/handoff") == []
    cancelled = chat(h, "When does support answer?", proposed["session_id"])
    assert cancelled["answer"] == "OK, cancelled."
    assert h.receiver.calls("/hooks/handoff") == []
    answered = chat(h, "When does support answer?", proposed["session_id"])
    assert answered["citations"]  # a normal grounded answer again
    audit = h.container.channel_runtime.action_state.audit_log("default")
    assert [r.outcome for r in audit] == ["awaiting_confirmation", "cancelled"]


def test_api_allow_list_keeps_chat_to_answers(
    harness: Harness, channel_kb: Path, tmp_path: Path
) -> None:
    h = harness
    settings = channel_settings(channel_kb, tmp_path / "restricted.db", h.receiver.base_url)
    restricted = settings.model_copy(
        update={
            "actions": settings.actions.model_copy(update={"channels": {"api": ["http_lookup"]}})
        }
    )
    h2 = make_harness(restricted, h.receiver, h.clock)
    reply = chat(h2, "Please open a support ticket: when does support answer?")
    assert 'Reply "yes"' not in reply["answer"]
    assert h.receiver.calls("/hooks/ticket") == []
    audit = h2.container.channel_runtime.action_state.audit_log("default")
    assert [(r.action, r.outcome) for r in audit] == [("create_ticket", "denied")]
