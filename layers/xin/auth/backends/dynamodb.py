"""DynamoDB ``ApiKeyStore`` (Lambda). One item per key, partition key ``key_id``.

Verification is one strongly consistent ``GetItem``, so a revocation takes effect on the next
request. ``list`` scans (an admin operation on a small table); a tenant filter is applied by
DynamoDB. Table: partition key ``key_id`` (string), on-demand capacity.
"""

from __future__ import annotations

from typing import Any

from xin.adapters.aws_client import LazyAwsClient
from xin.auth.errors import AuthUnavailable
from xin.auth.keys import ApiKeyRecord
from xin.errors import InvalidRequest

_CONFLICT = "ConditionalCheckFailedException"


def _item(record: ApiKeyRecord) -> dict[str, Any]:
    item: dict[str, Any] = {
        "key_id": {"S": record.key_id},
        "tenant": {"S": record.tenant},
        "roles": {"L": [{"S": role} for role in record.roles]},
        "name": {"S": record.name},
        "salt": {"S": record.salt},
        "digest": {"S": record.digest},
        "scheme": {"S": record.scheme},
        "created_at": {"N": repr(record.created_at)},
        "revoked": {"BOOL": record.revoked},
    }
    if record.expires_at is not None:
        item["expires_at"] = {"N": repr(record.expires_at)}
    return item


def _record(item: dict[str, Any]) -> ApiKeyRecord:
    expires = item.get("expires_at")
    return ApiKeyRecord(
        key_id=item["key_id"]["S"],
        tenant=item["tenant"]["S"],
        roles=tuple(role["S"] for role in item["roles"]["L"]),
        name=item.get("name", {}).get("S", ""),
        salt=item["salt"]["S"],
        digest=item["digest"]["S"],
        created_at=float(item["created_at"]["N"]),
        expires_at=float(expires["N"]) if expires else None,
        revoked=bool(item.get("revoked", {}).get("BOOL", False)),
        scheme=item["scheme"]["S"],
    )


class DynamoDbApiKeyStore:
    def __init__(
        self,
        table: str,
        *,
        client: Any = None,
        region: str | None = None,
        endpoint_url: str | None = None,
    ) -> None:
        self._table = table
        self._aws = LazyAwsClient(
            "dynamodb", client=client, region=region, endpoint_url=endpoint_url, timeouts=(2, 3)
        )

    def _dynamodb(self) -> Any:
        return self._aws.get()

    def _call(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        return self._aws.call(
            operation,
            lambda op: AuthUnavailable(f"API key store unavailable: {op}"),
            passthrough_codes=(_CONFLICT,),
            **kwargs,
        )

    def put(self, record: ApiKeyRecord) -> None:
        from botocore.exceptions import ClientError

        try:
            self._call(
                "put_item",
                TableName=self._table,
                Item=_item(record),
                ConditionExpression="attribute_not_exists(key_id)",
            )
        except ClientError:
            raise InvalidRequest("an API key with this id already exists") from None

    def get(self, key_id: str) -> ApiKeyRecord | None:
        if not key_id:
            return None
        item = self._call(
            "get_item", TableName=self._table, Key={"key_id": {"S": key_id}}, ConsistentRead=True
        ).get("Item")
        return _record(item) if item else None

    def list(self, tenant: str | None = None) -> list[ApiKeyRecord]:
        kwargs: dict[str, Any] = {"TableName": self._table, "ConsistentRead": True}
        if tenant is not None:
            kwargs["FilterExpression"] = "#t = :t"
            kwargs["ExpressionAttributeNames"] = {"#t": "tenant"}
            kwargs["ExpressionAttributeValues"] = {":t": {"S": tenant}}
        records: list[ApiKeyRecord] = []
        while True:
            page = self._call("scan", **kwargs)
            records.extend(_record(item) for item in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        return sorted(records, key=lambda r: (r.created_at, r.key_id))

    def revoke(self, key_id: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self._call(
                "update_item",
                TableName=self._table,
                Key={"key_id": {"S": key_id}},
                UpdateExpression="SET #r = :r",
                ConditionExpression="attribute_exists(key_id)",
                ExpressionAttributeNames={"#r": "revoked"},
                ExpressionAttributeValues={":r": {"BOOL": True}},
            )
        except ClientError:
            return False
        return True
