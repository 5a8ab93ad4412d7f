"""Bedrock tool use for actions under botocore's Stubber, which validates every Converse
request (toolConfig, toolUse echo, toolResult) against the real service model."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import ANY, Stubber

from tests.unit.actions.test_actions import SETTINGS, FakeHttp, ctx
from xin.actions.engine import ActionEngine, build_registry
from xin.actions.state import SqliteActionState
from xin.adapters.bedrock.tools import SYSTEM_PROMPT, BedrockToolChooser, tool_chooser_for
from xin.config.channels import ActionsSettings

MODEL = "anthropic.claude-3-haiku-20240307-v1:0"


@pytest.fixture
def bedrock() -> Iterator[tuple[Any, Stubber]]:
    client = boto3.client(
        "bedrock-runtime",
        region_name="eu-central-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()  # every expected model call was made


class Setup:
    def __init__(
        self, tmp_path: Path, client: Any, settings: ActionsSettings = SETTINGS, **chooser: Any
    ) -> None:
        self.http = FakeHttp()
        self.state = SqliteActionState(tmp_path / "state.db")
        self.chooser = BedrockToolChooser(client, chooser.pop("model", MODEL), **chooser)
        registry = build_registry(settings, self.http, self.state)
        self.engine = ActionEngine(registry, self.state, settings, chooser=self.chooser)

    def outcomes(self) -> list[tuple[str, str]]:
        return [(r.action, r.outcome) for r in self.state.audit_log()]


def reply(*content: dict[str, Any], stop: str = "end_turn") -> dict[str, Any]:
    return {
        "output": {"message": {"role": "assistant", "content": list(content)}},
        "stopReason": stop,
        "usage": {"inputTokens": 50, "outputTokens": 10, "totalTokens": 60},
        "metrics": {"latencyMs": 300},
    }


def tool_use(name: str, data: dict[str, Any], use_id: str = "tooluse_1") -> dict[str, Any]:
    return {"toolUse": {"toolUseId": use_id, "name": name, "input": data}}


def tool_names(request_tools: dict[str, Any]) -> list[str]:
    return [t["toolSpec"]["name"] for t in request_tools["tools"]]


def test_a_plain_question_makes_one_call_with_every_allowed_tool_then_answers(
    tmp_path: Path, bedrock: tuple[Any, Stubber]
) -> None:
    client, stubber = bedrock
    s = Setup(tmp_path, client)
    tools = s.engine.registry.tool_specs(s.engine.allowed("acme", "telegram"))
    assert tool_names(tools) == ["create_ticket", "handoff", "http_lookup"]
    stubber.add_response(
        "converse",
        reply({"text": "NONE"}),
        {
            "modelId": MODEL,
            "system": [{"text": SYSTEM_PROMPT}],
            "messages": [{"role": "user", "content": [{"text": "How do I reset my VPN?"}]}],
            "toolConfig": tools,
            "inferenceConfig": ANY,
        },
    )
    assert s.engine.handle(ctx("How do I reset my VPN?")) is None  # RAG answers instead
    assert s.http.calls == [] and s.outcomes() == []


def test_the_model_can_only_propose_a_ticket_the_user_confirms_by_rule(
    tmp_path: Path, bedrock: tuple[Any, Stubber]
) -> None:
    client, stubber = bedrock
    s = Setup(tmp_path, client)
    stubber.add_response(
        "converse",
        reply(
            {"text": "I'll open a ticket."},
            tool_use("create_ticket", {"summary": "VPN drops hourly", "priority": "high"}),
            stop="tool_use",
        ),
    )
    prompt = s.engine.handle(ctx("The VPN drops every hour, please log this"))
    assert prompt is not None and 'Reply "yes"' in prompt
    assert s.http.calls == []  # proposed, never run by the model
    # "yes" settles the pending action by rule: no model call (the Stubber has none queued)
    assert s.engine.handle(ctx("yes")) == "Your support ticket has been created (#T-42)."
    [(_, url, body)] = s.http.calls
    assert url.endswith("/ticket") and body["priority"] == "high"
    assert s.outcomes() == [("create_ticket", "awaiting_confirmation"), ("create_ticket", "ran")]


def test_a_look_up_result_goes_back_as_a_tool_result_and_the_model_words_it(
    tmp_path: Path, bedrock: tuple[Any, Stubber]
) -> None:
    client, stubber = bedrock
    s = Setup(tmp_path, client)
    use = tool_use("http_lookup", {"params": {"order_id": "A-1001"}}, "tooluse_abc")
    stubber.add_response("converse", reply(use, stop="tool_use"))
    expected_messages = [
        {"role": "user", "content": [{"text": "where is order A-1001?"}]},
        {"role": "assistant", "content": [use]},
        {
            "role": "user",
            "content": [
                {
                    "toolResult": {
                        "toolUseId": "tooluse_abc",
                        "content": [
                            {
                                "json": {
                                    "status": "ran",
                                    "message": "id: T-42, status: shipped",
                                    "result": {"result": {"id": "T-42", "status": "shipped"}},
                                }
                            }
                        ],
                        "status": "success",
                    }
                }
            ],
        },
    ]
    stubber.add_response(
        "converse",
        reply({"text": "Your order A-1001 has shipped."}),
        {
            "modelId": MODEL,
            "system": ANY,
            "messages": expected_messages,
            "toolConfig": ANY,
            "inferenceConfig": ANY,
        },
    )
    assert s.engine.handle(ctx("where is order A-1001?")) == "Your order A-1001 has shipped."
    assert s.http.calls[0][:2] == ("GET", "https://orders.example/api/orders/A-1001")
    assert s.outcomes() == [("http_lookup", "ran")]


def test_allow_lists_are_applied_before_the_tool_list_is_built(
    tmp_path: Path, bedrock: tuple[Any, Stubber]
) -> None:
    client, stubber = bedrock
    settings = SETTINGS.model_copy(
        update={"tenants": {"acme": ["handoff", "http_lookup"]}, "channels": {"slack": []}}
    )
    s = Setup(tmp_path, client, settings)
    seen: list[list[str]] = []
    stubber.add_response("converse", reply({"text": "NONE"}))
    original = client.converse

    def spy(**request: Any) -> Any:
        seen.append(tool_names(request["toolConfig"]))
        return original(**request)

    s.chooser._client = type("Spy", (), {"converse": staticmethod(spy)})()
    assert s.engine.handle(ctx("open a ticket")) is None
    assert seen == [["handoff", "http_lookup"]]  # create_ticket is never offered to acme
    assert s.engine.handle(ctx("talk to a human", channel="slack")) is None  # no call at all
    assert len(seen) == 1


def test_invalid_input_comes_back_as_an_error_result_and_the_loop_is_bounded(
    tmp_path: Path, bedrock: tuple[Any, Stubber]
) -> None:
    client, stubber = bedrock
    s = Setup(tmp_path, client, max_steps=2)
    bad = tool_use("create_ticket", {"summary": "", "priority": "urgent"}, "tooluse_bad")
    stubber.add_response("converse", reply(bad, stop="tool_use"))
    stubber.add_response(
        "converse",
        reply(tool_use("no_such_tool", {}, "tooluse_2"), stop="tool_use"),
        {
            "modelId": MODEL,
            "system": ANY,
            "messages": [
                ANY,
                ANY,
                {
                    "role": "user",
                    "content": [
                        {
                            "toolResult": {
                                "toolUseId": "tooluse_bad",
                                "content": [
                                    {
                                        "json": {
                                            "status": "invalid",
                                            "message": ANY,
                                            "result": {"invalid_fields": ["priority", "summary"]},
                                        }
                                    }
                                ],
                                "status": "error",
                            }
                        }
                    ],
                },
            ],
            "toolConfig": ANY,
            "inferenceConfig": ANY,
        },
    )
    # two model calls (max_steps=2), then the engine's own words for the last outcome
    answer = s.engine.handle(ctx("ticket pls"))
    assert answer == "there is no action named 'no_such_tool'"
    assert s.http.calls == []
    assert s.outcomes() == [("create_ticket", "failed")]


def test_the_loop_stops_at_its_deadline(tmp_path: Path, bedrock: tuple[Any, Stubber]) -> None:
    client, stubber = bedrock
    readings = iter([0.0, 9.0])  # start, then after the first step: past the 8 s budget

    def clock() -> float:
        return next(readings, 99.0)

    s = Setup(tmp_path, client, timeout_s=8.0, clock=clock)
    use = tool_use("http_lookup", {"params": {"order_id": "A-1"}})
    stubber.add_response("converse", reply(use, stop="tool_use"))
    answer = s.engine.handle(ctx("status of order A-1"))
    assert answer == "id: T-42, status: shipped"  # the engine's message; no second call
    assert s.outcomes() == [("http_lookup", "ran")]


def test_other_models_get_tool_results_without_the_claude_only_status(
    tmp_path: Path, bedrock: tuple[Any, Stubber]
) -> None:
    client, stubber = bedrock
    nova = "amazon.nova-lite-v1:0"
    s = Setup(tmp_path, client, model=nova)
    stubber.add_response(
        "converse", reply(tool_use("http_lookup", {"params": {"order_id": "B-2"}}), stop="tool_use")
    )
    captured: list[dict[str, Any]] = []
    original = client.converse

    def spy(**request: Any) -> Any:
        captured.append(request)
        return original(**request)

    stubber.add_response("converse", reply({"text": "Shipped."}))
    s.chooser._client = type("Spy", (), {"converse": staticmethod(spy)})()
    assert s.engine.handle(ctx("track order B-2")) == "Shipped."
    result = captured[1]["messages"][2]["content"][0]["toolResult"]
    assert "status" not in result and result["toolUseId"] == "tooluse_1"


def test_a_failing_model_call_falls_back_to_answering(
    tmp_path: Path, bedrock: tuple[Any, Stubber]
) -> None:
    client, stubber = bedrock
    s = Setup(tmp_path, client)
    stubber.add_client_error("converse", "AccessDeniedException", http_status_code=403)
    assert s.engine.handle(ctx("please open a ticket")) is None  # the RAG answer follows
    assert s.http.calls == [] and s.outcomes() == []


def test_bedrock_settings_wire_the_model_chooser_and_the_local_default_keeps_rules(
    tmp_path: Path,
) -> None:
    from xin.config import load_settings
    from xin.deps import Container

    bedrock = load_settings(
        data_dir=tmp_path, llm={"provider": "bedrock", "model": MODEL}, aws={"region": "eu-west-1"}
    )
    chooser = tool_chooser_for(bedrock)
    assert isinstance(chooser, BedrockToolChooser)
    assert tool_chooser_for(load_settings(data_dir=tmp_path)) is None
    engine = Container(bedrock).channel_runtime.actions
    assert isinstance(engine._chooser, BedrockToolChooser)
    local = Container(load_settings(data_dir=tmp_path / "local")).channel_runtime.actions
    assert local._chooser is None
