"""GET /: the web chat page (static files only, so a strict CSP holds)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

router = APIRouter(include_in_schema=False)


def static_dir() -> Path:
    return Path(str(resources.files("xin.web") / "static"))


@router.get("/")
def index() -> FileResponse:
    return FileResponse(static_dir() / "index.html", media_type="text/html")
