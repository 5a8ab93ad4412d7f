"""DynamoDB implementation of the ``ConversationStore`` port.

One item per turn: partition key ``pk = "<tenant>#<session>"``, sort key ``seq`` (1, 2, ...),
and ``expires_at`` (epoch seconds) as the table's TTL attribute, so idle conversations expire
without a sweeper. ``append``/``append_turns`` read the last ``seq`` and write ``seq + 1``…
with a condition that each slot is free, retrying on a lost race, so two Lambdas answering
the same session never overwrite each other's turns.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import partial
from typing import Any

from xin.domain import Turn
from xin.errors import StoreUnavailable

PARTITION_KEY = "pk"
SORT_KEY = "seq"
TTL_ATTRIBUTE = "expires_at"
_MAX_RACES = 5
_MAX_TRANSACTION = 100  # DynamoDB's limit on items in one TransactWriteItems


def partition_key(tenant: str, session_id: str) -> str:
    return f"{tenant}#{session_id}"


class DynamoDbConversationStore:
    """``boto3_client`` is a low-level DynamoDB client; built lazily when not given."""

    def __init__(
        self,
        table: str,
        *,
        ttl_days: int = 30,
        max_turns_kept: int = 200,
        boto3_client: Any = None,
        region: str | None = None,
        endpoint_url: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._table = table
        self._ttl_s = ttl_days * 86_400
        self._max_kept = max_turns_kept
        self._client = boto3_client
        self._region = region
        self._endpoint = endpoint_url
        self._clock = clock

    @property
    def client(self) -> Any:
        if self._client is None:
            import boto3

            self._client = boto3.client(
                "dynamodb", region_name=self._region, endpoint_url=self._endpoint
            )
        return self._client

    def create_table(self) -> None:
        """Create the table (on-demand) and enable TTL: for development and tests; production
        tables come from the infrastructure code."""
        self._guard(
            "create the conversation table",
            lambda: self.client.create_table(
                TableName=self._table,
                KeySchema=[
                    {"AttributeName": PARTITION_KEY, "KeyType": "HASH"},
                    {"AttributeName": SORT_KEY, "KeyType": "RANGE"},
                ],
                AttributeDefinitions=[
                    {"AttributeName": PARTITION_KEY, "AttributeType": "S"},
                    {"AttributeName": SORT_KEY, "AttributeType": "N"},
                ],
                BillingMode="PAY_PER_REQUEST",
            ),
        )
        self.client.get_waiter("table_exists").wait(TableName=self._table)
        self._guard(
            "enable TTL",
            lambda: self.client.update_time_to_live(
                TableName=self._table,
                TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE},
            ),
        )

    def append(self, tenant: str, session_id: str, turn: Turn) -> None:
        self.append_turns(tenant, session_id, (turn,))

    def append_turns(self, tenant: str, session_id: str, turns: Sequence[Turn]) -> None:
        """One ``PutItem`` for a single turn; several go in one ``TransactWriteItems`` (all or
        none, each seq conditional on its slot being free), so a question is never stored
        without its answer."""
        from botocore.exceptions import ClientError

        if not turns:
            return
        if len(turns) > _MAX_TRANSACTION:
            raise ValueError(f"at most {_MAX_TRANSACTION} turns can be appended at once")
        pk = partition_key(tenant, session_id)
        for _ in range(_MAX_RACES):
            first = self._last_seq(pk) + 1
            items = [self._item(pk, first + i, turn) for i, turn in enumerate(turns)]
            try:
                self._put(items)
            except ClientError as exc:
                if _lost_race(exc):
                    continue  # another writer took one of these seqs: read the last one again
                raise StoreUnavailable(f"cannot save the conversation turn: {_code(exc)}") from exc
            self._trim(pk, first, first + len(turns) - 1)
            return
        raise StoreUnavailable("cannot save the conversation turn: too many concurrent writers")

    def _item(self, pk: str, seq: int, turn: Turn) -> dict[str, Any]:
        return {
            PARTITION_KEY: {"S": pk},
            SORT_KEY: {"N": str(seq)},
            "role": {"S": turn.role},
            "text": {"S": turn.text},
            "created_at": {"N": str(Decimal(repr(turn.created_at)))},
            "meta": {"S": json.dumps(turn.meta, ensure_ascii=False)},
            TTL_ATTRIBUTE: {"N": str(int(self._clock()) + self._ttl_s)},
        }

    def _put(self, items: list[dict[str, Any]]) -> None:
        condition = {
            "ConditionExpression": "attribute_not_exists(#seq)",
            "ExpressionAttributeNames": {"#seq": SORT_KEY},
        }
        if len(items) == 1:
            self.client.put_item(TableName=self._table, Item=items[0], **condition)
            return
        self.client.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": self._table, "Item": item, **condition}} for item in items
            ]
        )

    def history(self, tenant: str, session_id: str, limit: int) -> list[Turn]:
        if limit <= 0:
            return []
        response = self._guard(
            "read the conversation",
            lambda: self.client.query(
                TableName=self._table,
                KeyConditionExpression="#pk = :pk",
                ExpressionAttributeNames={"#pk": PARTITION_KEY},
                ExpressionAttributeValues={":pk": {"S": partition_key(tenant, session_id)}},
                ScanIndexForward=False,
                Limit=limit,
                ConsistentRead=True,
            ),
        )
        now = self._clock()
        turns = [
            Turn(
                role=item["role"]["S"],
                text=item["text"]["S"],
                created_at=float(item["created_at"]["N"]),
                meta=json.loads(item["meta"]["S"]),
            )
            for item in response.get("Items", [])
            if float(item[TTL_ATTRIBUTE]["N"]) > now  # TTL deletion lags; expired is gone
        ]
        return list(reversed(turns))

    def _last_seq(self, pk: str) -> int:
        response = self._guard(
            "read the conversation",
            lambda: self.client.query(
                TableName=self._table,
                KeyConditionExpression="#pk = :pk",
                ExpressionAttributeNames={"#pk": PARTITION_KEY, "#seq": SORT_KEY},
                ExpressionAttributeValues={":pk": {"S": pk}},
                ProjectionExpression="#seq",
                ScanIndexForward=False,
                Limit=1,
                ConsistentRead=True,
            ),
        )
        items = response.get("Items", [])
        return int(items[0][SORT_KEY]["N"]) if items else 0

    def _trim(self, pk: str, first: int, last: int) -> None:
        """Keep the newest ``max_turns_kept`` turns (older ones would expire by TTL anyway)."""
        for old in range(max(1, first - self._max_kept), last - self._max_kept + 1):
            key = {PARTITION_KEY: {"S": pk}, SORT_KEY: {"N": str(old)}}
            self._guard(
                "trim the conversation",
                partial(self.client.delete_item, TableName=self._table, Key=key),
            )

    @staticmethod
    def _guard(what: str, call: Callable[[], Any]) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return call()
        except ClientError as exc:
            raise StoreUnavailable(f"cannot {what}: {_code(exc)}") from exc
        except BotoCoreError as exc:
            raise StoreUnavailable(f"cannot {what}: {type(exc).__name__}") from exc


def _lost_race(exc: Any) -> bool:
    """A failed slot condition: on ``PutItem`` directly, in a transaction as a cancel reason."""
    error = exc.response.get("Error", {}).get("Code")
    if error == "ConditionalCheckFailedException":
        return True
    reasons = exc.response.get("CancellationReasons", [])
    return error == "TransactionCanceledException" and any(
        r.get("Code") == "ConditionalCheckFailed" for r in reasons
    )


def _code(exc: Any) -> str:
    return str(exc.response.get("Error", {}).get("Code", "error"))
