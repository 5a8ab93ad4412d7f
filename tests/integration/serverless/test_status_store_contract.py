"""One contract for every ``IngestionStatusStore`` backend: SQLite and DynamoDB (moto)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from tests.integration.serverless.helpers import REGION
from xin.adapters.sqlite.database import Database
from xin.adapters.status.dynamodb import DynamoDbStatusStore
from xin.adapters.status.sqlite import SqliteStatusStore
from xin.errors import StoreUnavailable
from xin.ingest_status import ClaimDecision, IngestionRecord, normalise_sequencer
from xin.ports import IngestionStatusStore

NOW = 1_795_314_671.0


@pytest.fixture(params=["sqlite", "dynamodb"])
def store(
    request: pytest.FixtureRequest, tmp_path: Path, lambda_env: Path
) -> Iterator[IngestionStatusStore]:
    if request.param == "sqlite":
        yield SqliteStatusStore(Database(tmp_path / "status.db"))
        return
    import boto3
    from moto import mock_aws

    with mock_aws():
        dynamo = DynamoDbStatusStore("status", client=boto3.client("dynamodb", region_name=REGION))
        dynamo.create_table()
        yield dynamo


def attempt(
    sequencer: str = "0055",
    *,
    version: str = "v1",
    event: str = "created",
    token: str = "t1",
    now: float = NOW,
    document_id: str = "tenants/acme/a b/guide.md",
) -> IngestionRecord:
    return IngestionRecord(
        tenant="acme",
        document_id=document_id,
        state="pending",
        event=event,  # type: ignore[arg-type]
        source=f"s3://bucket/{document_id}",
        version=version,
        sequencer=normalise_sequencer(sequencer),
        size=120,
        created_at=now,
        updated_at=now,
        lease_until=now + 60,
        claim_token=token,
    )


def done(record: IngestionRecord, state: str = "indexed", chunks: int = 3) -> IngestionRecord:
    return replace(
        record,
        state=state,  # type: ignore[arg-type]
        chunk_count=chunks,
        indexed_at=record.updated_at + 1 if state == "indexed" else None,
        updated_at=record.updated_at + 1,
        lease_until=0.0,
        reason="" if state != "failed" else "could not parse .pdf file",
        code="" if state != "failed" else "document_parse_error",
    )


def test_first_claim_acquires_and_the_outcome_round_trips(store: IngestionStatusStore) -> None:
    assert isinstance(store, IngestionStatusStore)
    first = attempt()
    assert store.claim(first, NOW).decision is ClaimDecision.ACQUIRED
    pending = store.get("acme", first.document_id)
    assert pending is not None and pending.state == "pending" and pending.indexed_at is None
    assert store.finish(done(first))
    assert store.get("acme", first.document_id) == done(first)


def test_a_redelivered_event_is_a_duplicate(store: IngestionStatusStore) -> None:
    store.claim(attempt(), NOW)
    store.finish(done(attempt()))
    claim = store.claim(attempt(token="t2"), NOW + 5)
    assert claim.decision is ClaimDecision.DUPLICATE
    assert claim.existing == done(attempt())
    assert store.get("acme", attempt().document_id) == done(attempt())  # untouched


def test_an_older_event_is_stale_and_a_newer_one_acquires(store: IngestionStatusStore) -> None:
    store.claim(attempt("0066"), NOW)
    store.finish(done(attempt("0066")))
    assert store.claim(attempt("0055", version="v0", token="t0"), NOW).decision is (
        ClaimDecision.STALE
    )
    newer = attempt("006600A1", version="v2", token="t2", now=NOW + 10)
    assert store.claim(newer, NOW + 10).decision is ClaimDecision.ACQUIRED
    record = store.get("acme", newer.document_id)
    assert record is not None and record.version == "v2"
    assert record.created_at == NOW  # first seen, kept across events


def test_a_live_lease_blocks_others_until_it_expires(store: IngestionStatusStore) -> None:
    store.claim(attempt(), NOW)
    other = attempt("0077", version="v2", token="t2")
    assert store.claim(other, NOW + 30).decision is ClaimDecision.IN_PROGRESS
    assert store.claim(other, NOW + 61).decision is ClaimDecision.ACQUIRED
    assert not store.finish(done(attempt()))  # the first worker lost its lease
    assert store.finish(done(other))


def test_a_released_claim_can_be_retried_at_once(store: IngestionStatusStore) -> None:
    store.claim(attempt(), NOW)
    released = replace(attempt(), reason="will retry: throttled", lease_until=0.0)
    assert store.finish(released)
    assert store.claim(attempt(token="t2"), NOW + 1).decision is ClaimDecision.ACQUIRED


def test_removal_after_indexing_acquires_then_repeats_as_duplicate(
    store: IngestionStatusStore,
) -> None:
    store.claim(attempt(), NOW)
    store.finish(done(attempt()))
    removal = attempt("0088", version="", event="removed", token="t3")
    assert store.claim(removal, NOW + 1).decision is ClaimDecision.ACQUIRED
    store.finish(done(removal, "deleted", chunks=0))
    assert store.claim(replace(removal, claim_token="t4"), NOW + 2).decision is (
        ClaimDecision.DUPLICATE
    )


def test_list_and_delete(store: IngestionStatusStore) -> None:
    for name in ("b.md", "a.md"):
        store.claim(attempt(document_id=name, token=name), NOW)
    other_tenant = replace(attempt(document_id="c.md"), tenant="globex")
    store.claim(other_tenant, NOW)
    assert [r.document_id for r in store.list("acme")] == ["a.md", "b.md"]
    assert [r.tenant for r in store.list()] == ["acme", "acme", "globex"]
    assert store.delete("acme", "a.md")
    assert not store.delete("acme", "a.md")
    assert store.get("acme", "a.md") is None


def test_an_unreachable_dynamodb_table_is_store_unavailable(lambda_env: Path) -> None:
    import boto3
    from botocore.config import Config

    client = boto3.client(
        "dynamodb",
        region_name=REGION,
        endpoint_url="http://127.0.0.1:9",  # nothing listens on the discard port
        config=Config(connect_timeout=0.5, retries={"max_attempts": 1}),
    )
    with pytest.raises(StoreUnavailable):
        DynamoDbStatusStore("status", client=client).get("acme", "a.md")
