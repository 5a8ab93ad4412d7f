"""Load-test configuration from the environment, and what Locust picks up from the locustfile.

No network. Locust monkey-patches the standard library with gevent when imported, so the
locustfile is loaded by Locust's own loader in a child interpreter, never in this process.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.load.scenarios import (
    CONVERSATIONS,
    DEFAULT_WEIGHTS,
    QUESTIONS,
    LoadConfig,
    LoadConfigError,
    load_config,
    parse_duration,
    parse_weights,
    small_document,
)

REPO = Path(__file__).resolve().parents[2]
LOCUSTFILE = Path(__file__).resolve().with_name("locustfile.py")


def test_defaults_without_environment() -> None:
    config = load_config({})
    assert config == LoadConfig()
    assert config.scenario_weights() == dict(DEFAULT_WEIGHTS)


def test_everything_from_the_environment() -> None:
    config = load_config(
        {
            "LOAD_HOST": "http://10.0.0.5:9000/",
            "LOAD_USERS": "50",
            "LOAD_SPAWN_RATE": "2.5",
            "LOAD_DURATION": "1m30s",
            "LOAD_PROFILE": "MIXED",
            "LOAD_WEIGHTS": "chat=5, health=2",
            "LOAD_TENANT": "perf",
        }
    )
    assert config.host == "http://10.0.0.5:9000"
    assert (config.users, config.spawn_rate, config.duration_s) == (50, 2.5, 90)
    assert config.scenario_weights() == {"chat": 5, "health": 2}
    assert config.tenant == "perf"
    assert config.locust_args() == [
        "--headless",
        *("--host", "http://10.0.0.5:9000", "--users", "50", "--spawn-rate", "2.5"),
        *("--run-time", "90s"),
    ]


@pytest.mark.parametrize("profile", ["chat", "ingest", "health"])
def test_a_single_profile_runs_only_its_scenario(profile: str) -> None:
    config = load_config({"LOAD_PROFILE": profile, "LOAD_WEIGHTS": "chat=9,ingest=9,health=9"})
    assert config.scenario_weights() == {profile: 1}


@pytest.mark.parametrize(
    ("text", "seconds"), [("90", 90), ("45s", 45), ("2m", 120), ("1h", 3600), ("1m5s", 65)]
)
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"LOAD_DURATION": "soon"}, "LOAD_DURATION"),
        ({"LOAD_DURATION": "0s"}, "positive"),
        ({"LOAD_USERS": "-3"}, "LOAD_USERS"),
        ({"LOAD_USERS": "2.5"}, "whole"),
        ({"LOAD_SPAWN_RATE": "fast"}, "LOAD_SPAWN_RATE"),
        ({"LOAD_PROFILE": "stress"}, "LOAD_PROFILE"),
        ({"LOAD_WEIGHTS": "chat=1,search=2"}, "search"),
        ({"LOAD_WEIGHTS": "chat:1"}, "chat:1"),
        ({"LOAD_WEIGHTS": "chat=x"}, "integer"),
        ({"LOAD_WEIGHTS": "chat=-1"}, "negative"),
        ({"LOAD_WEIGHTS": "chat=0,ingest=0"}, "positive weight"),
    ],
)
def test_invalid_values_are_refused_with_the_variable_named(
    variables: dict[str, str], message: str
) -> None:
    with pytest.raises(LoadConfigError, match=message):
        load_config(variables)


def test_weights_left_out_are_zero_and_not_run() -> None:
    assert parse_weights("ingest=3") == {"chat": 0, "ingest": 3, "health": 0}
    assert load_config({"LOAD_WEIGHTS": "ingest=3"}).scenario_weights() == {"ingest": 3}


def test_content_mixes_english_and_persian_and_documents_differ() -> None:
    persian = [q for q in QUESTIONS if any("\u0600" <= ch <= "\u06ff" for ch in q)]
    assert persian and len(persian) < len(QUESTIONS)
    assert all(len(turns) >= 2 for turns in CONVERSATIONS)
    assert small_document(1) != small_document(2)


def _locust_user_classes(env: dict[str, str]) -> dict[str, int]:
    """The user classes (name -> weight) Locust's own loader finds, in a child interpreter."""
    code = (
        "import json, sys\n"
        "from locust.util.load_locustfile import load_locustfile\n"
        "users, _ = load_locustfile(sys.argv[1])\n"
        "print(json.dumps({name: cls.weight for name, cls in users.items()}))\n"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LOAD_")}
    done = subprocess.run(
        [sys.executable, "-c", code, str(LOCUSTFILE)],
        env={**clean, "PYTHONPATH": str(REPO), **env},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    classes: dict[str, int] = json.loads(done.stdout.strip().splitlines()[-1])
    return classes


def _needs_locust() -> None:
    # find_spec, not importorskip: importing locust here would monkey-patch this process
    if importlib.util.find_spec("locust") is None:
        pytest.skip("install the bench extra: pip install -e '.[bench]'")


def test_locust_runs_the_weighted_scenarios_of_the_mixed_profile() -> None:
    _needs_locust()
    classes = _locust_user_classes({"LOAD_PROFILE": "mixed", "LOAD_WEIGHTS": "chat=7,health=2"})
    assert classes == {"ChatUser": 7, "HealthUser": 2}


def test_locust_runs_only_the_ingest_scenario_of_the_ingest_profile() -> None:
    _needs_locust()
    assert _locust_user_classes({"LOAD_PROFILE": "ingest"}) == {"IngestUser": 1}


def test_rss_growth_compares_the_last_minute_with_the_first_after_warm_up() -> None:
    from tests.load.soak import rss_growth

    # warm-up spike (ignored), then 100 MiB for a minute, creeping to 112 MiB by the end
    samples = [(5.0, 300.0), (20.0, 90.0)]
    samples += [(30.0 + 10 * i, 100.0) for i in range(7)]
    samples += [(250.0, 111.0), (270.0, 112.0), (290.0, 112.0), (300.0, 113.0)]
    figures = rss_growth(samples, warmup_s=30)
    assert figures["baseline_mb"] == 100.0
    assert figures["final_mb"] == 112.0
    assert figures["growth_pct"] == 12.0
    assert figures["peak_mb"] == 300.0
    with pytest.raises(ValueError, match="no RSS samples"):
        rss_growth([], warmup_s=30)
