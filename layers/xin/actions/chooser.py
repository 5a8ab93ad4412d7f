"""The port through which a model chooses actions (tool use), and what a tool call returns.

The local default has no chooser: ``xin.actions.intents`` rules pick actions. With a hosted
model (Bedrock Converse), an ``ActionChooser`` offers the allowed actions as tools and calls
``invoke`` for each tool use; the engine decides what really happens: a side-effecting action
is only *proposed* (the user confirms on the next message), anything else runs with its
timeout, and every decision is audited. The model never runs anything itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from xin.actions.base import ActionContext

Status = Literal["ran", "proposed", "denied", "invalid", "failed", "unknown"]


@dataclass(frozen=True, slots=True)
class ToolOutcome:
    status: Status
    message: str  # what the user would be told (the engine's own wording)
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status in ("ran", "proposed")

    def as_json(self) -> dict[str, Any]:
        """The ``toolResult`` the model sees: status, the message and any result data."""
        out: dict[str, Any] = {"status": self.status, "message": self.message}
        if self.data:
            out["result"] = self.data
        return out


Invoke = Callable[[str, dict[str, Any]], ToolOutcome]


class ActionChooser(Protocol):
    def choose(self, ctx: ActionContext, tools: dict[str, Any], invoke: Invoke) -> str | None:
        """The reply after the model used tools, or ``None`` when it chose none (answer).

        ``tools`` is a Converse ``toolConfig`` holding only the actions allowed for this
        tenant and channel."""
        ...
