"""The S3 event ingestion service over SQLite, with an in-memory bucket and a tiny embedder.

Covers what the end-to-end test cannot stage cheaply: limits, throttling, objects deleted
before download, out-of-order events, messages that are not S3 notifications.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from xin.adapters.sqlite.database import Database
from xin.adapters.sqlite.store import SqliteVectorStore
from xin.adapters.status.sqlite import SqliteStatusStore
from xin.errors import InvalidRequest, NotFound, StoreUnavailable
from xin.ports import Matrix, ObjectSource, Vector
from xin.rag.language import LangDetectDetector
from xin.services.ingest_events import ObjectIngestService, Outcome
from xin.services.ingestion import IngestionService
from xin.services.s3_events import ObjectEvent, parse_message_body, tenant_for_key

DIM = 16


class HashEmbedder:
    """Deterministic unit vectors from word hashes: enough to index and find chunks."""

    model_id = "hash-test/16"
    dimension = DIM

    def _vector(self, text: str) -> Vector:
        vector = np.zeros(DIM, dtype=np.float32)
        for word in text.lower().split():
            vector[int(hashlib.md5(word.encode()).hexdigest(), 16) % DIM] += 1.0
        norm = float(np.linalg.norm(vector)) or 1.0
        return vector / norm

    def embed_documents(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.vstack([self._vector(t) for t in texts])

    def embed_query(self, text: str) -> Vector:
        return self._vector(text)


class Bucket:
    """An in-memory ``ObjectSource`` that can also fail like S3 does."""

    def __init__(self) -> None:
        self.objects: dict[tuple[str, str], bytes] = {}
        self.failure: Exception | None = None
        self.downloads = 0

    def get(self, bucket: str, key: str, version_id: str | None = None) -> bytes:
        self.downloads += 1
        if self.failure is not None:
            raise self.failure
        try:
            return self.objects[(bucket, key)]
        except KeyError:
            raise NotFound(f"s3://{bucket}/{key} does not exist") from None


@pytest.fixture
def bucket() -> Bucket:
    return Bucket()


@pytest.fixture
def service(tmp_path: Path, bucket: Bucket) -> ObjectIngestService:
    database = Database(tmp_path / "xin.db")
    store = SqliteVectorStore(database)
    embedder = HashEmbedder()
    source: ObjectSource = bucket
    return ObjectIngestService(
        source=source,
        status=SqliteStatusStore(database),
        ingestion=IngestionService(store, embedder, LangDetectDetector()),
        store=store,
        default_tenant="default",
        max_object_bytes=1000,
        allowed_extensions=(".md", ".txt", ".pdf"),
    )


def created(key: str, size: int = 50, seq: str = "10", etag: str = "e1") -> ObjectEvent:
    return ObjectEvent("created", "docs", key, size=size, etag=etag, sequencer=seq.ljust(32, "0"))


def removed(key: str, seq: str = "20") -> ObjectEvent:
    return ObjectEvent("removed", "docs", key, sequencer=seq.ljust(32, "0"))


NOTE = b"# Launch\n\nThe Orion launch window opens on Tuesday at nine."


def test_notification_bodies_are_parsed_and_keys_decoded() -> None:
    record = {
        "eventSource": "aws:s3",
        "eventName": "ObjectCreated:CompleteMultipartUpload",
        "s3": {
            "bucket": {"name": "docs"},
            "object": {"key": "tenants/acme/Q%C3%A9+notes.md", "size": 9, "eTag": '"abc"'},
        },
    }
    restore = {**record, "eventName": "ObjectRestore:Completed"}
    body = json.dumps({"Records": [record, restore]})
    [event] = parse_message_body(body)
    assert (event.kind, event.key, event.etag, event.version) == (
        "created",
        "tenants/acme/Qé notes.md",
        "abc",
        "abc",
    )
    sns = json.dumps({"Type": "Notification", "Message": body})
    assert parse_message_body(sns) == [event]
    assert parse_message_body(json.dumps({"Event": "s3:TestEvent", "Bucket": "docs"})) == []
    for bad in ("not json", "[]", '{"hello": 1}'):
        with pytest.raises(InvalidRequest):
            parse_message_body(bad)


def test_tenant_comes_from_the_key_prefix() -> None:
    assert tenant_for_key("tenants/acme/a/b.md", prefix="tenants/", default="d") == "acme"
    assert tenant_for_key("guides/b.md", prefix="tenants/", default="d") == "d"
    with pytest.raises(InvalidRequest):
        tenant_for_key("tenants/bad tenant!/b.md", prefix="tenants/", default="d")


def test_indexes_then_skips_the_redelivery_without_downloading(
    service: ObjectIngestService, bucket: Bucket
) -> None:
    bucket.objects[("docs", "notes/launch.md")] = NOTE
    first = service.handle(created("notes/launch.md"))
    assert (first.outcome, first.tenant) == (Outcome.INDEXED, "default")
    assert first.chunks >= 1
    again = service.handle(created("notes/launch.md"))
    assert again.outcome is Outcome.DUPLICATE and again.succeeded
    assert bucket.downloads == 1


def test_limits_fail_before_downloading(service: ObjectIngestService, bucket: Bucket) -> None:
    big = service.handle(created("big.md", size=5000))
    assert big.outcome is Outcome.FAILED and big.code == "document_too_large"
    image = service.handle(created("photo.png"))
    assert image.outcome is Outcome.FAILED and image.code == "unsupported_document"
    assert bucket.downloads == 0


def test_a_throttled_download_is_retried_and_then_succeeds(
    service: ObjectIngestService, bucket: Bucket
) -> None:
    bucket.objects[("docs", "a.md")] = NOTE
    bucket.failure = StoreUnavailable("cannot read s3://docs/a.md (SlowDown)")
    retry = service.handle(created("a.md"))
    assert retry.outcome is Outcome.RETRY and not retry.succeeded
    bucket.failure = None
    assert service.handle(created("a.md")).outcome is Outcome.INDEXED


def test_an_object_deleted_before_download_is_not_a_failure(service: ObjectIngestService) -> None:
    result = service.handle(created("gone.md"))
    assert result.outcome is Outcome.DELETED and result.succeeded


def test_a_late_creation_event_after_the_removal_is_ignored(
    service: ObjectIngestService, bucket: Bucket
) -> None:
    bucket.objects[("docs", "a.md")] = NOTE
    assert service.handle(removed("a.md", seq="20")).outcome is Outcome.DELETED
    late = service.handle(created("a.md", seq="10"))
    assert late.outcome is Outcome.STALE
    assert bucket.downloads == 0


def test_removal_deletes_the_chunks(service: ObjectIngestService, bucket: Bucket) -> None:
    bucket.objects[("docs", "tenants/acme/a.md")] = NOTE
    service.handle(created("tenants/acme/a.md"))
    result = service.handle(removed("tenants/acme/a.md"))
    assert (result.outcome, result.tenant) == (Outcome.DELETED, "acme")
    assert service.handle(removed("tenants/acme/a.md")).outcome is Outcome.DUPLICATE


def test_a_corrupt_document_fails_again_on_redelivery(
    service: ObjectIngestService, bucket: Bucket
) -> None:
    bucket.objects[("docs", "bad.pdf")] = b"%PDF-1.7 truncated"
    first = service.handle(created("bad.pdf"))
    again = service.handle(created("bad.pdf"))
    assert first.outcome is again.outcome is Outcome.FAILED
    assert again.reason == first.reason and again.code == "document_parse_error"
    assert bucket.downloads == 1  # the verdict is remembered, not recomputed


def test_handle_message_reports_each_record(service: ObjectIngestService, bucket: Bucket) -> None:
    bucket.objects[("docs", "a.md")] = NOTE
    records: list[dict[str, Any]] = [
        {
            "eventSource": "aws:s3",
            "eventName": f"ObjectCreated:{verb}",
            "s3": {"bucket": {"name": "docs"}, "object": {"key": key, "size": 10}},
        }
        for verb, key in (("Put", "a.md"), ("Copy", "missing.md"))
    ]
    results = service.handle_message(json.dumps({"Records": records}))
    assert [r.outcome for r in results] == [Outcome.INDEXED, Outcome.DELETED]


def test_a_key_naming_an_invalid_tenant_fails_visibly(service: ObjectIngestService) -> None:
    result = service.handle(created("tenants/not a tenant!/a.md"))
    assert (result.outcome, result.tenant) == (Outcome.FAILED, "default")
    assert "does not name a valid tenant" in result.reason
