"""One stack per environment (``Xin-dev``, ``Xin-staging``, ``Xin-prod``)."""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
from constructs import Construct

from infra.api import Api
from infra.compute import FUNCTIONS_DIR, Compute
from infra.config import EnvConfig
from infra.data import Data
from infra.layer import SharedLayer
from infra.nag import acknowledge
from infra.observability import Observability
from infra.runtime_env import checked_environment
from infra.search import Search

BEDROCK_MODELS = {
    "embed": "amazon.titan-embed-text-v2:0",
    "generate": "anthropic.claude-3-haiku-20240307-v1:0",
}


def desired_environment(config: EnvConfig, data: Data, search: Search) -> dict[str, str]:
    """Every function's settings, by the names in ``xin.config.settings``."""
    single_node = config.search == "domain" and config.domain.data_nodes == 1
    return {
        "APP_ENV": config.app_env,
        "XIN_DATA_DIR": "/tmp/xin",  # noqa: S108 - the only writable path on Lambda
        "XIN_LOG_LEVEL": "INFO" if config.name != "prod" else "WARNING",
        "XIN_STORE__BACKEND": "opensearch",
        "XIN_STORE__OPENSEARCH__URL": search.endpoint,
        "XIN_STORE__OPENSEARCH__AUTH": "sigv4",
        "XIN_STORE__OPENSEARCH__SERVICE": search.service,
        "XIN_STORE__OPENSEARCH__REPLICAS": "0" if single_node else "1",
        "XIN_EMBEDDING__PROVIDER": "bedrock-titan",
        "XIN_EMBEDDING__MODEL": BEDROCK_MODELS["embed"],
        "XIN_LLM__PROVIDER": "bedrock",
        "XIN_LLM__MODEL": BEDROCK_MODELS["generate"],
        "XIN_SECRETS__PROVIDER": "aws",
        "XIN_SECRETS__PREFIX": f"xin/{config.name}/",
        "XIN_CONVERSATIONS__BACKEND": "dynamodb",
        "XIN_CONVERSATIONS__TABLE": data.tables["conversations"].table_name,
        "XIN_INGEST__STATUS_BACKEND": "dynamodb",
        "XIN_INGEST__STATUS_TABLE": data.tables["ingestion_status"].table_name,
        "XIN_AUTH__KEY_STORE": "dynamodb",
        "XIN_AUTH__DYNAMODB_TABLE": data.tables["api_keys"].table_name,
        "XIN_RATE_LIMIT__BACKEND": "dynamodb",
        "XIN_RATE_LIMIT__DYNAMODB_TABLE": data.tables["rate_limits"].table_name,
        "XIN_ACTIONS__STATE_BACKEND": "dynamodb",
        "XIN_ACTIONS__STATE_TABLE": data.tables["action_state"].table_name,
    }


class XinStack(cdk.Stack):
    def __init__(
        self, scope: Construct, construct_id: str, *, config: EnvConfig, **kwargs: object
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)  # type: ignore[arg-type]
        self.config = config
        for key, value in {"project": "xin", "environment": config.name, **config.tags}.items():
            cdk.Tags.of(self).add(key, value)
        self.data = Data(self, "Data", config=config)
        self.search = Search(self, "Search", config=config)
        layer = SharedLayer(
            self, "SharedLayer", mode=config.layer_bundling, extras=config.layer_extras
        )
        environment, dropped = checked_environment(
            desired_environment(config, self.data, self.search)
        )
        for name, reason in dropped.items():
            cdk.Annotations.of(self).add_warning_v2(
                f"xin:setting-{name}", f"{name} not set on the functions: {reason}"
            )
        self.function_environment = environment
        self.compute = Compute(
            self,
            "Compute",
            config=config,
            data=self.data,
            search=self.search,
            layer=layer.layer,
            environment=environment,
            bedrock_models=BEDROCK_MODELS,
            functions_dir=Path(str(self.node.try_get_context("functionsDir") or FUNCTIONS_DIR)),
        )
        self.api = Api(self, "Api", config=config, functions=self.compute.functions)
        self.observability = Observability(
            self,
            "Observability",
            config=config,
            functions=self.compute.functions,
            dead_letters={
                "ingest": self.data.dead_letters,
                "channel": self.data.channel_dead_letters,
            },
            api_id=self.api.http_api.api_id,
        )
        cdk.CfnOutput(self, "DocumentsBucket", value=self.data.documents.bucket_name)
        cdk.CfnOutput(self, "SearchEndpoint", value=self.search.endpoint)
        for name, deployed in self.compute.functions.items():
            cdk.CfnOutput(
                self,
                f"{deployed.spec.construct_id}FunctionName",
                value=deployed.function.function_name,
                description=f"smoke_test.sh lambda: the {name} function",
            )
        acknowledge(self)
