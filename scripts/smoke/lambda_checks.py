"""``lambda`` mode: invoke each function with the sample events from tests/events.

Deployed functions are found from the stack's outputs (``<Name>FunctionName``) and invoked
at their ``live`` alias with boto3; ``--local`` imports ``functions/<name>/handler.py`` and
calls it in-process, which exercises the same handler code without AWS.
"""

from __future__ import annotations

import base64
import copy
import importlib.util
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .report import Report

REPO = Path(__file__).resolve().parents[2]
EVENTS = REPO / "tests" / "events"


@dataclass(frozen=True)
class Case:
    function: str  # functions/<function>
    output: str  # CloudFormation output naming the deployed function
    event: str  # tests/events/<event>
    accept: tuple[int, ...] = (200,)  # API functions: acceptable status codes


CASES = (
    Case("health", "HealthFunctionName", "apigw_v2_health.json"),
    Case("chat", "ChatFunctionName", "apigw_v2_chat.json"),
    # an unknown document is a clean 404 with the error envelope: the function works
    Case("ingest_status", "IngestStatusFunctionName", "apigw_v2_ingest_status.json", (200, 404)),
    Case("ingest", "IngestFunctionName", "sqs_s3_test_event.json"),
)

Invoker = Callable[[Case, dict[str, Any]], dict[str, Any]]


class LambdaContext:
    function_name = "xin-smoke"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:us-east-1:000000000000:function:xin-smoke"
    memory_limit_in_mb = 1024
    aws_request_id = "00000000-0000-4000-8000-000000000000"
    log_group_name = "/aws/lambda/xin-smoke"
    log_stream_name = "smoke"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


def load_event(case: Case, api_key: str | None) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / case.event).read_text(encoding="utf-8"))
    if api_key and "headers" in event:
        event = copy.deepcopy(event)
        event["headers"]["x-api-key"] = api_key
    return event


def local_invoker() -> Invoker:
    def invoke(case: Case, event: dict[str, Any]) -> dict[str, Any]:
        path = REPO / "functions" / case.function / "handler.py"
        spec = importlib.util.spec_from_file_location(f"smoke_handler_{case.function}", path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        result: dict[str, Any] = module.handler(event, LambdaContext())
        return result

    return invoke


def stack_outputs(stack: str, region: str | None) -> dict[str, str]:
    import boto3

    cfn = boto3.client("cloudformation", region_name=region)
    (described,) = cfn.describe_stacks(StackName=stack)["Stacks"]
    return {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}


def remote_invoker(outputs: dict[str, str], region: str | None, qualifier: str) -> Invoker:
    import boto3

    client = boto3.client("lambda", region_name=region)

    def invoke(case: Case, event: dict[str, Any]) -> dict[str, Any]:
        resp = client.invoke(
            FunctionName=outputs[case.output],
            Qualifier=qualifier,
            Payload=json.dumps(event).encode(),
            LogType="Tail",
        )
        payload: dict[str, Any] = json.loads(resp["Payload"].read() or b"{}")
        if resp.get("FunctionError"):
            tail = base64.b64decode(resp.get("LogResult", "")).decode("utf-8", "replace")
            raise RuntimeError(f"{resp['FunctionError']}: {payload} {tail[-1500:]}")
        return payload

    return invoke


def judge(case: Case, result: dict[str, Any]) -> tuple[bool, str]:
    if case.function == "ingest":
        failures = result.get("batchItemFailures")
        return failures == [], f"batchItemFailures={failures}"
    status = result.get("statusCode")
    try:
        body = json.loads(result.get("body") or "{}")
    except ValueError:
        return False, f"status {status}, body is not JSON"
    headers = {k.lower(): v for k, v in (result.get("headers") or {}).items()}
    request_id = headers.get("x-request-id")
    ok = status in case.accept and bool(request_id)
    if case.function == "chat" and status == 200:
        ok = ok and bool(body.get("answer")) and body.get("request_id") == request_id
    if case.function == "health" and status == 200:
        ok = ok and body.get("status") == "ok"
    return ok, f"status {status}, request_id={request_id}"


def run_lambda(
    report: Report,
    invoker: Invoker,
    *,
    api_key: str | None,
    only: set[str] | None,
    available: Callable[[Case], bool],
) -> None:
    for case in CASES:
        if only and case.function not in only:
            continue
        if not available(case):
            report.log(f"skip {case.function}: not deployed")
            continue
        try:
            result = invoker(case, load_event(case, api_key))
        except Exception as exc:  # any failure to invoke is a failed check
            report.record(f"lambda:{case.function}", False, f"{type(exc).__name__}: {exc}")
            continue
        ok, detail = judge(case, result)
        report.record(f"lambda:{case.function}", ok, f"{case.event}: {detail}", result)
