"""Built-in actions: hand off to a human, create a support ticket, an HTTP look-up."""

from __future__ import annotations

import string
from collections.abc import Sequence
from urllib.parse import quote, urlsplit

from pydantic import BaseModel, Field

from xin.actions.base import Action, ActionContext, ActionResult
from xin.actions.state import ActionState
from xin.channels.port import HttpClient
from xin.config.channels import ActionsSettings
from xin.errors import ConfigurationError


class HandoffParams(BaseModel):
    summary: str = Field(default="", max_length=2000, description="Why the user needs a human.")


class TicketParams(BaseModel):
    summary: str = Field(min_length=1, max_length=2000, description="The problem to report.")
    priority: str = Field(default="normal", pattern=r"^(low|normal|high)$")


class LookupParams(BaseModel):
    params: dict[str, str] = Field(description="Values for the URL template's {placeholders}.")


def handoff_action(settings: ActionsSettings, http: HttpClient, state: ActionState) -> Action:
    def run(params: BaseModel, ctx: ActionContext) -> ActionResult:
        assert isinstance(params, HandoffParams)
        if not settings.handoff_webhook_url:
            raise ConfigurationError("actions.handoff_webhook_url is not set")
        http.request(
            "POST",
            settings.handoff_webhook_url,
            json={
                "event": "handoff",
                "tenant": ctx.tenant,
                "channel": ctx.channel,
                "session_id": ctx.session_id,
                "user_id": ctx.user_id,
                "summary": params.summary,
            },
        )
        state.mark_handed_off(ctx.tenant, ctx.session_id)
        return ActionResult(True, "A colleague has been notified and will reply here shortly.")

    return Action(
        "handoff",
        "Hand the conversation over to a human support agent.",
        HandoffParams,
        run,
        side_effect=True,
    )


def ticket_action(settings: ActionsSettings, http: HttpClient) -> Action:
    def run(params: BaseModel, ctx: ActionContext) -> ActionResult:
        assert isinstance(params, TicketParams)
        if not settings.ticket_webhook_url:
            raise ConfigurationError("actions.ticket_webhook_url is not set")
        response = http.request(
            "POST",
            settings.ticket_webhook_url,
            json={
                "tenant": ctx.tenant,
                "channel": ctx.channel,
                "session_id": ctx.session_id,
                "user_id": ctx.user_id,
                "summary": params.summary,
                "priority": params.priority,
            },
        )
        body = response.json() if response.body else {}
        ticket = str(body.get("id", "")) if isinstance(body, dict) else ""
        suffix = f" (#{ticket})" if ticket else ""
        return ActionResult(
            True, f"Your support ticket has been created{suffix}.", {"ticket_id": ticket}
        )

    return Action(
        "create_ticket",
        "Open a support ticket describing the user's problem.",
        TicketParams,
        run,
        side_effect=True,
    )


def render_url(template: str, params: dict[str, str], allowed: Sequence[str]) -> str:
    """Fill ``{name}`` placeholders with URL-encoded values; the result must stay under one
    of the allow-listed base URLs (same scheme, host and path prefix)."""
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    missing = names - set(params)
    if missing:
        raise ValueError(f"missing parameters: {sorted(missing)}")
    url = template.format(**{k: quote(str(params[k]), safe="") for k in names})
    if not any(_under(url, base) for base in allowed):
        raise PermissionError("the look-up URL is not under an allow-listed base URL")
    return url


def _under(url: str, base: str) -> bool:
    target, root = urlsplit(url), urlsplit(base)
    return (
        target.scheme == root.scheme
        and target.netloc == root.netloc
        and target.path.startswith(root.path.rstrip("/") + "/")
    )


def lookup_action(settings: ActionsSettings, http: HttpClient) -> Action:
    def run(params: BaseModel, ctx: ActionContext) -> ActionResult:
        assert isinstance(params, LookupParams)
        if not settings.lookup_url_template:
            raise ConfigurationError("actions.lookup_url_template is not set")
        url = render_url(
            settings.lookup_url_template, params.params, settings.lookup_allowed_base_urls
        )
        data = http.request("GET", url, headers={"Accept": "application/json"}).json()
        if isinstance(data, dict):
            summary = ", ".join(f"{k}: {v}" for k, v in list(data.items())[:8])
        else:
            summary = str(data)[:500]
        return ActionResult(True, summary, {"result": data})

    return Action(
        "http_lookup",
        "Look up a record (e.g. an order's status) by its id.",
        LookupParams,
        run,
        side_effect=False,
    )
