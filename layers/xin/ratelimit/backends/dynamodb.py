"""DynamoDB ``RateLimiter`` (Lambda): token buckets with optimistic concurrency.

Each bucket is one item ``{pk, tokens, ts, ver, expires_at}``. A decision reads the item
(strongly consistent), refills and takes tokens in Python, and writes back only if ``ver`` is
still the one it read (a conditional put); a lost race re-reads and tries again. A refused
request writes nothing. Daily quotas are one conditional ``ADD`` each. ``expires_at`` is the
table's TTL attribute, so idle buckets disappear on their own.

Table: partition key ``pk`` (string), TTL on ``expires_at``, on-demand capacity.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from typing import Any

from xin.adapters.aws_client import LazyAwsClient
from xin.ratelimit.bucket import BucketState, quota_decision, take
from xin.ratelimit.errors import RateLimiterUnavailable
from xin.ratelimit.ports import Bucket, Decision

_CONFLICT = "ConditionalCheckFailedException"


class DynamoDbRateLimiter:
    def __init__(
        self,
        table: str,
        *,
        client: Any = None,
        region: str | None = None,
        endpoint_url: str | None = None,
        prefix: str = "xin:rl:",
        max_attempts: int = 50,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._table = table
        self._aws = LazyAwsClient(
            "dynamodb", client=client, region=region, endpoint_url=endpoint_url, timeouts=(2, 2)
        )
        self._prefix = prefix
        self._max_attempts = max_attempts
        self._clock = clock
        self._sleep = sleep

    def _dynamodb(self) -> Any:
        return self._aws.get()

    def _call(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        return self._aws.call(
            operation,
            lambda op: RateLimiterUnavailable(f"DynamoDB rate limiter failed: {op}"),
            passthrough_codes=(_CONFLICT,),
            **kwargs,
        )

    def _read(self, pk: str) -> tuple[BucketState | None, int]:
        item = self._call(
            "get_item", TableName=self._table, Key={"pk": {"S": pk}}, ConsistentRead=True
        ).get("Item")
        if not item or "tokens" not in item:
            return None, 0
        state = BucketState(tokens=float(item["tokens"]["N"]), updated=float(item["ts"]["N"]))
        return state, int(item["ver"]["N"])

    def _write(self, pk: str, state: BucketState, version: int, bucket: Bucket) -> None:
        refill_s = (bucket.burst - state.tokens) / bucket.rate
        condition: dict[str, Any] = (
            {"ConditionExpression": "attribute_not_exists(pk)"}
            if version == 0
            else {
                "ConditionExpression": "#v = :v",
                "ExpressionAttributeNames": {"#v": "ver"},
                "ExpressionAttributeValues": {":v": {"N": str(version)}},
            }
        )
        self._call(
            "put_item",
            TableName=self._table,
            Item={
                "pk": {"S": pk},
                "tokens": {"N": repr(state.tokens)},
                "ts": {"N": repr(state.updated)},
                "ver": {"N": str(version + 1)},
                "expires_at": {"N": str(math.ceil(state.updated + refill_s) + 60)},
            },
            **condition,
        )

    def acquire(self, key: str, bucket: Bucket, cost: int = 1) -> Decision:
        from botocore.exceptions import ClientError

        pk = self._prefix + key
        for attempt in range(self._max_attempts):
            state, version = self._read(pk)
            new_state, decision = take(state, bucket, self._clock(), cost)
            if not decision.allowed:
                return decision
            try:
                self._write(pk, new_state, version, bucket)
            except ClientError:  # only a lost race reaches here: read again and retry
                self._sleep(random.uniform(0, min(0.05, 0.002 * 2**attempt)))  # noqa: S311
                continue
            return decision
        raise RateLimiterUnavailable("DynamoDB rate limiter: too much contention on one bucket")

    def consume_quota(self, key: str, limit: int, window_end: float, cost: int = 1) -> Decision:
        from botocore.exceptions import ClientError

        now = self._clock()
        if cost > limit:
            return quota_decision(limit, limit, now, window_end, allowed=False)
        try:
            response = self._call(
                "update_item",
                TableName=self._table,
                Key={"pk": {"S": self._prefix + key}},
                UpdateExpression="ADD #u :c SET #e = if_not_exists(#e, :e)",
                ConditionExpression="attribute_not_exists(#u) OR #u <= :room",
                ExpressionAttributeNames={"#u": "used", "#e": "expires_at"},
                ExpressionAttributeValues={
                    ":c": {"N": str(cost)},
                    ":room": {"N": str(limit - cost)},
                    ":e": {"N": str(math.ceil(window_end))},
                },
                ReturnValues="UPDATED_NEW",
            )
        except ClientError:  # the condition failed: the window is used up
            return quota_decision(limit, limit, now, window_end, allowed=False)
        used = int(response["Attributes"]["used"]["N"])
        return quota_decision(used, limit, now, window_end, allowed=True)
