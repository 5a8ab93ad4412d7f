"""TREC run files: ``qid Q0 docid rank score tag``, one line per retrieved document.

Scores are written at full precision: ``trec_eval`` re-sorts by score, so rounding could
turn two close scores into a tie and reorder them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def format_run(rankings: Iterable[tuple[str, Sequence[tuple[str, float]]]], tag: str) -> str:
    """Lines for ``(query id, [(doc id, score), ...] best first)`` pairs; ranks start at 1."""
    if not tag or any(ch.isspace() for ch in tag):
        raise ValueError("a run tag must be one non-empty word")
    lines = [
        f"{query_id} Q0 {doc_id} {rank} {float(score)!r} {tag}\n"
        for query_id, ranking in rankings
        for rank, (doc_id, score) in enumerate(ranking, start=1)
    ]
    return "".join(lines)
