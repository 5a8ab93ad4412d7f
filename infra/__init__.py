"""Xin's AWS CDK app (``cdk.json``: ``python -m infra.app``) and Helm chart (``infra/helm``)."""
