"""The default ``Generator``: an extractive, grounded answerer that needs no LLM.

It answers with the sentences of the retrieved chunks that best cover the question's
content words, each followed by a numbered citation, and refuses ("I don't know") when
neither the dense similarity nor the word overlap shows that the sources answer it.
Words that occur in most retrieved chunks (a product name, say) weigh little, so a
question is not "covered" just because it names the subject of every document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from xin.domain import Answer, Citation, SearchHit, Turn
from xin.rag.focus import is_frame_word, question_and_context, question_terms
from xin.rag.messages import dont_know, other_language_note
from xin.rag.sentences import units
from xin.rag.text import ARABIC_PROCLITICS, light_stem, match_words, word_count

_COMMON_TERM_WEIGHT = 0.25
_FRAME_TERM_WEIGHT = 0.05  # framing words only break ties
_CONTEXT_TERM_WEIGHT = 0.05  # words around the question only break ties
_COGNATE_PREFIX = 5
_MIN_COGNATE = 4
_MIN_SENTENCE_WORDS = 3
_SNIPPET_CHARS = 240
_MIN_POOL_COVERAGE = 0.67
_NEIGHBOUR_BONUS = 0.35


@dataclass(frozen=True, slots=True)
class _Candidate:
    hit_rank: int
    position: int
    text: str
    score: float
    stems: frozenset[str]
    code: str | None = None

    def render(self) -> str:
        return f"{self.text}\n{self.code}\n" if self.code else self.text


@lru_cache(maxsize=4096)  # passage texts, titles and sentences: each answer re-reads them
def _stems(text: str, arabic: bool = False) -> frozenset[str]:
    """Stems of ``text`` (CJK runs as bigrams and characters); with ``arabic`` (an Arabic
    text) Arabic words lose their affixes. Every other language is stemmed alike."""
    if arabic:
        return frozenset(light_stem(w, "ar") for w in match_words(text))
    return frozenset(light_stem(w) for w in match_words(text))


def _proclitic_free(token: str, term: str, stems: frozenset[str]) -> str:
    """An Arabic ``term`` the passages lack, without the one-letter proclitic light10 leaves
    on ("لارجاع" → "ارجاع"), when the passages use that word; ``term`` otherwise."""
    if term in stems or not token.startswith(ARABIC_PROCLITICS) or len(token) < 4:
        return term
    bare = light_stem(token[1:], "ar")
    return bare if bare in stems else term


def _cognate(term: str, stems: frozenset[str], by_start: dict[str, list[str]]) -> str:
    """The stem in ``stems`` that ``term`` shares a word start with, across languages:
    "installier"/"install", "deployer"/"deploy", "test"/"testlerini" (stems are already
    case- and accent-folded); ``term`` itself when none does. ``by_start`` indexes ``stems``
    by their first ``_MIN_COGNATE`` letters (see :func:`_by_start`)."""
    if term in stems or len(term) < _MIN_COGNATE:
        return term
    best, best_shared = term, 0
    for stem in by_start.get(term[:_MIN_COGNATE], ()):
        shorter = min(len(term), len(stem))
        shared = next(
            (i for i, (a, b) in enumerate(zip(term, stem, strict=False)) if a != b), shorter
        )
        if shared >= min(_COGNATE_PREFIX, shorter) and shared > best_shared:
            best, best_shared = stem, shared
    return best


def _by_start(stems: frozenset[str]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for stem in stems:
        if len(stem) >= _MIN_COGNATE:
            index.setdefault(stem[:_MIN_COGNATE], []).append(stem)
    return index


def _term_weights(
    question: str,
    hits: Sequence[SearchHit],
    *,
    context: str = "",
    across: frozenset[str] | None = None,
    language: str = "",
) -> dict[str, float]:
    """Weight per question term: 1, less for framing words ("forgot", "how long"), for words
    most retrieved chunks share (the product's name) and for words of the sentences around
    the question. With ``across`` (the passages' stems), a term the passages lack is mapped
    to the passage word it shares its start with (an inflection, or a cognate in another
    language). ``language`` is the question's: Arabic words are stemmed as Arabic."""
    chunk_stems = [_stems(_context_text(h), h.chunk.language == "ar") for h in hits]
    by_start = _by_start(across) if across is not None else {}
    arabic = language == "ar"
    weights: dict[str, float] = {}
    for text, base in ((question, 1.0), (context, _CONTEXT_TERM_WEIGHT)):
        for token in question_terms(text):
            term = light_stem(token, "ar") if arabic else light_stem(token)
            if arabic and across is not None:
                term = _proclitic_free(token, term, across)
            term = _cognate(term, across, by_start) if across is not None else term
            if term in weights:
                continue
            frequency = sum(term in stems for stems in chunk_stems) / max(len(chunk_stems), 1)
            if is_frame_word(token, language):
                weights[term] = _FRAME_TERM_WEIGHT
            elif len(chunk_stems) >= 3 and frequency > 0.6:
                weights[term] = min(base, _COMMON_TERM_WEIGHT)
            else:
                weights[term] = base
    return weights


def _anchored(hits: Sequence[SearchHit], weights: dict[str, float], pool: frozenset[str]) -> bool:
    """Whether a topic word of the question occurs in the passages, a word that names the
    whole collection (in the title of every retrieved document, e.g. the product's name) aside."""
    titles: dict[str, frozenset[str]] = {
        h.chunk.document_id: _stems(h.document_title, h.chunk.language == "ar") for h in hits
    }
    names = frozenset.intersection(*titles.values()) if len(titles) > 1 else frozenset()
    return any(
        w >= _COMMON_TERM_WEIGHT and t in pool and t not in names for t, w in weights.items()
    )


def _pool(hits: Sequence[SearchHit]) -> frozenset[str]:
    """Every stem of the retrieved passages, their titles and headings."""
    return frozenset().union(*(_stems(_context_text(h), h.chunk.language == "ar") for h in hits))


def _context_text(hit: SearchHit) -> str:
    return f"{hit.document_title} {hit.chunk.heading} {hit.chunk.text}"


def _coverage(stems: frozenset[str], weights: dict[str, float]) -> float:
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if t in stems) / total if total else 0.0


class ExtractiveAnswerer:
    """Implements the ``Generator`` port without a language model.

    A question in a language none of the retrieved chunks is written in (German over English
    documents, say) cannot be matched word for word: then the multilingual dense similarity
    decides whether the sources answer it (``strong_relevance`` on its own, or
    ``cross_relevance`` when a topic word such as a name occurs in them), sentences are matched
    by cognate prefixes, and the answer quotes the passage in its own language after a short
    lead-in in the question's language.
    """

    def __init__(
        self,
        *,
        min_relevance: float = 0.82,
        strong_relevance: float = 0.88,
        cross_relevance: float = 0.85,
        min_coverage: float = 0.5,
        max_sentences: int = 3,
        max_sources: int = 3,
    ) -> None:
        self._min_relevance = min_relevance
        self._strong_relevance = strong_relevance
        self._cross_relevance = cross_relevance
        self._min_coverage = min_coverage
        self._max_sentences = max_sentences
        self._max_sources = max_sources

    def answer(
        self, question: str, hits: Sequence[SearchHit], language: str, history: Sequence[Turn]
    ) -> Answer:
        # Chunks flagged at ingestion as possible injections are never quoted, not even their
        # benign-looking sentences: a verbatim answer would hand the injected text to the user
        # (and to any model downstream). See docs/adr/0012-safety-in-the-chat-path.md.
        hits = [h for h in hits if h.chunk.metadata.get("injection_suspect") != "1"]
        asked, context = question_and_context(question)
        if self._cross_language(hits, language):
            return self._answer_across_languages(asked, context, hits, language)
        # Terms missing from the passages meet their inflected forms there ("خودمو"/"خودم").
        pool_stems = _pool(hits)
        weights = _term_weights(asked, hits, context=context, across=pool_stems, language=language)
        pool = self._language_pool(hits, language, weights)
        candidates = self._candidates(pool, weights)
        if not candidates or not self._supported(hits, pool_stems, candidates[0], weights):
            return _refusal(language)
        chosen = self._choose(candidates)
        return self._compose(chosen, pool, language, same_language=pool is not hits)

    @staticmethod
    def _cross_language(hits: Sequence[SearchHit], language: str) -> bool:
        """No retrieved chunk is in the question's (known) language, nor language-neutral."""
        if not hits or language in ("", "und"):
            return False
        return all(h.chunk.language not in (language, "und") for h in hits)

    def _answer_across_languages(
        self, question: str, context: str, hits: Sequence[SearchHit], language: str
    ) -> Answer:
        pool = _pool(hits)
        weights = _term_weights(question, hits, context=context, across=pool, language=language)
        dense = max((h.scores.get("dense", 0.0) for h in hits), default=0.0)
        supported = dense >= self._strong_relevance or (
            dense >= self._cross_relevance and _anchored(hits, weights, pool)
        )
        # Word matches across languages are weak evidence: quote the passages retrieval ranked
        # highest (by the multilingual similarity), not a stray cognate further down.
        candidates = self._candidates(hits[:2], weights) if supported else []
        if not candidates:
            return _refusal(language)
        return self._compose(self._choose(candidates), hits, language, same_language=False)

    def _language_pool(
        self, hits: Sequence[SearchHit], language: str, weights: dict[str, float]
    ) -> Sequence[SearchHit]:
        same = [h for h in hits if h.chunk.language == language]
        covered = any(_coverage(_stems(h.chunk.text, language == "ar"), weights) > 0 for h in same)
        return same if same and (covered or not weights) else hits

    def _supported(
        self,
        hits: Sequence[SearchHit],
        pool_stems: frozenset[str],
        best: _Candidate,
        weights: dict[str, float],
    ) -> bool:
        dense = max((h.scores.get("dense", 0.0) for h in hits), default=0.0)
        if not weights:
            return dense >= self._min_relevance
        # The question's distinctive words must occur somewhere in what was retrieved
        # (``pool_stems``: every stem of ``hits``).
        if _coverage(pool_stems, weights) < _MIN_POOL_COVERAGE:
            return False
        if dense >= self._strong_relevance:
            return True
        return dense >= self._min_relevance and best.score >= self._min_coverage

    def _candidates(self, hits: Sequence[SearchHit], weights: dict[str, float]) -> list[_Candidate]:
        found: list[_Candidate] = []
        for rank, hit in enumerate(hits[: self._max_sources + 2]):
            arabic = hit.chunk.language == "ar"
            context = _stems(f"{hit.document_title} {hit.chunk.heading}", arabic)
            for position, (sentence, code) in enumerate(units(hit.chunk.text)):
                if word_count(sentence) < _MIN_SENTENCE_WORDS:
                    continue
                stems = _stems(sentence, arabic)
                own = _coverage(stems, weights)
                with_context = _coverage(stems | context, weights)
                score = 0.8 * own + 0.2 * with_context + 0.1 / (1 + rank)
                found.append(_Candidate(rank, position, sentence, score, stems, code))
        found.sort(key=lambda c: (-c.score, c.hit_rank, c.position))
        return found

    def _choose(self, candidates: list[_Candidate]) -> list[_Candidate]:
        best = candidates[0]
        chosen = [best]
        # Sentences right after the best one usually continue it: prefer them as extras.
        rescored = sorted(
            (
                replace(c, score=c.score + _NEIGHBOUR_BONUS * best.score)
                if c.hit_rank == best.hit_rank and 0 < c.position - best.position <= 2
                else c
                for c in candidates[1:]
            ),
            key=lambda c: (-c.score, c.hit_rank, c.position),
        )
        for candidate in rescored:
            if len(chosen) >= self._max_sentences:
                break
            if candidate.score < 0.6 * best.score:
                break
            if any(_overlap(candidate.stems, c.stems) > 0.7 for c in chosen):
                continue
            chosen.append(candidate)
        chosen.sort(key=lambda c: (c.hit_rank, c.position))
        return chosen

    def _compose(
        self,
        chosen: list[_Candidate],
        hits: Sequence[SearchHit],
        language: str,
        *,
        same_language: bool,
    ) -> Answer:
        numbers: dict[int, int] = {}
        citations: list[Citation] = []
        parts: list[str] = []
        for candidate in chosen:
            hit = hits[candidate.hit_rank]
            if candidate.hit_rank not in numbers:
                numbers[candidate.hit_rank] = len(numbers) + 1
                citations.append(_citation(numbers[candidate.hit_rank], hit))
            parts.append(f"{candidate.render()} [{numbers[candidate.hit_rank]}]")
        text = " ".join(parts).replace("\n ", "\n")
        answered_in = language
        if not same_language and hits and hits[0].chunk.language not in {language, "und"}:
            text = f"{other_language_note(language)} {text}"
            answered_in = hits[0].chunk.language
        return Answer(text=text, citations=tuple(citations), language=answered_in, grounded=True)


def _refusal(language: str) -> Answer:
    return Answer(text=dont_know(language), citations=(), language=language, grounded=False)


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / max(min(len(a), len(b)), 1)


def _citation(index: int, hit: SearchHit) -> Citation:
    snippet = hit.chunk.text.strip().replace("\n", " ")
    if len(snippet) > _SNIPPET_CHARS:
        snippet = snippet[: _SNIPPET_CHARS - 1].rstrip() + "…"
    return Citation(
        index=index,
        document_id=hit.chunk.document_id,
        title=hit.document_title,
        source=hit.source,
        location=hit.chunk.heading or hit.chunk.location,
        chunk_id=hit.chunk.chunk_id,
        snippet=snippet,
    )
