"""The action framework without a network: confirmation, allow-lists, timeouts, audit,
URL templating and the Bedrock tool specs."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import pytest
from pydantic import BaseModel

from xin.actions.base import Action, ActionContext, ActionRegistry, ActionResult
from xin.actions.builtin import render_url
from xin.actions.engine import ActionEngine, build_registry
from xin.actions.intents import is_confirmation, match_intent
from xin.actions.state import ActionState
from xin.channels.port import HttpResponse
from xin.config.channels import ActionsSettings


class FakeHttp:
    """Implements ``HttpClient``: records calls and answers ``{"id": "T-42"}``."""

    def __init__(self, delay_s: float = 0.0) -> None:
        self.calls: list[tuple[str, str, Any]] = []
        self.delay_s = delay_s

    def request(
        self,
        method: str,
        url: str,
        *,
        json: Any = None,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        params: Mapping[str, str] | None = None,
    ) -> HttpResponse:
        time.sleep(self.delay_s)
        self.calls.append((method, url, json))
        return HttpResponse(200, b'{"id": "T-42", "status": "shipped"}', {})


SETTINGS = ActionsSettings(
    handoff_webhook_url="https://hooks.example/handoff",
    ticket_webhook_url="https://hooks.example/ticket",
    lookup_url_template="https://orders.example/api/orders/{order_id}",
    lookup_allowed_base_urls=["https://orders.example/api/"],
    timeout_s=0.5,
)


def engine(
    state: ActionState, settings: ActionsSettings = SETTINGS, http: FakeHttp | None = None
) -> tuple[ActionEngine, FakeHttp, ActionState]:
    http = http or FakeHttp()
    return ActionEngine(build_registry(settings, http, state), state, settings), http, state


def ctx(text: str, channel: str = "telegram", tenant: str = "acme") -> ActionContext:
    return ActionContext(tenant, channel, f"{channel}:42", "u-42", text)


def test_side_effecting_action_never_runs_without_confirmation(state: ActionState) -> None:
    eng, http, state = engine(state)
    reply = eng.handle(ctx("I want to open a ticket: my invoice mail a.b@example.com bounced"))
    assert reply is not None and "yes" in reply
    assert http.calls == []  # proposed, not run
    assert eng.handle(ctx("What are your opening hours?")) is not None  # anything else cancels
    assert http.calls == []
    assert eng.handle(ctx("yes")) is None  # nothing pending any more: no stray run
    assert http.calls == []
    outcomes = [r.outcome for r in state.audit_log("acme")]
    assert outcomes == ["awaiting_confirmation", "cancelled"]


def test_confirmed_action_runs_once_and_is_audited_with_redacted_params(state: ActionState) -> None:
    eng, http, state = engine(state)
    eng.handle(ctx("please open a support ticket, reach me at sara@example.com"))
    reply = eng.handle(ctx("yes"))
    assert reply == "Your support ticket has been created (#T-42)."
    [(method, url, body)] = http.calls
    assert (method, url) == ("POST", "https://hooks.example/ticket")
    assert "sara@example.com" in body["summary"]  # the ticket system gets the real text
    records = state.audit_log("acme")
    assert [r.outcome for r in records] == ["awaiting_confirmation", "ran"]
    ran = records[-1]
    assert (ran.action, ran.channel, ran.user_id) == ("create_ticket", "telegram", "u-42")
    assert "sara@example.com" not in str(ran.params)  # the audit log does not
    assert eng.handle(ctx("yes")) is None  # the confirmation was consumed


def test_persian_handoff_is_confirmed_with_bale(state: ActionState) -> None:
    eng, http, state = engine(state)
    prompt = eng.handle(ctx("می‌خواهم با یک اپراتور صحبت کنم"))
    assert prompt is not None and "بله" in prompt
    assert eng.handle(ctx("بله")) is not None
    assert http.calls[0][1] == "https://hooks.example/handoff"
    assert state.is_handed_off("acme", "telegram:42")


def test_allow_lists_per_tenant_and_channel(state: ActionState) -> None:
    settings = SETTINGS.model_copy(
        update={
            "tenants": {"acme": ["handoff", "http_lookup"]},
            "channels": {"slack": ["http_lookup"]},
        }
    )
    eng, http, state = engine(state, settings)
    assert eng.handle(ctx("open a ticket please")) is None  # not for this tenant: just answer
    assert eng.handle(ctx("talk to a human", channel="slack")) is None  # not on Slack
    assert eng.handle(ctx("talk to a human")) is not None  # allowed on Telegram
    assert eng.allowed("acme", "slack") == {"http_lookup"}
    assert [r.outcome for r in state.audit_log()][:2] == ["denied", "denied"]
    assert http.calls == []


def test_a_slow_action_times_out_and_is_audited(state: ActionState) -> None:
    eng, _, state = engine(state, http=FakeHttp(delay_s=2.0))
    started = time.perf_counter()
    reply = eng.handle(ctx("what is the status of order #A-1001?"))
    assert time.perf_counter() - started < 1.5
    assert reply is not None and "did not work" in reply
    assert state.audit_log()[-1].outcome == "timeout"


def test_lookup_runs_without_confirmation_and_encodes_params(state: ActionState) -> None:
    eng, http, state = engine(state)
    reply = eng.handle(ctx("Where is my order #A-1001?"))
    assert reply is not None and "shipped" in reply
    assert http.calls[0][:2] == ("GET", "https://orders.example/api/orders/A-1001")
    assert state.audit_log()[-1].outcome == "ran"


def test_url_template_is_encoded_and_confined() -> None:
    allowed = ["https://orders.example/api/"]
    url = render_url("https://orders.example/api/orders/{id}", {"id": "../../admin?x=1"}, allowed)
    assert url == "https://orders.example/api/orders/..%2F..%2Fadmin%3Fx%3D1"
    with pytest.raises(PermissionError):
        render_url("https://evil.example/api/{id}", {"id": "1"}, allowed)
    with pytest.raises(PermissionError):
        render_url("https://orders.example.evil.com/api/{id}", {"id": "1"}, allowed)
    with pytest.raises(ValueError, match="missing"):
        render_url("https://orders.example/api/{id}", {}, allowed)


class BrokenHttp(FakeHttp):
    """The ticket system is down: every request raises."""

    def request(self, method: str, url: str, **kwargs: Any) -> HttpResponse:
        raise ConnectionError("ticket system unreachable")


def test_a_failing_action_is_told_and_audited(state: ActionState) -> None:
    eng, _, state = engine(state, http=BrokenHttp())
    eng.handle(ctx("open a ticket"))
    reply = eng.handle(ctx("yes"))
    assert reply is not None and "did not work" in reply
    assert state.audit_log()[-1].outcome == "failed"
    assert state.audit_log()[-1].detail == "ConnectionError"


def test_an_action_with_no_endpoint_configured_is_never_proposed(state: ActionState) -> None:
    settings = SETTINGS.model_copy(update={"ticket_webhook_url": None, "handoff_webhook_url": ""})
    eng, http, state = engine(state, settings)
    assert eng.registry.names() == ["http_lookup"]
    assert eng.handle(ctx("open a ticket")) is None  # answered from the documents instead
    assert eng.handle(ctx("I want to talk to a human")) is None
    assert eng.handle(ctx("yes")) is None and http.calls == [] and state.audit_log() == []


class EchoParams(BaseModel):
    text: str


def test_tool_specs_render_converse_tool_config() -> None:
    def run(params: BaseModel, context: ActionContext) -> ActionResult:
        return ActionResult(True, "ok")

    registry = ActionRegistry(
        [
            Action("echo", "Repeat the text.", EchoParams, run),
            Action("wipe", "Delete everything.", EchoParams, run, side_effect=True),
        ]
    )
    config = registry.tool_specs()
    names = [t["toolSpec"]["name"] for t in config["tools"]]
    assert names == ["echo", "wipe"]
    echo = config["tools"][0]["toolSpec"]
    assert echo["inputSchema"]["json"]["properties"]["text"]["type"] == "string"
    assert echo["inputSchema"]["json"]["required"] == ["text"]
    assert "confirm" in config["tools"][1]["toolSpec"]["description"]
    assert registry.tool_specs(allowed=["echo"])["tools"][0]["toolSpec"]["name"] == "echo"
    with pytest.raises(ValueError):
        registry.register(Action("echo", "again", EchoParams, run))


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("Can I talk to a human?", "handoff"),
        ("I'd like to speak with an agent", "handoff"),
        ("با کارشناس صحبت کنم", "handoff"),
        ("Please open a support ticket", "create_ticket"),
        ("یک تیکت ثبت کن", "create_ticket"),
        ("ثبت تیکت برای مشکل ورود", "create_ticket"),
        ("track order 55-AB", "http_lookup"),
        ("وضعیت سفارش 12345", "http_lookup"),
        ("How do I deploy Xin?", None),
        ("human please", "handoff"),
        ("I need a real person", "handoff"),
        ("connect me with an operator", "handoff"),
        ("Was this page written by a human?", None),
        ("What does the human resources policy say about leave?", None),
    ],
)
def test_intents(text: str, action: str | None) -> None:
    found = match_intent(text)
    assert (found[0] if found else None) == action


@pytest.mark.parametrize("text", ["yes", "Yes!", "بله", "آره", "ok"])
def test_confirmations(text: str) -> None:
    assert is_confirmation(text)


@pytest.mark.parametrize("text", ["yes, but first tell me the price", "no", "نه", ""])
def test_not_confirmations(text: str) -> None:
    assert not is_confirmation(text)
