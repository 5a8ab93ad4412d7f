"""Search: a managed OpenSearch domain or an OpenSearch Serverless vector collection.

Chosen by ``-c search=domain|serverless`` (default per environment: ``domain``). A small
managed domain is the cheap choice at idle (one t3.small.search node); Serverless needs no
capacity planning but bills its minimum OCUs around the clock. See
``docs/adr/0009-search-domain-or-serverless.md``.

Either way the endpoint is public but every request must be SigV4-signed by a role that this
stack grants access to; functions stay out of a VPC, so no NAT gateway is needed.
"""

from __future__ import annotations

import json

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_opensearchserverless as aoss
from aws_cdk import aws_opensearchservice as opensearch
from constructs import Construct

from infra.config import EnvConfig

INDEX_PREFIX = "xin"
DOMAIN_READ_ACTIONS = ("es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost")
DOMAIN_WRITE_ACTIONS = (*DOMAIN_READ_ACTIONS, "es:ESHttpPut", "es:ESHttpDelete")
AOSS_READ_PERMISSIONS = ("aoss:ReadDocument", "aoss:DescribeIndex")
AOSS_WRITE_PERMISSIONS = (
    *AOSS_READ_PERMISSIONS,
    "aoss:WriteDocument",
    "aoss:CreateIndex",
    "aoss:UpdateIndex",
)


class Search(Construct):
    """Exposes ``endpoint``, ``service`` (``es`` or ``aoss``) and ``grant_read/grant_write``."""

    def __init__(self, scope: Construct, construct_id: str, *, config: EnvConfig) -> None:
        super().__init__(scope, construct_id)
        self.config = config
        self.mode = config.search
        self._readers: list[iam.IRole] = []
        self._writers: list[iam.IRole] = []
        self.domain: opensearch.Domain | None = None
        self.collection: aoss.CfnCollection | None = None
        if self.mode == "domain":
            self._build_domain(config)
        else:
            self._build_collection(config)

    # -- managed domain ------------------------------------------------------------------
    def _build_domain(self, config: EnvConfig) -> None:
        size = config.domain
        removal = cdk.RemovalPolicy.RETAIN if config.retain_data else cdk.RemovalPolicy.DESTROY
        self.admin_role = iam.Role(
            self,
            "SearchAdminRole",
            assumed_by=iam.AccountRootPrincipal(),
            description="OpenSearch fine-grained access control master user (index admin)",
        )
        slow_logs = {
            kind: logs.LogGroup(
                self,
                f"{kind}Logs",
                retention=logs.RetentionDays.ONE_MONTH,
                removal_policy=cdk.RemovalPolicy.DESTROY,
            )
            for kind in ("SlowSearch", "SlowIndex", "App")
        }
        self.domain = opensearch.Domain(
            self,
            "Domain",
            domain_name=f"xin-{config.name}",
            version=opensearch.EngineVersion.OPENSEARCH_2_19,
            capacity=opensearch.CapacityConfig(
                data_node_instance_type=size.instance_type,
                data_nodes=size.data_nodes,
                master_node_instance_type=size.master_type,
                master_nodes=3 if size.master_type else None,
                multi_az_with_standby_enabled=False,
            ),
            zone_awareness=opensearch.ZoneAwarenessConfig(
                enabled=size.zone_awareness,
                availability_zone_count=min(size.data_nodes, 3) if size.zone_awareness else None,
            ),
            ebs=opensearch.EbsOptions(
                volume_size=size.volume_gib, volume_type=ec2.EbsDeviceVolumeType.GP3
            ),
            encryption_at_rest=opensearch.EncryptionAtRestOptions(enabled=True),
            node_to_node_encryption=True,
            enforce_https=True,
            tls_security_policy=opensearch.TLSSecurityPolicy.TLS_1_2,
            fine_grained_access_control=opensearch.AdvancedSecurityOptions(
                master_user_arn=self.admin_role.role_arn
            ),
            logging=opensearch.LoggingOptions(
                slow_search_log_enabled=True,
                slow_search_log_group=slow_logs["SlowSearch"],
                slow_index_log_enabled=True,
                slow_index_log_group=slow_logs["SlowIndex"],
                app_log_enabled=True,
                app_log_group=slow_logs["App"],
            ),
            suppress_logs_resource_policy=True,  # the policy below, not a custom resource
            enable_auto_software_update=True,
            removal_policy=removal,
        )
        logs.CfnResourcePolicy(
            self,
            "DomainLogsPolicy",
            policy_name=f"xin-{config.name}-opensearch-logs",
            policy_document=cdk.Stack.of(self).to_json_string(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "es.amazonaws.com"},
                            "Action": ["logs:PutLogEvents", "logs:CreateLogStream"],
                            "Resource": [g.log_group_arn for g in slow_logs.values()],
                        }
                    ],
                }
            ),
        )
        self.endpoint = f"https://{self.domain.domain_endpoint}"
        self.service = "es"
        cdk.CfnOutput(self, "AdminRoleArn", value=self.admin_role.role_arn)

    # -- serverless collection -----------------------------------------------------------
    def _build_collection(self, config: EnvConfig) -> None:
        name = f"xin-{config.name}"
        encryption = aoss.CfnSecurityPolicy(
            self,
            "EncryptionPolicy",
            name=f"{name}-enc",
            type="encryption",
            policy=json.dumps(
                {
                    "Rules": [{"ResourceType": "collection", "Resource": [f"collection/{name}"]}],
                    "AWSOwnedKey": True,
                }
            ),
        )
        network = aoss.CfnSecurityPolicy(
            self,
            "NetworkPolicy",
            name=f"{name}-net",
            type="network",
            policy=json.dumps(
                [
                    {
                        "Rules": [
                            {"ResourceType": "collection", "Resource": [f"collection/{name}"]}
                        ],
                        "AllowFromPublic": True,
                    }
                ]
            ),
        )
        self.collection = aoss.CfnCollection(
            self,
            "Collection",
            name=name,
            type="VECTORSEARCH",
            standby_replicas="ENABLED" if config.serverless_standby_replicas else "DISABLED",
            description=f"Xin {config.name} chunks (k-NN + BM25)",
        )
        self.collection.add_dependency(encryption)
        self.collection.add_dependency(network)
        self._collection_name = name
        self.endpoint = self.collection.attr_collection_endpoint
        self.service = "aoss"

    def _domain_access_policy(self) -> None:
        """Resource policy: only this stack's roles may call the domain (signed requests)."""
        if self.domain is None:
            return
        principals = [self.admin_role.role_arn] + [
            r.role_arn for r in (*self._readers, *self._writers)
        ]
        domain_arn = cdk.Stack.of(self).format_arn(
            service="es", resource="domain", resource_name=f"xin-{self.config.name}/*"
        )
        cfn = self.domain.node.default_child
        assert isinstance(cfn, opensearch.CfnDomain)
        cfn.access_policies = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": principals},
                    "Action": "es:ESHttp*",
                    "Resource": domain_arn,
                }
            ],
        }

    def _data_access_policy(self) -> None:
        if self.collection is None or not (self._readers or self._writers):
            return
        name = self._collection_name
        rules = []
        for roles, permissions in (
            (self._readers, AOSS_READ_PERMISSIONS),
            (self._writers, AOSS_WRITE_PERMISSIONS),
        ):
            if roles:
                rules.append(
                    {
                        "Rules": [
                            {
                                "ResourceType": "index",
                                "Resource": [f"index/{name}/{INDEX_PREFIX}*"],
                                "Permission": list(permissions),
                            }
                        ],
                        "Principal": [r.role_arn for r in roles],
                    }
                )
        aoss.CfnAccessPolicy(
            self,
            "DataAccessPolicy",
            name=f"{name}-data",
            type="data",
            policy=cdk.Stack.of(self).to_json_string(rules),
        )

    # -- grants --------------------------------------------------------------------------
    def _grant(self, role: iam.IRole, actions: tuple[str, ...]) -> None:
        if self.domain is not None:
            role.add_to_principal_policy(
                iam.PolicyStatement(
                    actions=list(actions),
                    resources=[
                        self.domain.domain_arn,
                        f"{self.domain.domain_arn}/{INDEX_PREFIX}*",
                    ],
                )
            )
        elif self.collection is not None:
            role.add_to_principal_policy(
                iam.PolicyStatement(
                    actions=["aoss:APIAccessAll"], resources=[self.collection.attr_arn]
                )
            )

    def grant_read(self, role: iam.IRole) -> None:
        self._readers.append(role)
        self._grant(role, DOMAIN_READ_ACTIONS)

    def grant_write(self, role: iam.IRole) -> None:
        self._writers.append(role)
        self._grant(role, DOMAIN_WRITE_ACTIONS)

    def finalize(self) -> None:
        """Write the access policies once every role has been granted."""
        self._domain_access_policy()
        self._data_access_policy()
