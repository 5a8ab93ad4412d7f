from __future__ import annotations

import pytest

from xin.domain import Chunk, SearchHit
from xin.rag.retrieval import reciprocal_rank_fusion


def hit(chunk_id: str, score: float) -> SearchHit:
    chunk = Chunk(chunk_id=chunk_id, document_id="d", tenant="t", ordinal=0, text=chunk_id)
    return SearchHit(chunk=chunk, score=score)


def test_rrf_scores_are_the_sum_of_reciprocal_ranks() -> None:
    fused = reciprocal_rank_fusion(
        {"bm25": [hit("a", 9.0), hit("b", 5.0)], "dense": [hit("b", 0.9), hit("c", 0.8)]}, k=60
    )
    assert [h.chunk.chunk_id for h in fused] == ["b", "a", "c"]
    assert fused[0].score == pytest.approx(1 / 62 + 1 / 61)
    assert fused[1].score == pytest.approx(1 / 61)
    assert fused[0].scores == {"bm25": 5.0, "dense": 0.9}


def test_rrf_ties_break_deterministically() -> None:
    fused = reciprocal_rank_fusion({"bm25": [hit("x", 1.0)], "dense": [hit("w", 1.0)]})
    assert [h.chunk.chunk_id for h in fused] == ["w", "x"]


def test_rrf_of_nothing_is_nothing() -> None:
    assert reciprocal_rank_fusion({"bm25": [], "dense": []}) == []
