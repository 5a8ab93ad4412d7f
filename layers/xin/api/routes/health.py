"""GET /health: liveness plus readiness of the store."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

import xin
from xin.api.models import HealthResponse
from xin.errors import XinError

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthResponse, responses={503: {"model": HealthResponse}})
def health(request: Request) -> JSONResponse:
    checks = {"store": "ok"}
    try:
        request.app.state.container.store.ping()
    except XinError as exc:
        checks["store"] = exc.code
    healthy = all(v == "ok" for v in checks.values())
    body = HealthResponse(
        status="ok" if healthy else "degraded", checks=checks, version=xin.__version__
    )
    return JSONResponse(body.model_dump(), status_code=200 if healthy else 503)
