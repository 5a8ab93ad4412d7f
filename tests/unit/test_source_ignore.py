"""``.xinignore`` / ``--exclude`` patterns: which files of an ingested directory are left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from xin.services.ingestion import iter_sources
from xin.services.source_ignore import IGNORE_FILE, IgnoreRules


@pytest.mark.parametrize(
    ("pattern", "path", "left_out"),
    [
        ("benchmarks.md", "benchmarks.md", True),
        ("benchmarks.md", "fa/benchmarks.md", True),  # no slash: a name at any depth
        ("benchmarks.md", "benchmarks.md.bak", False),
        ("benchmarks/", "benchmarks/latency.png", True),  # a folder and all it holds
        ("benchmarks/", "benchmarks", False),  # a trailing slash matches folders only
        ("/guide.md", "guide.md", True),  # a leading slash anchors
        ("/guide.md", "fa/guide.md", False),
        ("fa/*.md", "fa/faq.md", True),
        ("fa/*.md", "fa/deep/faq.md", False),  # * never crosses a folder
        ("fa/**/*.md", "fa/deep/er/faq.md", True),
        ("**/drafts", "a/b/drafts/x.txt", True),
        ("*.json", "data/results.json", True),
        ("doc?.md", "doc1.md", True),
        ("doc[0-4].md", "doc5.md", False),
        ("doc[!0-4].md", "doc5.md", True),
        ("\\#notes.md", "#notes.md", True),
    ],
)
def test_a_pattern_leaves_out_what_git_would(pattern: str, path: str, left_out: bool) -> None:
    assert IgnoreRules([pattern]).ignored(path) is left_out


def test_comments_and_blank_lines_leave_nothing_out() -> None:
    rules = IgnoreRules(["# benchmarks.md", "", "   "])
    assert not rules
    assert not rules.ignored("benchmarks.md")


def test_the_last_matching_line_wins_but_a_left_out_folder_stays_out() -> None:
    rules = IgnoreRules(["*.md", "!keep.md", "drafts/", "!drafts/keep.md"])
    assert rules.ignored("other.md")
    assert not rules.ignored("keep.md")
    assert rules.ignored("drafts/keep.md")  # as in git: the folder itself is left out


def _tree(root: Path, names: list[str]) -> None:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x", encoding="utf-8")


def test_a_directory_sources_honour_its_xinignore_and_extra_patterns(tmp_path: Path) -> None:
    _tree(tmp_path, ["guide.md", "benchmarks.md", "benchmarks/latency.png", "fa/faq.md"])
    (tmp_path / IGNORE_FILE).write_text("benchmarks.md\nbenchmarks/\n", encoding="utf-8")

    def sources(exclude: tuple[str, ...] = ()) -> list[str]:
        return [source for _, source, _ in iter_sources([tmp_path], exclude)]

    assert sources() == ["fa/faq.md", "guide.md"]  # the .xinignore itself is hidden
    assert sources(("fa/",)) == ["guide.md"]


def test_a_file_named_explicitly_is_always_a_source(tmp_path: Path) -> None:
    _tree(tmp_path, ["benchmarks.md"])
    (tmp_path / IGNORE_FILE).write_text("benchmarks.md\n", encoding="utf-8")
    named = tmp_path / "benchmarks.md"
    assert [source for _, source, _ in iter_sources([named], ["*.md"])] == ["benchmarks.md"]
