"""Properties of the synthesized CloudFormation that a user or an auditor would notice."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from aws_cdk.assertions import Match, Template

from infra.compute import FUNCTIONS
from infra.nag import ACKNOWLEDGEMENTS
from tests.infra.conftest import Synth

ROUTES = {"GET /health", "POST /chat", "GET /ingest/{document_id+}"}
# dev deploys every channel but Teams, which needs `-c teamsAppId=...` (see test_cdk_channels)
WEBHOOK_ROUTES = {
    "POST /webhooks/telegram",
    "POST /webhooks/slack",
    "POST /webhooks/whatsapp",
    "GET /webhooks/whatsapp",
    "POST /webhooks/twilio",
}


def _template(s: Synth) -> Template:
    return Template.from_json(s.template)


def _statements(s: Synth) -> list[dict[str, Any]]:
    out = []
    for policy in s.resources("AWS::IAM::Policy").values():
        out.extend(policy["Properties"]["PolicyDocument"]["Statement"])
    return out


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_documents_bucket_is_versioned_encrypted_private_and_logged(dev: Synth) -> None:
    _template(dev).has_resource_properties(
        "AWS::S3::Bucket",
        {
            "VersioningConfiguration": {"Status": "Enabled"},
            "BucketEncryption": Match.object_like(
                {"ServerSideEncryptionConfiguration": Match.any_value()}
            ),
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "BlockPublicPolicy": True,
                "IgnorePublicAcls": True,
                "RestrictPublicBuckets": True,
            },
            "LoggingConfiguration": Match.object_like({"LogFilePrefix": "documents/"}),
        },
    )
    buckets = dev.resources("AWS::S3::Bucket")
    assert len(buckets) == 2  # documents + access logs
    for bucket in buckets.values():
        assert "BucketEncryption" in bucket["Properties"]


def test_every_bucket_and_queue_denies_plain_http(dev: Synth) -> None:
    for kind, count in (("AWS::S3::BucketPolicy", 2), ("AWS::SQS::QueuePolicy", 2)):
        policies = dev.resources(kind)
        assert len(policies) >= count
        for policy in policies.values():
            statements = policy["Properties"]["PolicyDocument"]["Statement"]
            assert any(
                st["Effect"] == "Deny"
                and st.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport") == "false"
                for st in statements
            ), policy


def test_ingest_and_channel_queues_are_encrypted_with_their_own_dead_letter_queues(
    dev: Synth,
) -> None:
    queues = dev.resources("AWS::SQS::Queue")
    assert len(queues) == 4  # ingest + DLQ, channel + DLQ
    assert all(q["Properties"].get("SqsManagedSseEnabled") for q in queues.values())
    main = [q for q in queues.values() if "RedrivePolicy" in q["Properties"]]
    assert len(main) == 2
    targets = {json.dumps(q["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]) for q in main}
    assert len(targets) == 2  # no shared DLQ: a stuck reply never hides a failed document
    assert all(q["Properties"]["RedrivePolicy"]["maxReceiveCount"] == 3 for q in main)
    # S3 -> SQS notification for new objects
    _template(dev).has_resource_properties(
        "Custom::S3BucketNotifications",
        {
            "NotificationConfiguration": {
                "QueueConfigurations": [Match.object_like({"Events": ["s3:ObjectCreated:*"]})]
            }
        },
    )


def test_tables_have_pitr_on_demand_billing_and_ttl(dev: Synth) -> None:
    tables = dev.resources("AWS::DynamoDB::Table")
    assert len(tables) == 6
    for table in tables.values():
        props = table["Properties"]
        assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
        assert props["BillingMode"] == "PAY_PER_REQUEST"
    ttl = sorted(
        t["Properties"]["TimeToLiveSpecification"]["AttributeName"]
        for t in tables.values()
        if "TimeToLiveSpecification" in t["Properties"]
    )
    # idempotency; conversations, rate limits, action state
    assert ttl == ["expiration", "expires_at", "expires_at", "expires_at"]
    _template(dev).has_resource_properties(
        "AWS::DynamoDB::Table",
        {  # xin.adapters.dynamodb_conversations: pk tenant#session (S), seq turn number (N)
            "KeySchema": [
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "seq", "KeyType": "RANGE"},
            ],
            "AttributeDefinitions": [
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "seq", "AttributeType": "N"},
            ],
            "TimeToLiveSpecification": {"AttributeName": "expires_at", "Enabled": True},
        },
    )
    _template(dev).has_resource_properties(
        "AWS::DynamoDB::Table",
        {
            "KeySchema": [
                {"AttributeName": "tenant", "KeyType": "HASH"},
                {"AttributeName": "document_id", "KeyType": "RANGE"},
            ]
        },
    )


def test_secrets_for_channels_api_keys_and_provider_keys(dev: Synth) -> None:
    names = sorted(
        s["Properties"]["Name"] for s in dev.resources("AWS::SecretsManager::Secret").values()
    )
    assert names == [
        "xin/dev/auth-pepper",
        "xin/dev/openai-api-key",
        "xin/dev/slack-bot-token",
        "xin/dev/slack-signing-secret",
        "xin/dev/telegram-bot-token",
        "xin/dev/telegram-webhook-secret",
        "xin/dev/twilio-auth-token",
        "xin/dev/whatsapp-access-token",
        "xin/dev/whatsapp-app-secret",
        "xin/dev/whatsapp-verify-token",
    ]


def test_functions_are_python312_arm64_traced_with_powertools(dev: Synth) -> None:
    functions = {
        k: v
        for k, v in dev.resources("AWS::Lambda::Function").items()
        if v["Properties"].get("Handler") == "handler.handler"
    }
    assert len(FUNCTIONS) == 10
    assert len(functions) == 9  # no Teams without its app id
    for fn in functions.values():
        props = fn["Properties"]
        assert props["Runtime"] == "python3.12"
        assert props["Architectures"] == ["arm64"]
        assert props["TracingConfig"] == {"Mode": "Active"}
        assert len(props["Layers"]) == 1
        env = props["Environment"]["Variables"]
        assert env["POWERTOOLS_SERVICE_NAME"].startswith("xin-")
        assert env["POWERTOOLS_METRICS_NAMESPACE"] == "Xin"
        assert env["LOG_LEVEL"] == "INFO"
        assert env["APP_ENV"] == "development"
        assert env["XIN_STORE__BACKEND"] == "opensearch"
        assert env["XIN_STORE__OPENSEARCH__AUTH"] == "sigv4"
        assert "ReservedConcurrentExecutions" not in props  # dev: new accounts lack headroom
        assert "SnapStart" not in props


def test_prod_caps_chat_concurrency_and_uses_snapstart(prod_serverless: Synth) -> None:
    functions = prod_serverless.resources("AWS::Lambda::Function")
    chat = [f for f in functions.values() if "POST /chat" in f["Properties"].get("Description", "")]
    assert len(chat) == 1
    assert chat[0]["Properties"]["ReservedConcurrentExecutions"] == 100
    assert chat[0]["Properties"]["SnapStart"] == {"ApplyOn": "PublishedVersions"}
    mappings = prod_serverless.resources("AWS::Lambda::EventSourceMapping")
    (ingest,) = [m for m in mappings.values() if "Ingest" in json.dumps(m["Properties"])]
    assert ingest["Properties"]["ScalingConfig"] == {"MaximumConcurrency": 5}
    assert ingest["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert ingest["Properties"]["BatchSize"] == 1


def test_http_api_has_one_route_per_function_throttling_and_access_logs(dev: Synth) -> None:
    routes = {
        r["Properties"]["RouteKey"] for r in dev.resources("AWS::ApiGatewayV2::Route").values()
    }
    assert routes == ROUTES | WEBHOOK_ROUTES
    (stage,) = dev.resources("AWS::ApiGatewayV2::Stage").values()
    props = stage["Properties"]
    assert props["StageName"] == "$default"
    assert props["DefaultRouteSettings"] == {"ThrottlingBurstLimit": 40, "ThrottlingRateLimit": 20}
    log_format = json.loads(props["AccessLogSettings"]["Format"])
    assert log_format["requestId"] == "$context.requestId"
    (api,) = dev.resources("AWS::ApiGatewayV2::Api").values()
    assert api["Properties"]["CorsConfiguration"]["AllowOrigins"] == ["http://localhost:8000"]
    # routes go to the `live` alias (a published version), so rollback is an alias move
    for integration in dev.resources("AWS::ApiGatewayV2::Integration").values():
        uri = json.dumps(integration["Properties"]["IntegrationUri"])
        assert "Live" in uri


def test_iam_has_no_wildcard_actions_and_star_resources_only_for_xray(dev: Synth) -> None:
    statements = _statements(dev)
    assert statements
    for st in statements:
        for action in _as_list(st["Action"]):
            assert action != "*" and not action.endswith(":*"), st
        if "*" in _as_list(st["Resource"]):
            assert set(_as_list(st["Action"])) <= {
                "xray:PutTraceSegments",
                "xray:PutTelemetryRecords",
            }, st
    assert not dev.resources("AWS::IAM::ManagedPolicy")
    function_roles = [
        r
        for r in dev.resources("AWS::IAM::Role").values()
        if "lambda.amazonaws.com" in json.dumps(r["Properties"]["AssumeRolePolicyDocument"])
        and "ManagedPolicyArns" in r["Properties"]
    ]
    # only CDK's bucket-notification helper uses a managed policy (acknowledged)
    assert len(function_roles) == 1


def test_health_function_cannot_read_documents_or_write_the_index(dev: Synth) -> None:
    roles = dev.resources("AWS::IAM::Policy")
    health = [p for k, p in roles.items() if k.startswith("ComputeHealthRole")]
    assert len(health) == 1
    text = json.dumps(health[0]["Properties"]["PolicyDocument"])
    assert "s3:GetObject" not in text
    assert "es:ESHttpPut" not in text and "dynamodb:PutItem" not in text
    assert "es:ESHttpGet" in text


def test_opensearch_domain_is_encrypted_signed_and_fine_grained(dev: Synth) -> None:
    (domain,) = dev.resources("AWS::OpenSearchService::Domain").values()
    props = domain["Properties"]
    assert props["EncryptionAtRestOptions"] == {"Enabled": True}
    assert props["NodeToNodeEncryptionOptions"] == {"Enabled": True}
    assert props["DomainEndpointOptions"]["EnforceHTTPS"] is True
    assert props["AdvancedSecurityOptions"]["Enabled"] is True
    assert props["ClusterConfig"]["InstanceType"] == "t3.small.search"
    assert props["ClusterConfig"]["InstanceCount"] == 1
    for st in props["AccessPolicies"]["Statement"]:
        assert st["Principal"] != "*" and st["Principal"]["AWS"] != "*"


def test_serverless_collection_with_its_three_policies(prod_serverless: Synth) -> None:
    assert not prod_serverless.resources("AWS::OpenSearchService::Domain")
    (collection,) = prod_serverless.resources("AWS::OpenSearchServerless::Collection").values()
    assert collection["Properties"]["Type"] == "VECTORSEARCH"
    assert collection["Properties"]["StandbyReplicas"] == "ENABLED"
    kinds = sorted(
        p["Properties"]["Type"]
        for p in prod_serverless.resources("AWS::OpenSearchServerless::SecurityPolicy").values()
    )
    assert kinds == ["encryption", "network"]
    (access,) = prod_serverless.resources("AWS::OpenSearchServerless::AccessPolicy").values()
    assert access["Properties"]["Type"] == "data"
    policy = json.dumps(access["Properties"]["Policy"])
    assert "aoss:WriteDocument" in policy and "aoss:ReadDocument" in policy
    env = next(iter(prod_serverless.resources("AWS::Lambda::Function").values()))
    functions = [
        f
        for f in prod_serverless.resources("AWS::Lambda::Function").values()
        if f["Properties"].get("Handler") == "handler.handler"
    ]
    assert all(
        f["Properties"]["Environment"]["Variables"]["XIN_STORE__OPENSEARCH__SERVICE"] == "aoss"
        for f in functions
    ), env


def test_alarms_cover_errors_latency_throttles_and_dlq_to_an_encrypted_topic(dev: Synth) -> None:
    (topic,) = dev.resources("AWS::SNS::Topic").values()
    assert "KmsMasterKeyId" in topic["Properties"]
    alarms = dev.resources("AWS::CloudWatch::Alarm")
    metrics = sorted(
        {
            a["Properties"].get("MetricName") or a["Properties"].get("ExtendedStatistic", "")
            for a in alarms.values()
        }
    )
    assert {"Errors", "Throttles", "Duration", "ApproximateNumberOfMessagesVisible", "5xx"} <= set(
        metrics
    )
    p99 = [a for a in alarms.values() if a["Properties"].get("ExtendedStatistic") == "p99"]
    assert len(p99) == 9  # one per function
    topic_id = next(iter(dev.resources("AWS::SNS::Topic")))
    for alarm in alarms.values():
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": topic_id}]
    assert len(dev.resources("AWS::CloudWatch::Dashboard")) == 1


def test_every_function_setting_is_one_xin_accepts(
    dev: Synth, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold start would validate these: an unknown XIN_ key would crash every function."""
    from xin.config import load_settings

    for fn in dev.resources("AWS::Lambda::Function").values():
        if fn["Properties"].get("Handler") != "handler.handler":
            continue
        for name, value in fn["Properties"]["Environment"]["Variables"].items():
            if name.startswith("XIN_") or name == "APP_ENV":
                resolved = (
                    value if isinstance(value, str) else "https://resolved.example/" + "x" * 32
                )
                monkeypatch.setenv(name, resolved)
        settings = load_settings()
        assert settings.store.backend == "opensearch"
        assert settings.conversations.backend == "dynamodb"
        assert settings.secrets.prefix == "xin/dev/"
        assert settings.auth.key_store == "dynamodb"


def test_cfn_lint_is_clean(dev: Synth) -> None:
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("cfn-lint")),
            "--ignore-checks",
            "W3005",
            "--",
            str(dev.template_path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_acknowledgement_has_a_specific_reason() -> None:
    for rule, reason in ACKNOWLEDGEMENTS.items():
        assert rule.startswith("AwsSolutions-")
        assert len(reason) > 80, rule


def test_an_unacknowledged_finding_fails_the_synth(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """cdk-nag is really wired in: without infra/nag.py's acknowledgements, synth fails."""
    import infra.stack
    from tests.infra.conftest import synth

    monkeypatch.setattr(infra.stack, "acknowledge", lambda stack: None)
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        synth(tmp_path, env="dev")
    report = json.loads((tmp_path / "validation-report.json").read_text())
    rules = {v["ruleName"] for p in report["pluginReports"] for v in p["violations"]}
    assert "AwsSolutions-L1" in rules and "AwsSolutions-OS1" in rules
