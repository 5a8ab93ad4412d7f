"""Deterministic masking per conversation, the tenant policy, and the logging filter."""

from __future__ import annotations

import logging

import pytest
from pydantic import ValidationError

from xin.redaction import RedactingFilter, RedactionPolicy, Redactor


def test_same_value_same_placeholder_across_formats_and_messages() -> None:
    redactor = Redactor()
    first = redactor.redact("Call +98 912 123 4567 or mail JOHN@x.com")
    second = redactor.redact("again: 09121234567, ۰۹۱۲۱۲۳۴۵۶۷, john@x.com, and a@b.co")
    assert first.text == "Call <PHONE_1> or mail <EMAIL_1>"
    assert second.text == "again: <PHONE_1>, <PHONE_1>, <EMAIL_1>, and <EMAIL_2>"
    assert second.placeholders == ("<PHONE_1>", "<PHONE_1>", "<EMAIL_1>", "<EMAIL_2>")
    assert redactor.mapping_size == 3


def test_a_new_conversation_starts_numbering_again() -> None:
    assert Redactor().redact("x@y.co").text == "<EMAIL_1>"
    assert Redactor().redact("z@y.co").text == "<EMAIL_1>"


def test_spans_point_into_the_original_text() -> None:
    text = "من مريم گلپایگانی هستم، ایمیلم m@x.ir است"
    result = Redactor().redact(text)
    assert [text[s.start : s.end] for s in result.spans] == ["مريم گلپایگانی", "m@x.ir"]
    assert result.text == "من <PERSON_1> هستم، ایمیلم <EMAIL_1> است"


def test_policy_limits_types_and_formats_placeholders() -> None:
    policy = RedactionPolicy(enabled=frozenset({"EMAIL"}), placeholder="[{type}#{n}]")
    assert Redactor(policy).redact("a@b.co +1 415 555 0132").text == "[EMAIL#1] +1 415 555 0132"
    with pytest.raises(ValidationError):
        RedactionPolicy(placeholder="<{type}>")


def test_logging_filter_masks_message_args_and_extras() -> None:
    records: list[logging.LogRecord] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger("xin.test.redaction")
    logger.propagate = False
    handler = Capture()
    handler.addFilter(RedactingFilter())
    logger.addHandler(handler)
    try:
        logger.warning(
            "user %s paid with %s",
            "ana@example.com",
            "4111 1111 1111 1111",
            extra={"phone": "+98 912 123 4567", "tags": ["x@y.co", 3], "count": 7},
        )
    finally:
        logger.removeHandler(handler)
    record = records[0]
    assert record.getMessage() == "user <EMAIL_1> paid with <CARD_1>"
    assert record.phone == "<PHONE_1>"  # type: ignore[attr-defined]
    assert record.tags == ["<EMAIL_2>", 3]  # type: ignore[attr-defined]
    assert record.count == 7  # type: ignore[attr-defined]
