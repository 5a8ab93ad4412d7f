"""``xin invoke FUNCTION --event FILE``: run a Lambda handler locally, print its response.

The local twin of a post-deploy smoke invocation: ``functions/<FUNCTION>/handler.py`` is
imported fresh (a cold start), called with the event and a fake ``LambdaContext``, and the
response JSON goes to stdout. Logs and EMF metrics go to stderr, so stdout stays parseable.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import time
import uuid
from contextlib import redirect_stdout
from pathlib import Path
from typing import Annotated, Any

import typer


class LocalLambdaContext:
    """What the Lambda runtime passes as ``context``, for a local run."""

    def __init__(self, function: str, timeout_s: float, memory_mb: int = 1024) -> None:
        self.function_name = f"xin-{function.replace('_', '-')}"
        self.function_version = "$LATEST"
        self.invoked_function_arn = (
            f"arn:aws:lambda:local:000000000000:function:{self.function_name}"
        )
        self.memory_limit_in_mb = memory_mb
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{self.function_name}"
        self.log_stream_name = f"local/[$LATEST]{uuid.uuid4().hex}"
        self._deadline = time.monotonic() + timeout_s

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def functions_dir(explicit: Path | None) -> Path:
    """``--functions-dir``, else ./functions, else the checkout the package was installed from."""
    if explicit is not None:
        return explicit
    here = Path("functions")
    if here.is_dir():
        return here
    import xin

    return Path(xin.__file__).resolve().parents[2] / "functions"


def load_handler(directory: Path, function: str) -> Any:
    path = directory / function / "handler.py"
    if not path.is_file():
        known = sorted(p.parent.name for p in directory.glob("*/handler.py"))
        raise LookupError(f"no function '{function}' in {directory} (known: {', '.join(known)})")
    spec = importlib.util.spec_from_file_location(f"xin_invoke_{function}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.handler


def read_event(source: str) -> Any:
    text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    return json.loads(text)


def invoke(
    function: Annotated[str, typer.Argument(help="A folder under functions/, e.g. chat.")],
    event: Annotated[str, typer.Option("--event", "-e", help="Event JSON file ('-': stdin).")],
    functions: Annotated[
        Path | None, typer.Option("--functions-dir", help="Where functions/ lives.")
    ] = None,
    timeout: Annotated[float, typer.Option(help="Seconds the fake context allows.")] = 30.0,
) -> None:
    """Run functions/FUNCTION/handler.py locally with an event and print the response."""
    try:
        payload = read_event(event)
        handler = load_handler(functions_dir(functions), function)
    except (OSError, json.JSONDecodeError, LookupError) as exc:
        typer.secho(f"error: {exc}", err=True, fg="red")
        raise typer.Exit(2) from None
    context = LocalLambdaContext(function, timeout)
    started = time.perf_counter()
    try:
        with redirect_stdout(sys.stderr):  # logs and EMF metrics: stderr
            response = handler(payload, context)
    except Exception as exc:  # report it as Lambda would, with a failing exit code
        error = {"errorType": type(exc).__name__, "errorMessage": str(exc)}
        typer.secho(json.dumps(error), err=True, fg="red")
        raise typer.Exit(1) from None
    elapsed = (time.perf_counter() - started) * 1000
    typer.secho(f"{function}: {elapsed:.0f} ms (cold start included)", err=True, fg="cyan")
    sys.stdout.write(json.dumps(response, ensure_ascii=False, indent=2) + "\n")


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    app.command("invoke")(invoke)
