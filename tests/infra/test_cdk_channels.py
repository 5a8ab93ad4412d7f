"""Channel webhooks and the channel worker in the stack: routes, the channel queue and its
DLQ, least-privilege IAM per function, per-channel secrets and the settings they get."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from infra.channels import secret_names
from tests.infra.conftest import Synth, synth

DEV_CHANNELS = ("telegram", "slack", "whatsapp", "twilio")


@pytest.fixture(scope="module")
def staging(tmp_path_factory: pytest.TempPathFactory) -> Synth:
    return synth(
        tmp_path_factory.mktemp("cdk-staging"),
        env="staging",
        channels="slack,teams",
        teamsAppId="00000000-1111-2222-3333-444444444444",
        channelsPublicUrl="https://chat.example.com/",
    )


def _functions(s: Synth) -> dict[str, dict[str, Any]]:
    """{construct id prefix (e.g. 'ComputeWebhookSlack'): function resource}"""
    out = {}
    for key, fn in s.resources("AWS::Lambda::Function").items():
        if fn["Properties"].get("Handler") == "handler.handler":
            out[key.rstrip("0123456789ABCDEF")] = fn
    return out


def _policy(s: Synth, prefix: str) -> list[dict[str, Any]]:
    (policy,) = [p for k, p in s.resources("AWS::IAM::Policy").items() if k.startswith(prefix)]
    statements: list[dict[str, Any]] = policy["Properties"]["PolicyDocument"]["Statement"]
    return statements


def _actions(st: dict[str, Any]) -> list[str]:
    action = st["Action"]
    return action if isinstance(action, list) else [action]


def _logical_id(s: Synth, prefix: str, kind: str) -> str:
    (key,) = [k for k in s.resources(kind) if k.startswith(prefix)]
    return key


def _refs(value: Any) -> set[str]:
    """Logical ids a CloudFormation value points at (Ref / Fn::GetAtt)."""
    text = json.dumps(value)
    out = set()
    for part in text.split('"')[1::2]:
        out.add(part)
    return out


def _secret_ids(s: Synth, channel: str) -> set[str]:
    names = {f"xin/{s.stack.config.name}/{name}" for name in secret_names(channel)}
    return {
        k
        for k, v in s.resources("AWS::SecretsManager::Secret").items()
        if v["Properties"]["Name"] in names
    }


def test_each_channel_has_its_webhook_function_and_route(dev: Synth) -> None:
    functions = _functions(dev)
    for channel in DEV_CHANNELS:
        name = f"ComputeWebhook{channel.title()}"
        assert name in functions, sorted(functions)
        assert f"POST /webhooks/{channel}" in dev.stack.api.routes
        assert dev.stack.api.routes[f"POST /webhooks/{channel}"] == f"webhook_{channel}"
        env = functions[name]["Properties"]["Environment"]["Variables"]
        assert env[f"XIN_CHANNELS__{channel.upper()}__ENABLED"] == "true"
        assert env["XIN_CHANNELS__QUEUE"] == "sqs"
        assert env["XIN_CHANNELS__IDEMPOTENCY_BACKEND"] == "dynamodb"
        others = [c for c in DEV_CHANNELS if c != channel]
        assert not any(f"XIN_CHANNELS__{c.upper()}__ENABLED" in env for c in others)
    assert dev.stack.api.routes["GET /webhooks/whatsapp"] == "webhook_whatsapp"
    assert "ComputeWebhookTeams" not in functions  # no app id in dev
    assert "ComputeChannelWorker" in functions


def test_routes_match_the_routes_the_fastapi_app_serves(dev: Synth) -> None:
    from xin.api.routes.webhooks import webhook_router

    for channel in DEV_CHANNELS:
        served = {
            f"{method} {route.path}"  # type: ignore[attr-defined]
            for route in webhook_router(channel).routes
            for method in route.methods  # type: ignore[attr-defined]
        }
        deployed = {r for r, fn in dev.stack.api.routes.items() if fn == f"webhook_{channel}"}
        assert deployed == served


def test_worker_consumes_the_channel_queue_with_partial_batch_failures(dev: Synth) -> None:
    queue = _logical_id(dev, "DataChannelQueue", "AWS::SQS::Queue")
    dlq = _logical_id(dev, "DataChannelDLQ", "AWS::SQS::Queue")
    props = dev.resources("AWS::SQS::Queue")[queue]["Properties"]
    assert props["RedrivePolicy"]["deadLetterTargetArn"] == {"Fn::GetAtt": [dlq, "Arn"]}
    assert props["SqsManagedSseEnabled"] is True
    worker = _functions(dev)["ComputeChannelWorker"]["Properties"]
    assert props["VisibilityTimeout"] >= 6 * worker["Timeout"]
    (mapping,) = [
        m
        for m in dev.resources("AWS::Lambda::EventSourceMapping").values()
        if queue in json.dumps(m["Properties"]["EventSourceArn"])
    ]
    assert mapping["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert "ChannelWorker" in json.dumps(mapping["Properties"]["FunctionName"])
    env = worker["Environment"]["Variables"]
    for channel in DEV_CHANNELS:  # the worker replies on every channel
        assert env[f"XIN_CHANNELS__{channel.upper()}__ENABLED"] == "true"
    assert env["XIN_ACTIONS__STATE_BACKEND"] == "dynamodb"


def test_webhooks_may_only_send_to_the_channel_queue_and_read_their_own_secrets(
    dev: Synth,
) -> None:
    queue = _logical_id(dev, "DataChannelQueue", "AWS::SQS::Queue")
    ingest = _logical_id(dev, "DataIngestQueue", "AWS::SQS::Queue")
    for channel in DEV_CHANNELS:
        statements = _policy(dev, f"ComputeWebhook{channel.title()}Role")
        actions = {a for st in statements for a in _actions(st)}
        assert "sqs:SendMessage" in actions
        assert not {a for a in actions if a.startswith(("bedrock:", "es:", "s3:"))}
        assert "sqs:ReceiveMessage" not in actions and "sqs:DeleteMessage" not in actions
        for st in statements:
            if any(a.startswith("sqs:") for a in _actions(st)):
                assert st["Resource"] == {"Fn::GetAtt": [queue, "Arn"]}
            assert ingest not in json.dumps(st["Resource"])
        readable = {
            ref
            for st in statements
            if "secretsmanager:GetSecretValue" in _actions(st)
            for ref in _refs(st["Resource"])
        }
        assert readable & _secret_ids(dev, channel) == _secret_ids(dev, channel)
        for other in DEV_CHANNELS:
            if other != channel:
                assert not readable & _secret_ids(dev, other), (channel, other)
        assert "AuthPepper" not in json.dumps(statements)


def test_worker_reads_every_channel_secret_but_sends_nothing_to_queues(dev: Synth) -> None:
    statements = _policy(dev, "ComputeChannelWorkerRole")
    text = json.dumps(statements)
    for channel in DEV_CHANNELS:
        assert _secret_ids(dev, channel) <= _refs(statements)
    actions = {a for st in statements for a in _actions(st)}
    assert {"sqs:ReceiveMessage", "sqs:DeleteMessage"} <= actions
    assert "sqs:SendMessage" not in actions
    assert "bedrock:InvokeModel" in actions
    assert "DataActionStateTable" in text and "DataIdempotencyTable" in text
    assert "AuthPepper" not in text and "DataApiKeysTable" not in text


def test_chat_may_not_read_channel_secrets(dev: Synth) -> None:
    statements = _policy(dev, "ComputeChatRole")
    for channel in DEV_CHANNELS:
        assert not _refs(statements) & _secret_ids(dev, channel)
    assert "DataActionStateTable" in json.dumps(statements)  # /chat runs actions


def test_no_secret_value_or_secret_reference_in_any_environment(dev: Synth) -> None:
    secrets = set(dev.resources("AWS::SecretsManager::Secret"))
    for key, fn in _functions(dev).items():
        env = fn["Properties"]["Environment"]["Variables"]
        for name, value in env.items():
            text = json.dumps(value)
            if name == "XIN_AUTH__PEPPER":
                continue  # a dynamic reference resolved by CloudFormation (test_cdk_stack)
            assert "resolve:secretsmanager" not in text, (key, name)
            assert not _refs(value) & secrets, (key, name)
            assert "TOKEN" not in name and "SECRET__" not in name, (key, name)
        if key.startswith(("ComputeWebhook", "ComputeChannelWorker")):
            assert "XIN_AUTH__PEPPER" not in env


def test_channel_dead_letters_raise_an_alarm(dev: Synth) -> None:
    dlq = _logical_id(dev, "DataChannelDLQ", "AWS::SQS::Queue")
    alarms = [
        a
        for a in dev.resources("AWS::CloudWatch::Alarm").values()
        if a["Properties"].get("MetricName") == "ApproximateNumberOfMessagesVisible"
        and dlq in json.dumps(a["Properties"]["Dimensions"])
    ]
    assert len(alarms) == 1
    assert alarms[0]["Properties"]["Threshold"] == 1


def test_staging_caps_webhooks_and_worker_and_deploys_only_chosen_channels(
    staging: Synth,
) -> None:
    functions = _functions(staging)
    assert {k for k in functions if "Webhook" in k} == {
        "ComputeWebhookSlack",
        "ComputeWebhookTeams",
    }
    teams = functions["ComputeWebhookTeams"]["Properties"]
    assert teams["ReservedConcurrentExecutions"] == 10
    assert teams["Environment"]["Variables"]["XIN_CHANNELS__TEAMS__APP_ID"].startswith("0000")
    slack = functions["ComputeWebhookSlack"]["Properties"]["Environment"]["Variables"]
    assert slack["XIN_CHANNELS__PUBLIC_BASE_URL"] == "https://chat.example.com"
    worker = functions["ComputeChannelWorker"]["Properties"]
    assert worker["ReservedConcurrentExecutions"] == 5
    (mapping,) = [
        m
        for m in staging.resources("AWS::Lambda::EventSourceMapping").values()
        if "ChannelWorker" in json.dumps(m["Properties"]["FunctionName"])
    ]
    # never more pollers than reserved instances: no throttled batch bounces to the DLQ
    assert mapping["Properties"]["ScalingConfig"] == {"MaximumConcurrency": 5}
    names = {
        s["Properties"]["Name"] for s in staging.resources("AWS::SecretsManager::Secret").values()
    }
    assert "xin/staging/teams-app-password" in names
    assert not any("telegram" in n for n in names)


def test_unknown_channel_in_context_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown"):
        synth(tmp_path, env="dev", channels="slack,irc")
