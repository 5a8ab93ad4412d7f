"""API: one HTTP API, one route per function, stage throttling, access logs, CORS."""

from __future__ import annotations

import json

import aws_cdk as cdk
from aws_cdk import aws_apigatewayv2 as apigw
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.compute import Deployed
from infra.config import EnvConfig, log_retention

# The $context variables written per request (JSON, one line each).
ACCESS_LOG_FORMAT = {
    "requestId": "$context.requestId",
    "ip": "$context.identity.sourceIp",
    "requestTime": "$context.requestTime",
    "routeKey": "$context.routeKey",
    "status": "$context.status",
    "protocol": "$context.protocol",
    "responseLength": "$context.responseLength",
    "latencyMs": "$context.responseLatency",
    "integrationLatencyMs": "$context.integrationLatency",
    "integrationError": "$context.integrationErrorMessage",
    "userAgent": "$context.identity.userAgent",
}


class Api(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: EnvConfig,
        functions: dict[str, Deployed],
    ) -> None:
        super().__init__(scope, construct_id)
        cors = (
            apigw.CorsPreflightOptions(
                allow_origins=list(config.cors_origins),
                allow_methods=[apigw.CorsHttpMethod.GET, apigw.CorsHttpMethod.POST],
                allow_headers=["content-type", "authorization", "x-request-id", "x-api-key"],
                expose_headers=["x-request-id"],
                max_age=cdk.Duration.hours(1),
            )
            if config.cors_origins
            else None
        )
        self.http_api = apigw.HttpApi(
            self,
            "HttpApi",
            api_name=f"xin-{config.name}",
            description=f"Xin {config.name}",
            cors_preflight=cors,
            create_default_stage=False,
        )
        self.access_logs = logs.LogGroup(
            self,
            "AccessLogs",
            retention=log_retention(config.log_retention_days),
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )
        self.stage = apigw.HttpStage(
            self,
            "DefaultStage",
            http_api=self.http_api,
            stage_name="$default",
            auto_deploy=True,
            throttle=apigw.ThrottleSettings(
                rate_limit=config.throttle_rate, burst_limit=config.throttle_burst
            ),
        )
        cfn_stage = self.stage.node.default_child
        assert isinstance(cfn_stage, apigw.CfnStage)
        cfn_stage.access_log_settings = apigw.CfnStage.AccessLogSettingsProperty(
            destination_arn=self.access_logs.log_group_arn,
            format=json.dumps(ACCESS_LOG_FORMAT, separators=(",", ":")),
        )
        self.routes: dict[str, str] = {}
        for name, deployed in functions.items():
            for route in deployed.spec.routes:
                method, path = route.split(" ", 1)
                self.http_api.add_routes(
                    path=path,
                    methods=[apigw.HttpMethod(method)],
                    integration=integrations.HttpLambdaIntegration(
                        f"{deployed.spec.construct_id}Integration", deployed.alias
                    ),
                )
                self.routes[route] = name
        self.url = self.http_api.api_endpoint
        cdk.CfnOutput(scope, "ApiUrl", value=self.url, description="Base URL for smoke tests")
