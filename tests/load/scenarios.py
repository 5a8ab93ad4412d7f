"""Load-test configuration and request content, kept free of Locust so it imports anywhere.

Locust monkey-patches the standard library with gevent when it is imported, so only the
locustfile (run by the ``locust`` command) imports it; tests and scripts read the
configuration from here.

Environment variables (all optional):

=================  ==========================================================  ============
``LOAD_HOST``      base URL of the Xin under test                              127.0.0.1:8000
``LOAD_USERS``     concurrent simulated users                                  10
``LOAD_SPAWN_RATE`` users started per second                                   5
``LOAD_DURATION``  run time: ``90``, ``45s``, ``2m``, ``1m30s``                 60s
``LOAD_PROFILE``   ``chat``, ``ingest``, ``health`` or ``mixed``               mixed
``LOAD_WEIGHTS``   weights of the mixed profile, ``chat=8,ingest=1,health=1``  chat=8,...
``LOAD_TENANT``    tenant the ingestion scenario writes to                     loadtest
=================  ==========================================================  ============
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

SCENARIOS = ("chat", "ingest", "health")
PROFILES = (*SCENARIOS, "mixed")
DEFAULT_WEIGHTS: Mapping[str, int] = {"chat": 8, "ingest": 1, "health": 1}
_DURATION = re.compile(r"^(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?(?:(?P<s>\d+)s?)?$")

# Single questions, English and Persian, answered and unanswered by the sample knowledge base.
QUESTIONS = (
    "How do I deploy Xin to Kubernetes?",
    "Which document types can Xin ingest?",
    "How are webhook requests verified?",
    "Where are secrets stored?",
    "How does hybrid retrieval work?",
    "How do I rotate an API key?",
    "What is the capital of France?",
    "چگونه شین را نصب کنم؟",
    "شین از چه زبان‌هایی پشتیبانی می‌کند؟",
    "کلید API را چگونه بسازم؟",
    "اطلاعات شخصی در پاسخ‌ها چگونه پنهان می‌شود؟",
)

# Conversations: the follow-ups only make sense with the earlier turns (session ids).
CONVERSATIONS = (
    ("How do I deploy Xin on AWS?", "And how do I check that it works?", "How do I roll back?"),
    ("What are the rate limits?", "Can a tenant have its own limits?"),
    ("شین را چطور روی کوبرنتیز نصب کنم؟", "و چطور به‌روزرسانی کنم؟"),
    ("How does Xin redact personal data?", "Does that work for Persian phone numbers?"),
)

_PARAGRAPHS = (
    "Release {n} of the internal handbook explains how support engineers triage tickets: "
    "acknowledge within one hour, reproduce, then escalate to the on-call owner.",
    "The office in branch {n} opens at nine and closes at five; visitors sign in at the desk.",
    "راهنمای شماره {n}: درخواست‌های پشتیبانی ظرف یک ساعت پاسخ داده می‌شوند و در صورت نیاز "
    "به تیم فنی ارجاع می‌شوند.",
    "Expense policy {n}: travel must be approved in advance; receipts are uploaded within a week.",
)


class LoadConfigError(ValueError):
    """An environment variable of the load test has an invalid value."""


@dataclass(frozen=True)
class LoadConfig:
    host: str = "http://127.0.0.1:8000"
    users: int = 10
    spawn_rate: float = 5.0
    duration_s: int = 60
    profile: str = "mixed"
    weights: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    tenant: str = "loadtest"

    def scenario_weights(self) -> dict[str, int]:
        """The weight of each scenario the profile runs (absent: not run)."""
        if self.profile != "mixed":
            return {self.profile: 1}
        return {name: w for name, w in self.weights.items() if w > 0}

    def locust_args(self) -> list[str]:
        """Command-line options of a headless Locust run with this configuration."""
        return [
            "--headless",
            "--host",
            self.host,
            "--users",
            str(self.users),
            "--spawn-rate",
            f"{self.spawn_rate:g}",
            "--run-time",
            f"{self.duration_s}s",
        ]


def parse_duration(text: str) -> int:
    """Seconds in ``90``, ``45s``, ``2m``, ``1h``, ``1m30s``."""
    match = _DURATION.match(text.strip().lower())
    if not text.strip() or match is None:
        raise LoadConfigError(f"LOAD_DURATION: cannot read {text!r} (use 90, 45s, 2m or 1m30s)")
    hours, minutes, seconds = (int(match.group(g) or 0) for g in "hms")
    total = hours * 3600 + minutes * 60 + seconds
    if total <= 0:
        raise LoadConfigError("LOAD_DURATION must be positive")
    return total


def parse_weights(text: str) -> dict[str, int]:
    """``chat=8,ingest=1,health=1``; scenarios left out weigh 0."""
    weights = dict.fromkeys(SCENARIOS, 0)
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, sep, value = item.partition("=")
        name = name.strip().lower()
        if not sep or name not in SCENARIOS:
            raise LoadConfigError(
                f"LOAD_WEIGHTS: {item!r} is not <scenario>=<weight> with a scenario in {SCENARIOS}"
            )
        try:
            weights[name] = int(value)
        except ValueError:
            raise LoadConfigError(f"LOAD_WEIGHTS: weight of {name} is not an integer") from None
        if weights[name] < 0:
            raise LoadConfigError(f"LOAD_WEIGHTS: weight of {name} is negative")
    if not any(weights.values()):
        raise LoadConfigError("LOAD_WEIGHTS: at least one scenario needs a positive weight")
    return weights


def _positive(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise LoadConfigError(f"{name}: {raw!r} is not a number") from None
    if value <= 0:
        raise LoadConfigError(f"{name} must be positive")
    return value


def load_config(env: Mapping[str, str] | None = None) -> LoadConfig:
    """The load-test configuration from ``env`` (default: the process environment)."""
    env = os.environ if env is None else env
    defaults = LoadConfig()
    profile = env.get("LOAD_PROFILE", "").strip().lower() or defaults.profile
    if profile not in PROFILES:
        raise LoadConfigError(f"LOAD_PROFILE: {profile!r} is not one of {PROFILES}")
    users = _positive(env, "LOAD_USERS", defaults.users)
    if users != int(users):
        raise LoadConfigError("LOAD_USERS must be a whole number")
    weights_text = env.get("LOAD_WEIGHTS", "").strip()
    return LoadConfig(
        host=(env.get("LOAD_HOST", "").strip() or defaults.host).rstrip("/"),
        users=int(users),
        spawn_rate=_positive(env, "LOAD_SPAWN_RATE", defaults.spawn_rate),
        duration_s=parse_duration(env["LOAD_DURATION"])
        if env.get("LOAD_DURATION", "").strip()
        else defaults.duration_s,
        profile=profile,
        weights=parse_weights(weights_text) if weights_text else dict(DEFAULT_WEIGHTS),
        tenant=env.get("LOAD_TENANT", "").strip() or defaults.tenant,
    )


def small_document(n: int, paragraphs: int = 3) -> tuple[str, str]:
    """A small Markdown document (title, text), different for every ``n``."""
    chosen = [_PARAGRAPHS[(n + i) % len(_PARAGRAPHS)].format(n=n + i) for i in range(paragraphs)]
    return f"Load test note {n}", "\n\n".join(chosen)
