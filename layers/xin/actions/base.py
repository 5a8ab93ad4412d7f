"""The action registry: name, description, parameter model, side-effect flag, runner."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel


@dataclass(frozen=True, slots=True)
class ActionContext:
    """Who asks, from where. ``session_id`` is the channel conversation."""

    tenant: str
    channel: str
    session_id: str
    user_id: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class ActionResult:
    ok: bool
    message: str  # what the user is told
    data: dict[str, Any] = field(default_factory=dict)


Runner = Callable[[BaseModel, ActionContext], ActionResult]


@dataclass(frozen=True, slots=True)
class Action:
    name: str
    description: str
    params: type[BaseModel]
    run: Runner
    side_effect: bool = False
    timeout_s: float | None = None  # None: actions.timeout_s


class ActionRegistry:
    def __init__(self, actions: Iterable[Action] = ()) -> None:
        self._actions: dict[str, Action] = {}
        for action in actions:
            self.register(action)

    def register(self, action: Action) -> None:
        if action.name in self._actions:
            raise ValueError(f"action {action.name!r} is already registered")
        self._actions[action.name] = action

    def get(self, name: str) -> Action | None:
        return self._actions.get(name)

    def names(self) -> list[str]:
        return sorted(self._actions)

    def tool_specs(self, allowed: Iterable[str] | None = None) -> dict[str, Any]:
        """The Bedrock Converse ``toolConfig`` for these actions (JSON schema per tool)."""
        names = set(self._actions) if allowed is None else set(allowed) & set(self._actions)
        tools = []
        for name in sorted(names):
            action = self._actions[name]
            schema = action.params.model_json_schema()
            schema.pop("title", None)
            description = action.description
            if action.side_effect:
                description += " The user must confirm before it runs."
            tools.append(
                {
                    "toolSpec": {
                        "name": name,
                        "description": description,
                        "inputSchema": {"json": schema},
                    }
                }
            )
        return {"tools": tools}
