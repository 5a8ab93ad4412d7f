"""Choosing and running actions safely.

A message first settles a pending confirmation ("yes"/"بله" runs it, anything else cancels
it). Otherwise the intent rules — or, with a hosted model, an ``ActionChooser`` through tool
use — may choose an action; it must be allowed for the tenant and the channel (the model is
only offered allowed ones); a side-effecting action is only *proposed* (a pending record per
session) and runs on the next message if that confirms. Each run has a timeout. Every
decision leaves an audit record with redacted parameters.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from pydantic import ValidationError

from xin.actions.base import Action, ActionContext, ActionRegistry, ActionResult
from xin.actions.chooser import ActionChooser, ToolOutcome
from xin.actions.intents import is_confirmation, is_persian, match_intent
from xin.actions.state import ActionState, AuditRecord, Pending
from xin.config.channels import ActionsSettings
from xin.observability.logging import get_logger

_TEXT = {
    "confirm": (
        'I can {what}. Reply "yes" to confirm, anything else to cancel.',
        "می‌توانم {what}. برای تأیید «بله» را بفرستید؛ هر پاسخ دیگری لغو می‌کند.",
    ),
    "cancelled": ("OK, cancelled.", "باشه، لغو شد."),
    "failed": (
        "Sorry, that did not work. Please try again later.",
        "متأسفم، انجام نشد. لطفاً بعداً دوباره تلاش کنید.",
    ),
    "invalid": (
        "I could not understand the details for that request.",
        "جزئیات این درخواست را متوجه نشدم.",
    ),
}
_WHAT = {
    "handoff": ("hand this conversation to a colleague", "این گفتگو را به یک همکار بسپارم"),
    "create_ticket": ("open a support ticket for you", "برای شما یک تیکت پشتیبانی ثبت کنم"),
}


def _say(key: str, persian: bool, **values: str) -> str:
    return _TEXT[key][1 if persian else 0].format(**values)


def redact_params(params: dict[str, Any]) -> dict[str, Any]:
    """Parameters as they may be stored: PII masked with ``xin.redaction``."""
    try:
        from xin.redaction import Redactor
    except ImportError:  # pragma: no cover - the redaction package ships with the layer
        return {k: "<redacted>" for k in params}
    redactor = Redactor()

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return redactor.redact(value).text
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    return {k: clean(v) for k, v in params.items()}


class ActionEngine:
    def __init__(
        self,
        registry: ActionRegistry,
        state: ActionState,
        settings: ActionsSettings,
        *,
        clock: Callable[[], float] = time.time,
        redact: Callable[[dict[str, Any]], dict[str, Any]] = redact_params,
        chooser: ActionChooser | None = None,
    ) -> None:
        self._registry = registry
        self._state = state
        self._settings = settings
        self._clock = clock
        self._redact = redact
        self._chooser = chooser  # None: the intent rules choose
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="xin-action")

    @property
    def registry(self) -> ActionRegistry:
        return self._registry

    def allowed(self, tenant: str, channel: str) -> set[str]:
        names = set(self._registry.names())
        config = self._settings
        if config.allowed is not None:
            names &= set(config.allowed)
        if tenant in config.tenants:
            names &= set(config.tenants[tenant])
        if channel in config.channels:
            names &= set(config.channels[channel])
        return names

    def handle(self, ctx: ActionContext) -> str | None:
        """The reply when the message settles or proposes an action; ``None`` to answer it."""
        persian = is_persian(ctx.text)
        pending = self._state.pop_pending(ctx.tenant, ctx.session_id, self._clock())
        if pending is not None:
            action = self._registry.get(pending.action)
            if action is not None and is_confirmation(ctx.text):
                return self._run(action, pending.params, ctx, persian).message
            self._audit(ctx, pending.action, pending.params, "cancelled")
            return _say("cancelled", persian)
        if not self._settings.enabled:
            return None
        if self._chooser is not None:
            return self._choose_by_model(ctx, self._chooser)
        chosen = match_intent(ctx.text)
        return None if chosen is None else self.request(chosen[0], chosen[1], ctx)

    def _choose_by_model(self, ctx: ActionContext, chooser: ActionChooser) -> str | None:
        allowed = self.allowed(ctx.tenant, ctx.channel)
        if not allowed:
            return None  # no tools to offer: no model call at all
        tools = self._registry.tool_specs(allowed)  # only what this tenant/channel may use
        try:
            return chooser.choose(ctx, tools, lambda name, raw: self.invoke(name, raw, ctx))
        except Exception as exc:  # routing must not block answering: fall back to the answer
            get_logger().warning("action chooser failed", extra={"error": type(exc).__name__})
            return None

    def request(self, name: str, raw: dict[str, Any], ctx: ActionContext) -> str | None:
        """Run ``name`` (or propose it, when it has side effects): the user-facing reply, or
        ``None`` when the action is unknown or not allowed here (then answer instead)."""
        outcome = self.invoke(name, raw, ctx)
        return None if outcome.status in ("denied", "unknown") else outcome.message

    def invoke(self, name: str, raw: dict[str, Any], ctx: ActionContext) -> ToolOutcome:
        """One tool call: the same checks, confirmation and audit as an intent match."""
        persian = is_persian(ctx.text)
        action = self._registry.get(name)
        if action is None:
            return ToolOutcome("unknown", f"there is no action named {name!r}")
        if name not in self.allowed(ctx.tenant, ctx.channel):
            self._audit(ctx, name, raw, "denied", "not allowed for this tenant/channel")
            return ToolOutcome("denied", "this action is not available here")
        try:
            params = action.params.model_validate(raw).model_dump()
        except ValidationError as exc:
            self._audit(ctx, name, raw, "failed", "invalid parameters")
            fields = sorted({".".join(map(str, e["loc"])) for e in exc.errors()})
            return ToolOutcome("invalid", _say("invalid", persian), {"invalid_fields": fields})
        if not action.side_effect:
            return self._run(action, params, ctx, persian)
        expires = self._clock() + self._settings.confirmation_ttl_s
        self._state.set_pending(ctx.tenant, ctx.session_id, Pending(name, params, expires))
        self._audit(ctx, name, params, "awaiting_confirmation")
        what = _WHAT.get(name, (action.description.rstrip(".").lower(), action.description))
        return ToolOutcome("proposed", _say("confirm", persian, what=what[1 if persian else 0]))

    def _run(
        self, action: Action, params: dict[str, Any], ctx: ActionContext, persian: bool
    ) -> ToolOutcome:
        timeout = action.timeout_s or self._settings.timeout_s
        future = self._pool.submit(action.run, action.params.model_validate(params), ctx)
        try:
            result: ActionResult = future.result(timeout=timeout)
        except FutureTimeout:
            future.cancel()
            self._audit(ctx, action.name, params, "timeout", f"after {timeout:g} s")
            return ToolOutcome("failed", _say("failed", persian))
        except Exception as exc:  # an action's failure is audited and told, never raised
            get_logger().warning(
                "action failed", extra={"action": action.name, "error": type(exc).__name__}
            )
            self._audit(ctx, action.name, params, "failed", type(exc).__name__)
            return ToolOutcome("failed", _say("failed", persian))
        self._audit(ctx, action.name, params, "ran" if result.ok else "failed")
        return ToolOutcome("ran" if result.ok else "failed", result.message, result.data)

    def _audit(
        self, ctx: ActionContext, name: str, params: dict[str, Any], outcome: str, detail: str = ""
    ) -> None:
        self._state.audit(
            AuditRecord(
                at=self._clock(),
                tenant=ctx.tenant,
                channel=ctx.channel,
                session_id=ctx.session_id,
                user_id=ctx.user_id,
                action=name,
                params=self._redact(params),
                outcome=outcome,
                detail=detail,
            )
        )


def build_registry(settings: ActionsSettings, http: Any, state: ActionState) -> ActionRegistry:
    """The built-in actions whose endpoint is configured. An action with nowhere to send its
    request is not registered, so it is never proposed (a user who confirms a hand-off that
    cannot happen is worse off than one who gets an answer)."""
    from xin.actions.builtin import handoff_action, lookup_action, ticket_action

    actions = []
    if settings.handoff_webhook_url:
        actions.append(handoff_action(settings, http, state))
    if settings.ticket_webhook_url:
        actions.append(ticket_action(settings, http))
    if settings.lookup_url_template:
        actions.append(lookup_action(settings, http))
    return ActionRegistry(actions)
