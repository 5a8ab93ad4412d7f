"""Every cdk-nag AwsSolutions finding this app accepts, on the narrowest construct, with why.

Findings are acknowledged one by one (cdk-nag 3 has no prefix matching), so a new finding —
a new wildcard, a new resource, a new function — fails the synth until someone decides about
it here. ``ACKNOWLEDGEMENTS`` below is the list the docs quote.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import aws_cdk as cdk
from constructs import IConstruct

if TYPE_CHECKING:
    from infra.stack import XinStack

REASONS = {
    "APIG4": (
        "Routes authorize in the application: API keys (hashed, in Secrets Manager) and per-key "
        "rate limits for /chat and /ingest/*, provider signatures for channel webhooks; /health "
        "is public by design. An API Gateway authorizer cannot verify webhook signatures."
    ),
    "L1": (
        "Pinned to python3.12 on purpose: the layer is built for cp312 manylinux aarch64 and "
        "SnapStart is validated on 3.12. Moving runtimes is a deliberate, tested change."
    ),
    "IAM5-xray": (
        "Active X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do not "
        "support resource-level permissions, so Resource must be '*'."
    ),
    "IAM5-search": (
        "OpenSearch index paths: the function may call only indices named xin* (the chunk index "
        "and its alias) on this stack's own domain."
    ),
    "IAM5-documents": (
        "The ingest function reads any object in the documents bucket (GetObject, "
        "GetObjectVersion only): S3 object keys are user-chosen and unknown at deploy time."
    ),
    "IAM4-notifications": (
        "CDK's bucket-notifications custom resource (runs once per deploy to attach the "
        "S3->SQS notification) uses AWSLambdaBasicExecutionRole for its own logs only."
    ),
    "SMG4": (
        "Holds values issued outside AWS (channel platforms' bot tokens, an external model "
        "provider's key) or by operators (API keys); they are rotated at their issuer and "
        "written with put-secret-value, which no rotation Lambda can do. See docs/RUNBOOK.md."
    ),
    "OS1": (
        "No VPC on purpose: functions outside a VPC need no NAT gateway or interface endpoints "
        "(the idle cost Xin avoids). The domain accepts only SigV4-signed requests from this "
        "stack's roles (resource policy) and enforces fine-grained access control."
    ),
    "OS3": (
        "Access is restricted by IAM principals (this stack's function roles) rather than IP "
        "allow-lists: Lambda has no fixed source IPs and IAM identity is the stronger control."
    ),
    "OS4": (
        "Dedicated cluster-manager nodes triple the node count; {env} runs {nodes} data node(s) "
        "where the data is re-indexable from the versioned documents bucket. prod has them."
    ),
    "OS7": (
        "Single-node dev domain to keep idle cost low; the index is rebuilt from the versioned "
        "documents bucket if the node is lost. staging and prod use zone awareness."
    ),
}

# The ids acknowledged somewhere in the app, for the docs and the tests.
ACKNOWLEDGEMENTS = {
    "AwsSolutions-APIG4": REASONS["APIG4"],
    "AwsSolutions-L1": REASONS["L1"],
    "AwsSolutions-IAM5[Resource::*]": REASONS["IAM5-xray"],
    "AwsSolutions-IAM5[Resource::<SearchDomain….Arn>/xin*]": REASONS["IAM5-search"],
    "AwsSolutions-IAM5[Resource::<DataDocuments….Arn>/*]": REASONS["IAM5-documents"],
    "AwsSolutions-IAM4[Policy::…/AWSLambdaBasicExecutionRole]": REASONS["IAM4-notifications"],
    "AwsSolutions-SMG4": REASONS["SMG4"],
    "AwsSolutions-OS1": REASONS["OS1"],
    "AwsSolutions-OS3": REASONS["OS3"],
    "AwsSolutions-OS4": REASONS["OS4"],
    "AwsSolutions-OS7": REASONS["OS7"],
}


def _ack(scope: IConstruct, finding: str, reason: str) -> None:
    cdk.Validations.of(scope).acknowledge(
        cdk.Acknowledgment(id=f"AwsSolutions::AwsSolutions-{finding}", reason=reason)
    )


def _ref(stack: cdk.Stack, construct: IConstruct) -> str:
    """How cdk-nag names a resource's ARN in a finding: ``<LogicalId.Arn>``."""
    child = construct.node.default_child
    assert isinstance(child, cdk.CfnElement)
    return f"<{stack.resolve(stack.get_logical_id(child))}.Arn>"


def acknowledge(stack: XinStack) -> None:
    """Called once the stack is complete."""
    _functions(stack)
    for route in stack.api.http_api.node.children:
        if route.node.id.startswith(("GET--", "POST--", "PUT--", "DELETE--")):
            _ack(route, "APIG4", REASONS["APIG4"])
    channel_secrets = [s for group in stack.data.channel_secrets.values() for s in group]
    for secret in [*stack.data.secrets.values(), *channel_secrets]:
        _ack(secret, "SMG4", REASONS["SMG4"])
    for child in stack.node.children:
        if child.node.id.startswith("BucketNotificationsHandler"):
            _ack(
                child,
                "IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                "AWSLambdaBasicExecutionRole]",
                REASONS["IAM4-notifications"],
            )
    _domain(stack)


def _functions(stack: XinStack) -> None:
    for deployed in stack.compute.functions.values():
        _ack(deployed.function, "L1", REASONS["L1"])
        _ack(deployed.function, "IAM5[Resource::*]", REASONS["IAM5-xray"])
        role = deployed.function.role
        assert role is not None
        if stack.search.domain is not None and any(
            a.startswith("search:") for a in deployed.spec.access
        ):
            finding = f"IAM5[Resource::{_ref(stack, stack.search.domain)}/xin*]"
            _ack(role, finding, REASONS["IAM5-search"])
        if "documents:read" in deployed.spec.access:
            finding = f"IAM5[Resource::{_ref(stack, stack.data.documents)}/*]"
            _ack(role, finding, REASONS["IAM5-documents"])


def _domain(stack: XinStack) -> None:
    domain = stack.search.domain
    if domain is None:
        return
    config = stack.config
    _ack(domain, "OS1", REASONS["OS1"])
    _ack(domain, "OS3", REASONS["OS3"])
    size = config.domain
    if size.master_type is None:
        _ack(domain, "OS4", REASONS["OS4"].format(env=config.name, nodes=size.data_nodes))
    if not size.zone_awareness:
        _ack(domain, "OS7", REASONS["OS7"])
