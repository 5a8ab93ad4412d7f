"""The pydantic-free redaction policy holds the model's values and refuses what it refuses.

``PlainRedactionPolicy`` is what the log filter uses (the health function's cold start must not
import pydantic); ``RedactionPolicy`` is what tenants configure. Both must mask identically.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from typing import Any

import pytest
from pydantic import ValidationError

from xin.redaction import RedactingFilter, RedactionPolicy, Redactor
from xin.redaction.policy_rules import PlainRedactionPolicy

TEXT = "Mail ANA@example.com or call +98 912 123 4567 / 020 7946 0958, card 4111 1111 1111 1111"


def _values(policy: Any) -> tuple[Any, ...]:
    return (policy.enabled, policy.phone_regions, policy.placeholder)


def test_defaults_are_the_models() -> None:
    assert _values(PlainRedactionPolicy()) == _values(RedactionPolicy())


ACCEPTED: list[dict[str, Any]] = [
    {},
    {"enabled": frozenset({"EMAIL"})},
    {"enabled": ["PHONE", "EMAIL"]},
    {"enabled": frozenset()},
    {"phone_regions": ("gb", "De")},
    {"phone_regions": ["us"], "placeholder": "[{type}#{n}]"},
]


@pytest.mark.parametrize("fields", ACCEPTED)
def test_same_values_and_same_masking(fields: dict[str, Any]) -> None:
    plain, model = PlainRedactionPolicy(**fields), RedactionPolicy(**fields)
    assert _values(plain) == _values(model)
    assert isinstance(plain.enabled, frozenset)
    assert Redactor(plain).redact(TEXT) == Redactor(model).redact(TEXT)


REFUSED: list[dict[str, Any]] = [
    {"enabled": frozenset({"EMAIL", "SHOE_SIZE"})},
    {"enabled": "EMAIL"},
    {"placeholder": "<{type}>"},
    {"placeholder": "<{n}>"},
    {"phone_regions": "GB"},
    {"phone_regions": (44,)},
]


@pytest.mark.parametrize("fields", REFUSED)
def test_refuses_what_the_model_refuses(fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        RedactionPolicy(**fields)
    with pytest.raises(ValueError, match=r"enabled|placeholder|phone_regions"):
        PlainRedactionPolicy(**fields)


def test_log_filter_masks_the_same_with_either_policy() -> None:
    def masked(policy: Any) -> tuple[str, Any]:
        # as logger.info("pay %s", TEXT, extra={"phone": ...}) builds it
        fields = {"msg": "pay %s", "args": (TEXT,), "phone": "+44 20 7946 0958"}
        record = logging.makeLogRecord(fields)
        RedactingFilter(policy).filter(record)
        return record.getMessage(), vars(record)["phone"]

    plain = masked(PlainRedactionPolicy(enabled=frozenset({"PHONE"})))
    assert plain == masked(RedactionPolicy(enabled=frozenset({"PHONE"})))
    assert "<PHONE_1>" in plain[0]
    assert "ANA@example.com" in plain[0]
    assert plain[1] == "<PHONE_2>"  # the same number as "020 7946 0958" in the message


def test_log_redaction_path_imports_no_pydantic() -> None:
    """What the health function pays for: installing log redaction and logging a line."""
    code = (
        "import sys\n"
        "from xin.observability.logging import get_logger, install_log_redaction\n"
        "install_log_redaction(['EMAIL', 'PHONE'])\n"
        "get_logger().info('mail a@b.co')\n"
        "assert 'pydantic' not in sys.modules, sorted(m for m in sys.modules if 'pydantic' in m)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "<EMAIL_1>" in result.stdout
    assert "a@b.co" not in result.stdout


def test_log_redaction_masks_credentials_whatever_types_are_configured() -> None:
    code = (
        "from xin.observability.logging import get_logger, install_log_redaction\n"
        "install_log_redaction(['PERSON'])\n"
        "get_logger().info('mail a@b.co key AKIAIOSFODNN7EXAMPLE')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "AKIAIOSFODNN7EXAMPLE" not in result.stdout and "<AWS_ACCESS_KEY_1>" in result.stdout
    assert "a@b.co" in result.stdout  # what was not configured stays
