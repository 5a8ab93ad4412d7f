"""The local default's action chooser: multilingual keyword/regex intents (no LLM needed).

Each rule names an action and how to pull its parameters from the message. With Bedrock the
model chooses instead, from ``ActionRegistry.tool_specs()``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Extract = Callable[[str, "re.Match[str]"], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class IntentRule:
    action: str
    pattern: re.Pattern[str]
    extract: Extract


def _summary(text: str, _match: re.Match[str]) -> dict[str, Any]:
    return {"summary": text.strip()[:500]}


_FLAGS = re.IGNORECASE | re.UNICODE
DEFAULT_RULES: tuple[IntentRule, ...] = (
    IntentRule(
        "handoff",
        re.compile(
            r"\b(talk|speak|chat)\s+(to|with)\s+(an?\s+)?(human|person|agent|someone|operator)\b"
            # "human please", "I need a real person", "get me a live agent" — not every
            # sentence that mentions a human ("written by a human", "human resources").
            r"|^\W*(an?\s+)?(human|real person|live agent|operator)(\s+please)?\W*$"
            r"|\b(need|want|get\s+me|connect\s+me\s+(to|with))\s+(to\s+)?(an?\s+)?"
            r"(human|real person|live agent|operator)\b"
            r"|با\s*(یک\s*)?(انسان|اپراتور|پشتیبان|کارشناس)\s*(صحبت|حرف)"
            r"|(اپراتور|کارشناس)\s*(می\s*خواهم|میخوام|لطفا)",
            _FLAGS,
        ),
        _summary,
    ),
    IntentRule(
        "create_ticket",
        re.compile(
            r"\b(open|create|file|raise|submit)\s+(a\s+)?(support\s+)?(ticket|case|issue)\b"
            r"|(ثبت|ایجاد|باز\s*کردن)\s*(یک\s*)?(تیکت|درخواست\s*پشتیبانی)"
            r"|تیکت\s*(بزن|ثبت\s*کن)",
            _FLAGS,
        ),
        _summary,
    ),
    IntentRule(
        "http_lookup",
        re.compile(
            r"\b(status|where\s+is|track)\b.*?\border\s*#?\s*(?P<order>[A-Za-z0-9-]{3,32})\b"
            r"|وضعیت\s*سفارش\s*(شماره\s*)?(?P<order_fa>[0-9A-Za-z-]{3,32})",
            _FLAGS,
        ),
        lambda text, m: {"params": {"order_id": m.group("order") or m.group("order_fa")}},
    ),
)


def match_intent(
    text: str, rules: tuple[IntentRule, ...] = DEFAULT_RULES
) -> tuple[str, dict[str, Any]] | None:
    for rule in rules:
        found = rule.pattern.search(text)
        if found:
            return rule.action, rule.extract(text, found)
    return None


_YES = re.compile(
    r"^\s*(yes|y|yeah|yep|confirm|ok|okay|sure|بله|بلی|آره|اره|تایید|تأیید)\s*[.!]*\s*$", _FLAGS
)


def is_confirmation(text: str) -> bool:
    return bool(_YES.match(text))


def is_persian(text: str) -> bool:
    return bool(re.search(r"[\u0600-\u06FF]", text))
