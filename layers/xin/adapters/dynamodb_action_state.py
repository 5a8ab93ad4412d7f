"""DynamoDB implementation of the ``ActionState`` port (``xin.actions.state``).

One table, string keys ``pk``/``sk`` and ``expires_at`` (epoch seconds) as its TTL attribute:

* pending confirmation: ``pk = "session#<tenant>#<session>"``, ``sk = "pending"``; looked up
  with a consistent read and taken with ``DeleteItem(ReturnValues=ALL_OLD)``, so two workers
  can never both run a confirmation;
* hand-off mark: same ``pk``, ``sk = "handoff"``, expires after ``handoff_ttl_s``;
* audit record: ``pk = "audit#<tenant>"``, ``sk = "<at>#<ns>#<random>"`` (time-ordered),
  parameters already redacted by the engine, expiring after ``audit_retention_days``.

TTL deletes lazily (within days), so expiry is also checked on read.
"""

from __future__ import annotations

import json
import math
import time
import uuid
from collections.abc import Callable
from typing import Any

from xin.actions.state import AuditRecord, Pending
from xin.adapters.aws_client import LazyAwsClient
from xin.errors import StoreUnavailable

PARTITION_KEY = "pk"
SORT_KEY = "sk"
TTL_ATTRIBUTE = "expires_at"


def _unavailable(operation: str) -> Exception:
    return StoreUnavailable(f"action state: DynamoDB {operation} failed")


def _session(tenant: str, session_id: str) -> dict[str, Any]:
    return {PARTITION_KEY: {"S": f"session#{tenant}#{session_id}"}}


class DynamoDbActionState:
    def __init__(
        self,
        table: str,
        *,
        handoff_ttl_s: int = 7 * 86_400,
        audit_retention_days: int = 365,
        client: Any = None,
        region: str | None = None,
        endpoint_url: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._table = table
        self._handoff_ttl = handoff_ttl_s
        self._audit_ttl = audit_retention_days * 86_400
        self._aws = LazyAwsClient(
            "dynamodb", client=client, region=region, endpoint_url=endpoint_url
        )
        self._clock = clock

    def _call(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        return self._aws.call(operation, _unavailable, TableName=self._table, **kwargs)

    def create_table(self) -> None:
        """On-demand table with TTL, for development and tests (the stack creates the real one)."""
        self._call(
            "create_table",
            KeySchema=[
                {"AttributeName": PARTITION_KEY, "KeyType": "HASH"},
                {"AttributeName": SORT_KEY, "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": PARTITION_KEY, "AttributeType": "S"},
                {"AttributeName": SORT_KEY, "AttributeType": "S"},
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        self._call(
            "update_time_to_live",
            TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE},
        )

    def set_pending(self, tenant: str, session_id: str, pending: Pending) -> None:
        self._call(
            "put_item",
            Item={
                **_session(tenant, session_id),
                SORT_KEY: {"S": "pending"},
                "action": {"S": pending.action},
                "params": {"S": json.dumps(pending.params, ensure_ascii=False)},
                "expires": {"N": repr(pending.expires_at)},  # exact, for the check on read
                TTL_ATTRIBUTE: {"N": str(math.ceil(pending.expires_at))},
            },
        )

    def pop_pending(self, tenant: str, session_id: str, now: float) -> Pending | None:
        key = {**_session(tenant, session_id), SORT_KEY: {"S": "pending"}}
        # Almost every message has nothing pending: a read (a fifth of a write's price on
        # demand) answers that; the delete that claims a pending item stays atomic.
        if not self._call("get_item", Key=key, ConsistentRead=True).get("Item"):
            return None
        old = self._call("delete_item", Key=key, ReturnValues="ALL_OLD").get("Attributes")
        if not old:
            return None
        expires = float(old["expires"]["N"])
        if expires < now:
            return None
        return Pending(old["action"]["S"], json.loads(old["params"]["S"]), expires)

    def mark_handed_off(self, tenant: str, session_id: str) -> None:
        now = self._clock()
        self._call(
            "put_item",
            Item={
                **_session(tenant, session_id),
                SORT_KEY: {"S": "handoff"},
                "at": {"N": repr(now)},
                TTL_ATTRIBUTE: {"N": str(math.ceil(now + self._handoff_ttl))},
            },
        )

    def is_handed_off(self, tenant: str, session_id: str) -> bool:
        item = self._call(
            "get_item",
            Key={**_session(tenant, session_id), SORT_KEY: {"S": "handoff"}},
            ConsistentRead=True,
        ).get("Item")
        if not item:
            return False
        return float(item[TTL_ATTRIBUTE]["N"]) > self._clock()

    def audit(self, record: AuditRecord) -> None:
        sort_key = f"{record.at:017.6f}#{time.time_ns():020d}#{uuid.uuid4().hex[:8]}"
        item: dict[str, Any] = {
            PARTITION_KEY: {"S": f"audit#{record.tenant}"},
            SORT_KEY: {"S": sort_key},
            "at": {"N": repr(record.at)},
            "tenant": {"S": record.tenant},
            "channel": {"S": record.channel},
            "session_id": {"S": record.session_id},
            "user_id": {"S": record.user_id},
            "action": {"S": record.action},
            "params": {"S": json.dumps(record.params, ensure_ascii=False)},
            "outcome": {"S": record.outcome},
            "detail": {"S": record.detail},
        }
        if self._audit_ttl:
            item[TTL_ATTRIBUTE] = {"N": str(math.ceil(self._clock() + self._audit_ttl))}
        self._call("put_item", Item=item)

    def audit_log(self, tenant: str | None = None) -> list[AuditRecord]:
        """One tenant's records by Query; every tenant's by Scan (operators and tests only:
        the functions' roles are not allowed to scan)."""
        items: list[dict[str, Any]] = []
        start: dict[str, Any] | None = None
        while True:
            page_args: dict[str, Any] = {"ExclusiveStartKey": start} if start else {}
            if tenant is not None:
                page = self._call(
                    "query",
                    KeyConditionExpression="pk = :pk",
                    ExpressionAttributeValues={":pk": {"S": f"audit#{tenant}"}},
                    ConsistentRead=True,
                    **page_args,
                )
            else:
                page = self._call(
                    "scan",
                    FilterExpression="begins_with(pk, :audit)",
                    ExpressionAttributeValues={":audit": {"S": "audit#"}},
                    ConsistentRead=True,
                    **page_args,
                )
            items.extend(page.get("Items", []))
            start = page.get("LastEvaluatedKey")
            if not start:
                break
        items.sort(key=lambda i: i[SORT_KEY]["S"])
        return [_record(item) for item in items]


def _record(item: dict[str, Any]) -> AuditRecord:
    return AuditRecord(
        at=float(item["at"]["N"]),
        tenant=item["tenant"]["S"],
        channel=item["channel"]["S"],
        session_id=item["session_id"]["S"],
        user_id=item["user_id"]["S"],
        action=item["action"]["S"],
        params=json.loads(item["params"]["S"]),
        outcome=item["outcome"]["S"],
        detail=item["detail"]["S"],
    )
