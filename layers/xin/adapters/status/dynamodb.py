"""DynamoDB implementation of the ``IngestionStatusStore`` port.

Table: partition key ``tenant`` (S), sort key ``document_id`` (S), on-demand capacity.
A claim is one conditional ``UpdateItem`` whose condition is ``decide_claim`` written as a
DynamoDB expression; when it fails, the old item (``ReturnValuesOnConditionCheckFailure``)
says why. ``finish`` is a ``PutItem`` conditional on the claim token.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from xin.adapters.aws_client import LazyAwsClient
from xin.errors import StoreUnavailable
from xin.ingest_status import Claim, ClaimDecision, IngestionRecord, decide_claim

_NUMBERS = frozenset(
    {"chunk_count", "size", "created_at", "updated_at", "indexed_at", "lease_until"}
)
_INTS = frozenset({"chunk_count", "size"})
_FIELDS = tuple(f.name for f in fields(IngestionRecord))
_KEYS = ("tenant", "document_id")
_CONDITION_FAILED = "ConditionalCheckFailedException"


class DynamoDbStatusStore:
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
            "dynamodb", client=client, region=region, endpoint_url=endpoint_url
        )

    @property
    def client(self) -> Any:
        return self._aws.get()

    def create_table(self) -> None:
        """Create the table (development and tests; in AWS the infrastructure owns it)."""
        self._call(
            "create_table",
            TableName=self._table,
            KeySchema=[
                {"AttributeName": "tenant", "KeyType": "HASH"},
                {"AttributeName": "document_id", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": "tenant", "AttributeType": "S"},
                {"AttributeName": "document_id", "AttributeType": "S"},
            ],
            BillingMode="PAY_PER_REQUEST",
        )

    def claim(self, attempt: IngestionRecord, now: float) -> Claim:
        item = _to_item(attempt)
        names = {f"#{name}": name for name in _FIELDS if name != "tenant"}
        values = {f":{n}": item[n] for n in names.values() if n in item and n not in _KEYS}
        updates = [
            f"#{n} = :{n}" for n in names.values() if n in item and n not in (*_KEYS, "created_at")
        ]
        updates.append("#created_at = if_not_exists(#created_at, :created_at)")
        remove = [] if "indexed_at" in item else ["#indexed_at"]
        values.update(
            {
                ":now": {"N": _num(now)},
                ":s_pending": {"S": "pending"},
                ":s_indexed": {"S": "indexed"},
                ":s_failed": {"S": "failed"},
                ":s_deleted": {"S": "deleted"},
            }
        )
        if attempt.sequencer:
            values[":empty"] = {"S": ""}
        expression = "SET " + ", ".join(updates)
        if remove:
            expression += " REMOVE " + ", ".join(remove)
        try:
            self.client.update_item(
                TableName=self._table,
                Key={key: item[key] for key in _KEYS},
                UpdateExpression=expression,
                ConditionExpression=_acquire_condition(bool(attempt.sequencer)),
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except Exception as exc:
            if not isinstance(exc, _aws_errors()):
                raise
            if _error_code(exc) != _CONDITION_FAILED:
                raise _unavailable("claim", exc) from exc
            old = _old_item(exc)
            existing = _from_item(old) if old else self.get(attempt.tenant, attempt.document_id)
            decision = decide_claim(existing, attempt, now)
            if decision is ClaimDecision.ACQUIRED:  # it changed under us: let the retry decide
                decision = ClaimDecision.IN_PROGRESS
            return Claim(decision, existing)
        return Claim(ClaimDecision.ACQUIRED, None)

    def finish(self, record: IngestionRecord) -> bool:
        try:
            self.client.put_item(
                TableName=self._table,
                Item=_to_item(record),
                ConditionExpression="#claim_token = :claim_token",
                ExpressionAttributeNames={"#claim_token": "claim_token"},
                ExpressionAttributeValues={":claim_token": {"S": record.claim_token}},
            )
        except Exception as exc:
            if not isinstance(exc, _aws_errors()):
                raise
            if _error_code(exc) == _CONDITION_FAILED:
                return False
            raise _unavailable("record the status of", exc) from exc
        return True

    def get(self, tenant: str, document_id: str) -> IngestionRecord | None:
        response = self._call(
            "get_item",
            TableName=self._table,
            Key={"tenant": {"S": tenant}, "document_id": {"S": document_id}},
            ConsistentRead=True,
        )
        item = response.get("Item")
        return _from_item(item) if item else None

    def list(self, tenant: str | None = None) -> list[IngestionRecord]:
        request: dict[str, Any] = {"TableName": self._table}
        operation = "scan"
        if tenant is not None:
            operation = "query"
            request["KeyConditionExpression"] = "#tenant = :tenant"
            request["ExpressionAttributeNames"] = {"#tenant": "tenant"}
            request["ExpressionAttributeValues"] = {":tenant": {"S": tenant}}
        records: list[IngestionRecord] = []
        while True:
            page = self._call(operation, **request)
            records.extend(_from_item(item) for item in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                break
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        return sorted(records, key=lambda r: (r.tenant, r.document_id))

    def delete(self, tenant: str, document_id: str) -> bool:
        response = self._call(
            "delete_item",
            TableName=self._table,
            Key={"tenant": {"S": tenant}, "document_id": {"S": document_id}},
            ReturnValues="ALL_OLD",
        )
        return bool(response.get("Attributes"))

    def _call(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response: dict[str, Any] = getattr(self.client, operation)(**kwargs)
        except Exception as exc:
            if not isinstance(exc, _aws_errors()):
                raise
            raise _unavailable(operation.replace("_", " "), exc) from exc
        return response


def _acquire_condition(has_sequencer: bool) -> str:
    """``decide_claim(existing, attempt) == ACQUIRED`` as a condition on the stored item."""
    in_progress = "(#state = :s_pending AND #lease_until > :now)"
    duplicate = (
        "(#state IN (:s_indexed, :s_failed, :s_deleted) AND #event = :event "
        "AND #version = :version AND #sequencer = :sequencer)"
    )
    clauses = [f"NOT {in_progress}", f"NOT {duplicate}"]
    if has_sequencer:
        clauses.insert(0, "(#sequencer = :empty OR #sequencer <= :sequencer)")
    return "attribute_not_exists(#document_id) OR (" + " AND ".join(clauses) + ")"


def _num(value: float) -> str:
    return repr(float(value)) if not float(value).is_integer() else str(int(value))


def _to_item(record: IngestionRecord) -> dict[str, dict[str, str]]:
    item: dict[str, dict[str, str]] = {}
    for name in _FIELDS:
        value = getattr(record, name)
        if value is None:
            continue
        item[name] = {"N": _num(value)} if name in _NUMBERS else {"S": str(value)}
    return item


def _from_item(item: dict[str, dict[str, str]]) -> IngestionRecord:
    values: dict[str, Any] = {}
    for name in _FIELDS:
        attribute = item.get(name)
        if attribute is None:
            continue
        if "N" in attribute:
            number = float(attribute["N"])
            values[name] = int(number) if name in _INTS else number
        else:
            values[name] = attribute.get("S", "")
    return IngestionRecord(**values)


def _aws_errors() -> tuple[type[Exception], ...]:
    """botocore's error types, imported only once a call has failed (botocore is loaded)."""
    from botocore.exceptions import BotoCoreError, ClientError

    return (BotoCoreError, ClientError)


def _error_code(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""


def _old_item(exc: Exception) -> dict[str, dict[str, str]] | None:
    response = getattr(exc, "response", None)
    item = response.get("Item") if isinstance(response, dict) else None
    return item if isinstance(item, dict) else None


def _unavailable(action: str, exc: Exception) -> StoreUnavailable:
    code = _error_code(exc) or type(exc).__name__
    return StoreUnavailable(f"cannot {action} the ingestion status table ({code})")
