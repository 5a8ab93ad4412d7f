"""Builds a Lambda handler (Mangum over the app factory) for a subset of routes.

Nothing is built at import time: settings are read and the app is created on the first
invocation, then reused by the warm container.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any]]


def lambda_handler_for(routes: Collection[str]) -> LambdaHandler:
    adapter: Any = None

    def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
        nonlocal adapter
        if adapter is None:
            from mangum import Mangum

            from xin.api.app import create_app

            adapter = Mangum(create_app(routes=tuple(routes)), lifespan="off")
        result: dict[str, Any] = adapter(event, context)
        return result

    return handle
