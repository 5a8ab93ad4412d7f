"""CloudWatch metrics in Lambda: Powertools ``Metrics`` writing Embedded Metric Format to
stdout, flushed once per invocation by ``log_metrics`` (see ``lambda_runtime``)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from xin.observability.counters import Unit

if TYPE_CHECKING:
    from aws_lambda_powertools import Metrics

NAMESPACE = "Xin"
_NAMESPACE_VARIABLE = "POWERTOOLS_METRICS_NAMESPACE"


def lambda_metrics(service: str) -> Metrics:
    """Powertools metrics for this function (namespace ``Xin`` unless the env sets one)."""
    from aws_lambda_powertools import Metrics

    return Metrics(namespace=os.environ.get(_NAMESPACE_VARIABLE) or NAMESPACE, service=service)


class EmfSink:
    """A ``counters`` sink that adds each data point to the invocation's EMF metrics."""

    def __init__(self, metrics: Metrics) -> None:
        self._metrics = metrics

    def add_metric(self, name: str, value: float, unit: Unit, labels: dict[str, str]) -> None:
        from aws_lambda_powertools.metrics import MetricUnit

        self._metrics.add_metric(name=name, unit=MetricUnit(unit), value=value)
