"""``xin keys create|list|revoke``: manage API keys in the configured key store.

The full key is printed once, by ``create``; the store keeps only its salted HMAC.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from xin.errors import XinError

if TYPE_CHECKING:
    from xin.auth.keys import ApiKeyRecord, ApiKeyService

ROLE_NAMES = ("chat", "ingest", "metrics", "admin")


def _service() -> ApiKeyService:
    from xin.cli.main import _settings
    from xin.deps import Container

    return Container(_settings()).api_keys


def _fail(exc: XinError) -> typer.Exit:
    typer.secho(f"error: {exc.message}", err=True, fg="red")
    return typer.Exit(1)


def _as_dict(record: ApiKeyRecord) -> dict[str, object]:
    return {
        "key_id": record.key_id,
        "tenant": record.tenant,
        "roles": list(record.roles),
        "name": record.name,
        "created_at": record.created_at,
        "expires_at": record.expires_at,
        "revoked": record.revoked,
    }


def _when(epoch: float | None) -> str:
    if epoch is None:
        return "never"
    return dt.datetime.fromtimestamp(epoch, tz=dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def create(
    tenant: Annotated[str, typer.Option("--tenant", "-t", help="Tenant, or '*' (admin only).")],
    role: Annotated[
        list[str], typer.Option("--role", "-r", help=f"Repeatable: {', '.join(ROLE_NAMES)}.")
    ],
    name: Annotated[str, typer.Option(help="A label, e.g. the app that uses it.")] = "",
    expires_in_days: Annotated[
        int | None, typer.Option("--expires-in-days", min=1, help="Default: never.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Create a key and print it once."""
    ttl = None if expires_in_days is None else expires_in_days * 86_400.0
    try:
        issued = _service().create(tenant, role, name=name, ttl_s=ttl)
    except XinError as exc:
        raise _fail(exc) from None
    if as_json:
        out = {**_as_dict(issued.record), "api_key": issued.secret}
        sys.stdout.write(json.dumps(out) + "\n")
        return
    typer.echo(issued.secret)
    typer.secho(
        f"key {issued.record.key_id} for tenant '{issued.record.tenant}' "
        f"({', '.join(issued.record.roles)}), expires {_when(issued.record.expires_at)}. "
        "Store it now: it cannot be shown again.",
        err=True,
    )


def list_keys(
    tenant: Annotated[str | None, typer.Option("--tenant", "-t", help="Only this tenant.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List keys (never their secrets)."""
    try:
        records = _service().list(tenant)
    except XinError as exc:
        raise _fail(exc) from None
    if as_json:
        sys.stdout.write(json.dumps([_as_dict(r) for r in records]) + "\n")
        return
    for r in records:
        state = "revoked" if r.revoked else "active"
        typer.echo(
            f"{r.key_id}  {r.tenant:<16} {','.join(r.roles):<20} {state:<8} "
            f"expires {_when(r.expires_at):<20} {r.name}"
        )


def revoke(
    key_id: Annotated[str, typer.Argument(help="The key id (or the whole key).")],
) -> None:
    """Revoke a key: it stops working on the next request."""
    parts = key_id.split("_")
    if len(parts) >= 3 and parts[0] == "xin":
        key_id = parts[1]
    try:
        record = _service().revoke(key_id)
    except XinError as exc:
        raise _fail(exc) from None
    typer.echo(f"revoked {record.key_id} (tenant '{record.tenant}')")


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    keys = typer.Typer(help="Manage API keys.", no_args_is_help=True)
    keys.command("create")(create)
    keys.command("list")(list_keys)
    keys.command("revoke")(revoke)
    app.add_typer(keys, name="keys")
