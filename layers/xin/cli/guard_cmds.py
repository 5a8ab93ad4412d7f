"""``xin guard check``, ``xin redact``, ``xin eval guard``, ``xin eval pii``.

JSON Lines in (``--input FILE`` or stdin), JSON Lines out, one record per input line. A
line that is not a JSON object with a string ``text`` yields ``{"id", "line", "error"}``
instead of a result; the exit code is 1 if any line failed, 0 otherwise. Heavy imports
happen inside the commands, so registering them costs nothing at CLI start-up.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

InputOption = Annotated[
    Path | None,
    typer.Option("--input", "-i", help="JSON Lines file (default: stdin).", dir_okay=False),
]
DatasetOption = Annotated[
    Path, typer.Option("--dataset", help="JSON Lines dataset.", exists=True, dir_okay=False)
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
SemanticFlag = Annotated[
    bool,
    typer.Option(
        "--semantic/--no-semantic",
        help="Also score with the configured embedding model, as chat does (guard.semantic).",
    ),
]


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add ``guard check`` and ``redact`` to ``app``, ``guard`` and ``pii`` to ``eval_app``."""
    guard_app = typer.Typer(help="Prompt-injection and jailbreak guard.", no_args_is_help=True)
    guard_app.command("check")(guard_check)
    app.add_typer(guard_app, name="guard")
    app.command("redact")(redact)
    eval_app.command("guard")(eval_guard)
    eval_app.command("pii")(eval_pii)


@contextmanager
def _quiet_guard_logs() -> Iterator[None]:
    """Per-message guard warnings are noise next to a JSON Lines result stream."""
    logger = logging.getLogger("xin.guard")
    previous = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(previous)


def _chat_embedder(enabled: bool) -> Any:
    """The embedder chat's guard uses for its semantic opinion, or None (ADR 0003)."""
    if not enabled:
        return None
    from xin.config import load_settings
    from xin.deps import Container

    settings = load_settings()
    return Container(settings).embedder if settings.guard.semantic else None


def _lines(path: Path | None) -> Iterator[tuple[int, str]]:
    stream: TextIO = path.open(encoding="utf-8") if path else sys.stdin
    try:
        for number, line in enumerate(stream, start=1):
            if line.strip():
                yield number, line
    finally:
        if path:
            stream.close()


def _records(path: Path | None) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """``(line number, record, error)`` per non-blank line; the record needs a string text."""
    for number, line in _lines(path):
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, None, f"invalid JSON: {exc.msg}"
            continue
        if not isinstance(record, dict):
            yield number, None, "a line must be a JSON object"
        elif not isinstance(record.get("text"), str):
            yield number, record, 'missing string field "text"'
        else:
            yield number, record, None


def _stream(path: Path | None, handle: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
    failed = False
    for number, record, error in _records(path):
        row_id = record.get("id") if record else None
        if error is None and record is not None:
            try:
                out = {"id": row_id, **handle(record)}
            except Exception as exc:  # one bad record never stops the stream
                out, failed = (
                    {"id": row_id, "line": number, "error": f"{type(exc).__name__}: {exc}"},
                    True,
                )
        else:
            out, failed = {"id": row_id, "line": number, "error": error}, True
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    if failed:
        raise typer.Exit(1)


def guard_check(
    input_path: InputOption = None,
    chunk: Annotated[
        bool, typer.Option("--chunk", help="Score as document chunks (ingestion profile).")
    ] = False,
    semantic: SemanticFlag = True,
) -> None:
    """Score messages: {"id","text"} → {"id","blocked","score","reasons"}."""
    from xin.guard.chunk import scan_chunk
    from xin.guard.input_guard import InputGuard

    guard = InputGuard(embedder=None if chunk else _chat_embedder(semantic))

    def handle(record: dict[str, Any]) -> dict[str, Any]:
        verdict = scan_chunk(record["text"]) if chunk else guard.check(record["text"])
        return {
            "blocked": verdict.blocked,
            "score": verdict.score,
            "reasons": list(verdict.reasons),
        }

    with _quiet_guard_logs():
        _stream(input_path, handle)


def redact(
    input_path: InputOption = None,
    types: Annotated[
        str | None, typer.Option("--types", help="Comma-separated PII types (default: all).")
    ] = None,
) -> None:
    """Mask PII: {"id","text"} → {"id","redacted","spans":[{"start","end","type"}]}.

    Lines sharing a "conversation_id" share placeholders (<EMAIL_1> stays <EMAIL_1>)."""
    from xin.redaction.policy import RedactionPolicy
    from xin.redaction.redactor import Redactor
    from xin.redaction.spans import ALL_TYPES

    enabled = ALL_TYPES
    if types:
        wanted = {t.strip().upper() for t in types.split(",") if t.strip()}
        unknown = wanted - ALL_TYPES
        if unknown:
            typer.secho(
                f"error: unknown PII types: {', '.join(sorted(unknown))}", err=True, fg="red"
            )
            raise typer.Exit(2)
        enabled = frozenset(t for t in ALL_TYPES if t in wanted)
    policy = RedactionPolicy(enabled=enabled)
    conversations: dict[str, Redactor] = {}

    def handle(record: dict[str, Any]) -> dict[str, Any]:
        conversation = record.get("conversation_id")
        redactor = (
            conversations.setdefault(str(conversation), Redactor(policy))
            if conversation is not None
            else Redactor(policy)
        )
        result = redactor.redact(record["text"])
        return {"redacted": result.text, "spans": [s.as_dict() for s in result.spans]}

    _stream(input_path, handle)


def _load_rows(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rows, errors = [], []
    for number, record, error in _records(path):
        if error is None and record is not None:
            rows.append(record)
        else:
            errors.append(
                {"id": record.get("id") if record else None, "line": number, "error": error}
            )
    return rows, errors


def eval_guard(
    dataset: DatasetOption,
    as_json: JsonFlag = False,
    mode: Annotated[
        str, typer.Option("--mode", help="input | chunk | auto (chunk for document rows).")
    ] = "input",
    semantic: SemanticFlag = True,
) -> None:
    """TPR / FPR of the guard on a labelled set (label 1 = attack, 0 = benign), with
    per-language, per-category and per-split breakdowns where those fields exist."""
    from xin.guard.evaluation import evaluate_guard, parse_label

    if mode not in ("input", "chunk", "auto"):
        typer.secho("error: --mode must be input, chunk or auto", err=True, fg="red")
        raise typer.Exit(2)
    rows, errors = _load_rows(dataset)
    valid = []
    for row in rows:
        try:
            parse_label(row.get("label"))
            valid.append(row)
        except ValueError as exc:
            errors.append({"id": row.get("id"), "error": str(exc)})
    with _quiet_guard_logs():
        embedder = _chat_embedder(semantic and mode != "chunk")
        report = evaluate_guard(valid, mode=mode, embedder=embedder)  # type: ignore[arg-type]
    result = {"dataset": str(dataset), "mode": mode, **report.as_dict(), "errors": errors}
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
    else:
        _print_guard(result)
    if errors:
        raise typer.Exit(1)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _print_guard(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(
        f"[bold]{result['dataset']}[/bold] (mode {result['mode']}; detected = blocked): "
        f"TPR {_pct(result['tpr'])} on {result['attacks']} attacks, "
        f"FPR {_pct(result['fpr'])} on {result['benign']} benign "
        f"(flagged: {result['flagged_attacks']} attacks, {result['flagged_benign']} benign)"
    )
    for field, groups in result["breakdown"].items():
        table = Table(title=f"by {field}")
        for column in (field, "attacks", "TPR", "benign", "FPR"):
            table.add_column(column)
        for name, c in groups.items():
            table.add_row(name, str(c["attacks"]), _pct(c["tpr"]), str(c["benign"]), _pct(c["fpr"]))
        console.print(table)
    if result["errors"]:
        console.print(f"[red]{len(result['errors'])} bad rows skipped[/red]")


_MATCHING = {"exact": "same start, end and type", "overlap": "same type, spans overlap"}


def eval_pii(dataset: DatasetOption, as_json: JsonFlag = False) -> None:
    """Per-type precision / recall / F1 against gold "spans", with exact-span and overlap
    matching (both reported)."""
    from xin.redaction.evaluation import evaluate_pii

    rows, errors = _load_rows(dataset)
    report = evaluate_pii(rows)
    result = {"dataset": str(dataset), **report.as_dict(), "errors": errors}
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
    else:
        from rich.console import Console
        from rich.table import Table

        console = Console()
        for matching in ("exact", "overlap"):
            section = result.get(matching, {"per_type": {}, "micro": {}})
            table = Table(title=f"{matching} matching ({_MATCHING[matching]})")
            for column in ("type", "precision", "recall", "F1", "tp", "fp", "fn"):
                table.add_column(column)
            for name, c in [*section["per_type"].items(), ("micro", section["micro"])]:
                metrics = [_pct(c.get(k)) for k in ("precision", "recall", "f1")]
                table.add_row(name, *metrics, *(str(c.get(k, 0)) for k in ("tp", "fp", "fn")))
            console.print(table)
        if errors:
            console.print(f"[red]{len(errors)} bad rows skipped[/red]")
    if errors:
        raise typer.Exit(1)
