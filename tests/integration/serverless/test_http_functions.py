"""The HTTP functions: health without FastAPI answers exactly like the FastAPI app, and
GET /ingest/{document_id} reports a document's status (ids with slashes, 404 envelope)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from mangum import Mangum

from tests.conftest import load_event
from tests.integration.serverless.helpers import (
    LambdaContext,
    http_body,
    load_handler,
    status_event,
)
from xin.api.app import create_app
from xin.config import load_settings
from xin.deps import Container
from xin.ingest_status import IngestionRecord
from xin.lambda_app import _light_app

HOLIDAYS_KEY = "tenants/acme/handbook/paid holidays.md"


def comparable(response: dict[str, Any]) -> dict[str, Any]:
    """A proxy response without what differs per request (the generated request id)."""
    status, body = http_body(response)
    request_id = response["headers"]["x-request-id"]
    headers = {k: v for k, v in response["headers"].items() if k != "x-request-id"}
    if "error" in body:
        assert body["error"].pop("request_id") == request_id
        headers.pop("content-length")
    rest = {k: v for k, v in response.items() if k not in {"headers", "body"}}
    return {"status": status, "body": body, "headers": headers, **rest}


@pytest.mark.parametrize(
    "event_name",
    [
        "apigw_v2_health.json",
        "apigw_v1_health.json",
        "apigw_v2_chat.json",  # another function's route: the 404 envelope
    ],
)
def test_light_health_answers_like_the_fastapi_app(lambda_env: Path, event_name: str) -> None:
    event = load_event(event_name)
    full = Mangum(create_app(routes=("health",)), lifespan="off")(event, LambdaContext())
    light = _light_app()(event, LambdaContext())
    assert comparable(light) == comparable(full)


def test_light_health_refuses_other_methods_with_the_envelope(lambda_env: Path) -> None:
    event = load_event("apigw_v2_health.json")
    event["requestContext"]["http"]["method"] = "DELETE"
    response = _light_app()(event, LambdaContext())
    status, body = http_body(response)
    assert (status, body["error"]["code"]) == (405, "method_not_allowed")
    assert response["headers"]["allow"] == "GET"
    assert body["error"]["request_id"] == response["headers"]["x-request-id"]


def test_health_function_reports_a_broken_store(lambda_env: Path) -> None:
    lambda_env.mkdir(parents=True)
    (lambda_env / "xin.db").write_bytes(b"this is not a database" * 100)
    status, body = http_body(
        load_handler("health").handler(load_event("apigw_v2_health.json"), LambdaContext())
    )
    assert status == 503
    assert body == {
        "status": "degraded",
        "checks": {"store": "store_unavailable"},
        "version": body["version"],
    }


def record(document_id: str, tenant: str = "acme", **changes: Any) -> IngestionRecord:
    fields: dict[str, Any] = {
        "tenant": tenant,
        "document_id": document_id,
        "state": "pending",
        "source": f"s3://docs/{document_id}",
        "created_at": 1_795_314_671.0,
        "updated_at": 1_795_314_671.0,
        "lease_until": 1_795_314_731.0,
        "claim_token": "t1",
        **changes,
    }
    return IngestionRecord(**fields)


@pytest.fixture
def indexed(lambda_env: Path) -> Container:
    container = Container(load_settings())
    pending = record(HOLIDAYS_KEY)
    container.ingest_status.claim(pending, pending.created_at)
    container.ingest_status.finish(
        record(HOLIDAYS_KEY, state="indexed", chunk_count=2, indexed_at=1_795_314_680.0)
    )
    other = record("guides/setup.md", tenant="default")
    container.ingest_status.claim(other, other.created_at)
    return container


def test_status_function_serves_the_sample_event(indexed: Container) -> None:
    handler = load_handler("ingest_status").handler
    status, body = http_body(handler(load_event("apigw_v2_ingest_status.json"), LambdaContext()))
    assert status == 200
    assert (body["document_id"], body["tenant"], body["state"]) == (HOLIDAYS_KEY, "acme", "indexed")
    assert body["chunk_count"] == 2 and body["indexed_at"] == 1_795_314_680.0
    status, body = http_body(handler(status_event("tenants/acme/unknown.md"), LambdaContext()))
    assert status == 404
    assert body["error"]["code"] == "not_found" and body["error"]["request_id"]


def test_status_route_tenants_and_errors(indexed: Container) -> None:
    with TestClient(create_app(container=indexed), raise_server_exceptions=False) as client:
        pending = client.get("/ingest/guides/setup.md").json()
        assert (pending["state"], pending["tenant"]) == ("pending", "default")
        assert client.get("/ingest/guides/setup.md", params={"tenant": "acme"}).status_code == 404
        explicit = client.get(f"/ingest/{HOLIDAYS_KEY}", params={"tenant": "acme"})
        assert explicit.json()["state"] == "indexed"
        bad = client.get("/ingest/tenants/not valid!/a.md")
        assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_request"


def test_ingest_function_skips_test_events_and_rejects_foreign_messages(
    lambda_env: Path,
) -> None:
    event = load_event("sqs_s3_test_event.json")
    foreign = {**event["Records"][0], "messageId": "m-foreign", "body": '{"hello": "world"}'}
    event["Records"].append(foreign)
    response = load_handler("ingest").handler(event, LambdaContext())
    assert response == {"batchItemFailures": [{"itemIdentifier": "m-foreign"}]}
