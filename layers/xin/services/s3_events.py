"""S3 event notifications as they arrive in an SQS message body, parsed into plain values.

Handles the three shapes a queue can hold: the notification itself (``{"Records": [...]}``),
the same wrapped by SNS (``{"Type": "Notification", "Message": "..."}``) and the
``s3:TestEvent`` that S3 sends when the notification is configured (it carries no work).
Keys arrive URL-encoded with ``+`` for spaces and are decoded here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus

from xin.errors import InvalidRequest
from xin.ingest_status import EventKind, normalise_sequencer

_TENANT = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_KINDS: dict[str, EventKind] = {"ObjectCreated": "created", "ObjectRemoved": "removed"}


@dataclass(frozen=True, slots=True)
class ObjectEvent:
    """One created or removed object."""

    kind: EventKind
    bucket: str
    key: str
    size: int = 0
    etag: str = ""
    version_id: str = ""
    sequencer: str = ""
    event_time: str = ""

    @property
    def version(self) -> str:
        """The object version this event is about: its version id, else its ETag."""
        return self.version_id or self.etag

    @property
    def uri(self) -> str:
        return f"s3://{self.bucket}/{self.key}"


def parse_message_body(body: str) -> list[ObjectEvent]:
    """The object events in one SQS message body; ``[]`` for test and unrelated events.

    Raises ``InvalidRequest`` for a body that is not an S3 notification at all: such a
    message can never succeed and belongs in the dead-letter queue.
    """
    try:
        payload = json.loads(body)
    except (json.JSONDecodeError, TypeError):
        raise InvalidRequest("the SQS message body is not JSON") from None
    if isinstance(payload, dict) and payload.get("Type") == "Notification":
        return parse_message_body(str(payload.get("Message", "")))  # S3 → SNS → SQS
    if not isinstance(payload, dict):
        raise InvalidRequest("the SQS message body is not an S3 event notification")
    if payload.get("Event") == "s3:TestEvent":
        return []
    records = payload.get("Records")
    if not isinstance(records, list):
        raise InvalidRequest("the SQS message body is not an S3 event notification")
    return [event for event in map(_object_event, records) if event is not None]


def _object_event(record: Any) -> ObjectEvent | None:
    if not isinstance(record, dict) or record.get("eventSource") != "aws:s3":
        return None
    family = str(record.get("eventName", "")).removeprefix("s3:").split(":", 1)[0]
    kind = _KINDS.get(family)
    if kind is None:
        return None  # restores, replication, lifecycle transitions: nothing to index
    s3 = record.get("s3") or {}
    bucket = (s3.get("bucket") or {}).get("name", "")
    obj = s3.get("object") or {}
    key = unquote_plus(str(obj.get("key", "")))
    if not bucket or not key:
        raise InvalidRequest("an S3 event record has no bucket name or object key")
    return ObjectEvent(
        kind=kind,
        bucket=str(bucket),
        key=key,
        size=int(obj.get("size") or 0),
        etag=str(obj.get("eTag") or "").strip('"'),
        version_id=str(obj.get("versionId") or ""),
        sequencer=normalise_sequencer(str(obj.get("sequencer") or "")),
        event_time=str(record.get("eventTime", "")),
    )


def tenant_for_key(key: str, *, prefix: str, default: str) -> str:
    """``<prefix><tenant>/...`` belongs to ``<tenant>``; any other key to ``default``.

    Raises ``InvalidRequest`` when the key claims a tenant whose name is not allowed.
    """
    if not prefix or not key.startswith(prefix):
        return default
    tenant, slash, _ = key[len(prefix) :].partition("/")
    if not slash or not _TENANT.match(tenant):
        raise InvalidRequest(f"'{key}' is under '{prefix}' but does not name a valid tenant")
    return tenant
