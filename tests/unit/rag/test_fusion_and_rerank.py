"""Fusion, the feature reranker and the result cache, on hand-made hit lists."""

from __future__ import annotations

from xin.domain import Chunk, SearchHit
from xin.rag.caching import RetrievalCache
from xin.rag.rerank import FeatureReranker
from xin.rag.retrieval import convex_fusion, reciprocal_rank_fusion


def hit(
    chunk_id: str, score: float, text: str = "", heading: str = "", title: str = ""
) -> SearchHit:
    chunk = Chunk(
        chunk_id=chunk_id,
        document_id=chunk_id.split(":", maxsplit=1)[0],
        tenant="t",
        ordinal=0,
        text=text or chunk_id,
        heading_path=(heading,) if heading else (),
    )
    return SearchHit(chunk=chunk, score=score, document_title=title)


def test_convex_fusion_keeps_a_clear_dense_winner_that_rrf_ties_away() -> None:
    # Dense is sure about "a" (0.9 vs 0.5); BM25 barely prefers "b" (10.0 vs 9.9).
    dense = [hit("a:0", 0.90), hit("b:0", 0.50), hit("c:0", 0.49)]
    bm25 = [hit("b:0", 10.0), hit("a:0", 9.9), hit("c:0", 1.0)]
    rrf = reciprocal_rank_fusion({"bm25": bm25, "dense": dense})
    convex = convex_fusion({"bm25": bm25, "dense": dense}, {"dense": 0.6, "bm25": 0.4})
    assert rrf[0].score == rrf[1].score  # rank-only fusion cannot tell them apart
    assert [h.chunk.chunk_id for h in convex] == ["a:0", "b:0", "c:0"]
    assert convex[0].scores == {"dense": 0.90, "bm25": 9.9}  # the answerer reads "dense"


def test_convex_fusion_scores_a_hit_missing_from_a_list_as_zero_there() -> None:
    fused = convex_fusion(
        {"dense": [hit("a:0", 0.8), hit("b:0", 0.2)], "bm25": [hit("b:0", 3.0)]},
        {"dense": 0.6, "bm25": 0.4},
    )
    assert [(h.chunk.chunk_id, round(h.score, 3)) for h in fused] == [("a:0", 0.6), ("b:0", 0.4)]


def test_weighted_rrf_lets_one_list_count_more() -> None:
    ranked = reciprocal_rank_fusion(
        {"bm25": [hit("a:0", 1.0)], "dense": [hit("b:0", 1.0)]}, weights={"dense": 2.0}
    )
    assert ranked[0].chunk.chunk_id == "b:0"


def test_reranker_lifts_the_chunk_whose_heading_and_text_cover_the_question() -> None:
    hits = [
        hit("a:0", 0.50, "Xin answers questions from your documents."),
        hit("b:0", 0.48, "Use helm rollback to go back.", heading="Rolling back a release"),
    ]
    reranked = FeatureReranker().rerank("how to rollback a helm release", hits, 2)
    assert [h.chunk.chunk_id for h in reranked] == ["b:0", "a:0"]
    assert reranked[0].scores["coverage"] == 1.0


def test_reranker_keeps_order_without_content_terms_and_cuts_to_top_n() -> None:
    hits = [hit(f"d{i}:0", 1.0 - i / 10) for i in range(5)]
    assert FeatureReranker().rerank("how is it?", hits, 3) == hits[:3]


def test_result_cache_is_keyed_by_tenant_query_filters_and_generation() -> None:
    cache = RetrievalCache(max_entries=2)
    hits = [hit("a:0", 1.0)]
    cache.put("t", "Deploy  Xin?", 5, {"language": "en"}, 7, hits=hits)
    assert cache.get("t", "deploy xin?", 5, {"language": "en"}, 7) == hits  # normalised
    assert cache.get("other", "deploy xin?", 5, {"language": "en"}, 7) is None
    assert cache.get("t", "deploy xin?", 5, None, 7) is None
    assert cache.get("t", "deploy xin?", 5, {"language": "en"}, 8) is None  # store changed
    cache.put("t", "q2", 5, None, 7, hits=hits)
    cache.put("t", "q3", 5, None, 7, hits=hits)
    assert cache.get("t", "deploy xin?", 5, {"language": "en"}, 7) is None  # evicted (LRU)
