"""Quotable units: sentences of hard-wrapped Markdown, with the code block they introduce."""

from __future__ import annotations

from xin.rag.sentences import units


def test_wrapped_lines_join_and_a_colon_keeps_its_code_block() -> None:
    text = (
        "Refunds are processed within 14 days after the item arrives at our\n"
        "warehouse. Install the chart with:\n```bash\nhelm install xin\n```\n- item one\n"
        "  wraps here\n- item two"
    )
    assert units(text) == [
        ("Refunds are processed within 14 days after the item arrives at our warehouse.", None),
        ("Install the chart with:", "```bash\nhelm install xin\n```"),
        ("- item one wraps here", None),
        ("- item two", None),
    ]


def test_a_passage_that_starts_with_code_quotes_only_its_prose() -> None:
    assert units("```bash\nmake test\n```\nThen open the report.") == [
        ("Then open the report.", None)
    ]


def test_headings_and_table_rules_stay_apart() -> None:
    found = [text for text, _ in units("# Title\nBody text here.\n| a | b |\n|---|---|\n| 1 | 2 |")]
    assert found == ["# Title", "Body text here.", "| a | b |", "| 1 | 2 |"]
