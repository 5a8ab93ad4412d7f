"""Observability: a dashboard, and alarms (errors, p99 latency, throttles, DLQ depth) that
notify one encrypted SNS topic."""

from __future__ import annotations

from collections.abc import Mapping

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.compute import Deployed
from infra.config import EnvConfig

PERIOD = cdk.Duration.minutes(5)
# Alarm construct ids per dead-letter queue (the ingest one keeps its original id).
_DLQ_ALARMS = {"ingest": "DeadLettersVisible", "channel": "ChannelDeadLettersVisible"}
_DLQ_TEXT = {
    "ingest": "documents failed ingestion repeatedly and wait in the DLQ",
    "channel": "channel replies failed repeatedly (platform API down, bad token?) and wait "
    "in the channel DLQ: redrive them once fixed",
}


class Observability(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: EnvConfig,
        functions: dict[str, Deployed],
        dead_letters: Mapping[str, sqs.IQueue],  # {"ingest": DLQ, "channel": DLQ}
        api_id: str,
    ) -> None:
        super().__init__(scope, construct_id)
        self.topic = sns.Topic(
            self,
            "AlarmTopic",
            display_name=f"Xin {config.name} alarms",
            master_key=self._topic_key(config),
            enforce_ssl=True,
        )
        if config.alarm_email:
            self.topic.add_subscription(subscriptions.EmailSubscription(config.alarm_email))
        self.alarms: list[cw.Alarm] = []
        rows: list[list[cw.IWidget]] = []
        for name, deployed in functions.items():
            fn = deployed.function
            errors = fn.metric_errors(period=PERIOD, statistic="Sum")
            throttles = fn.metric_throttles(period=PERIOD, statistic="Sum")
            p99 = fn.metric_duration(period=PERIOD, statistic="p99")
            self._alarm(
                f"{deployed.spec.construct_id}Errors",
                errors,
                config.error_threshold,
                f"{name}: {config.error_threshold}+ errors in 5 minutes",
            )
            self._alarm(
                f"{deployed.spec.construct_id}Throttles",
                throttles,
                1,
                f"{name}: invocations throttled (reserved concurrency or account limit)",
            )
            latency_ms = (
                config.p99_latency_ms
                if deployed.spec.routes
                else int(deployed.spec.timeout.to_milliseconds() * 0.8)
            )
            self._alarm(
                f"{deployed.spec.construct_id}P99",
                p99,
                latency_ms,
                f"{name}: p99 duration above {latency_ms} ms",
                periods=3,
            )
            rows.append(
                [
                    cw.GraphWidget(
                        title=f"{name} invocations / errors / throttles",
                        left=[fn.metric_invocations(period=PERIOD), errors, throttles],
                        width=12,
                    ),
                    cw.GraphWidget(
                        title=f"{name} duration p50 / p99",
                        left=[fn.metric_duration(period=PERIOD, statistic="p50"), p99],
                        width=12,
                    ),
                ]
            )
        depth_widgets: list[cw.IWidget] = []
        for source, queue in dead_letters.items():
            depth = queue.metric_approximate_number_of_messages_visible(
                period=PERIOD, statistic="Maximum"
            )
            self._alarm(
                _DLQ_ALARMS.get(source, f"{source.title()}DeadLettersVisible"),
                depth,
                1,
                _DLQ_TEXT.get(source, f"{source} messages failed repeatedly and wait in the DLQ"),
            )
            depth_widgets.append(
                cw.GraphWidget(title=f"{source.title()} DLQ depth", left=[depth], width=6)
            )
        api_5xx = cw.Metric(
            namespace="AWS/ApiGateway",
            metric_name="5xx",
            dimensions_map={"ApiId": api_id, "Stage": "$default"},
            period=PERIOD,
            statistic="Sum",
        )
        api_p99 = cw.Metric(
            namespace="AWS/ApiGateway",
            metric_name="Latency",
            dimensions_map={"ApiId": api_id, "Stage": "$default"},
            period=PERIOD,
            statistic="p99",
        )
        self._alarm("Api5xx", api_5xx, config.error_threshold, "HTTP API 5xx responses")
        self.dashboard = cw.Dashboard(self, "Dashboard", dashboard_name=f"xin-{config.name}")
        self.dashboard.add_widgets(
            cw.GraphWidget(
                title="API requests / 5xx",
                left=[
                    cw.Metric(
                        namespace="AWS/ApiGateway",
                        metric_name="Count",
                        dimensions_map={"ApiId": api_id, "Stage": "$default"},
                        period=PERIOD,
                        statistic="Sum",
                    ),
                    api_5xx,
                ],
                width=12,
            ),
            cw.GraphWidget(title="API latency p99", left=[api_p99], width=6),
        )
        self.dashboard.add_widgets(*depth_widgets)
        for row in rows:
            self.dashboard.add_widgets(*row)
        self.dashboard.add_widgets(cw.AlarmStatusWidget(alarms=self.alarms, width=24))

    def _topic_key(self, config: EnvConfig) -> kms.Key:
        """A customer-managed key: CloudWatch cannot publish to a topic under aws/sns."""
        key = kms.Key(
            self,
            "AlarmTopicKey",
            description=f"Xin {config.name} alarm topic",
            enable_key_rotation=True,
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )
        key.add_to_resource_policy(
            iam.PolicyStatement(
                principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
                actions=["kms:Decrypt", "kms:GenerateDataKey*"],
                resources=["*"],  # in a key policy "*" means this key
            )
        )
        return key

    def _alarm(
        self,
        construct_id: str,
        metric: cw.Metric,
        threshold: float,
        description: str,
        periods: int = 1,
    ) -> None:
        alarm = metric.create_alarm(
            self,
            construct_id,
            threshold=threshold,
            evaluation_periods=periods,
            comparison_operator=cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cw.TreatMissingData.NOT_BREACHING,
            alarm_description=description,
        )
        alarm.add_alarm_action(actions.SnsAction(self.topic))
        alarm.add_ok_action(actions.SnsAction(self.topic))
        self.alarms.append(alarm)
