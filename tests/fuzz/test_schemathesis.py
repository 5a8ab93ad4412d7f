"""Property-based fuzzing of every operation in the app's own OpenAPI schema.

Each generated request (valid and invalid bodies, parameters and headers) must get a non-5xx
answer that conforms to the schema: a documented status code, content type and body — the
error envelope included. The app runs as outside development (authentication required) over
a two-document knowledge base; the number of cases is printed at the end of the run.

The app is built at import time because schemathesis reads the schema while pytest collects
(its ``from_fixture`` loader does not work with pytest 9); it loads no model until a case
reaches /chat or /ingest.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.fuzz.conftest import CASES
from xin.api.app import ROUTE_GROUPS, create_app
from xin.config import load_settings
from xin.deps import Container

_DATA_DIR = Path(tempfile.mkdtemp(prefix="xin-fuzz-"))
atexit.register(shutil.rmtree, _DATA_DIR, ignore_errors=True)
_CONTAINER = Container(
    load_settings(
        app_env="staging",  # staging keeps the OpenAPI schema on; auth is required
        data_dir=_DATA_DIR,
        log_level="CRITICAL",
        auth={"pepper": "fuzz-pepper-0123456789abcdef-0123456789"},
        rate_limit={"enabled": False},
    )
)
# Channel webhooks answer only signed provider callbacks and need channel secrets: their
# own tests (tests/integration/channels) cover them; here, the public API and /admin.
API_ROUTES = tuple(group for group in ROUTE_GROUPS if not group.startswith("webhook_"))
APP = create_app(container=_CONTAINER, routes=API_ROUTES)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)

DOCUMENTS = {
    "zephyr.md": "# Zephyr\n\nThe Zephyr gateway rotates its signing keys every 90 days.",
    "fa/nasb.md": "# نصب\n\nبرای نصب شین دستور make run را اجرا کنید.",
}


@pytest.fixture(scope="module")
def admin_key() -> str:
    """A platform admin key (any tenant the fuzzer names is valid, so most cases get past
    the tenant check); the default tenant's knowledge base holds two small documents."""
    for name, text in DOCUMENTS.items():
        result = _CONTAINER.ingestion.ingest_bytes(text.encode(), name, tenant="default")
        assert result.status in ("indexed", "skipped")
    return _CONTAINER.api_keys.create("*", ["admin"], name="fuzzer").secret


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_every_operation_conforms_and_never_fails_with_5xx(case: Any, admin_key: str) -> None:
    operation = f"{case.operation.method.upper()} {case.operation.path}"
    CASES[operation] += 1
    # A schema-valid upload can still be an unsupported or corrupt document (415/422 in the
    # error envelope, which the other checks validate): the schema cannot say which bytes parse.
    excluded = [positive_data_acceptance] if operation == "POST /ingest" else []
    case.call_and_validate(
        headers={"Authorization": f"Bearer {admin_key}"}, excluded_checks=excluded
    )
