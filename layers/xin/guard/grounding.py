"""Lexical grounding: is each sentence of an answer supported by the cited passages?

A sentence is *checkable* when it has at least ``MIN_CONTENT_WORDS`` content words (stop
words and small talk removed, in the languages the guard knows). It is *supported* when
at least ``min_support`` of its content stems appear in the cited passages and every
number it states appears there too (digits folded: ۳ = ٣ = 3; "1,500" = "1500").
Stems are crude on purpose (six-letter prefixes; Arabic article and common Persian
suffixes stripped; CJK character bigrams): the check must run in a millisecond for any
backend and any language, not parse.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from xin.guard.normalize import fold

MIN_CONTENT_WORDS = 4
_SENTENCE = re.compile(r"[^.!?؟。\n]+(?:[.!?؟。]+(?=\s|$)|\n|$)")
_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"\d+(?:[.,/:]\d+)*")
_CJK = re.compile("[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]")
_AFFIX = re.compile(r"^(?:وال|بال|فال|لل|ال)|(?:های|ها|ان|ات)$")


@cache
def stopwords() -> frozenset[str]:
    words = """
    the a an and or but if of to in on at for from by with as is are was were be been being it
    its this that these those there here you your yours we our they their he she his her i me
    my can could will would should may might must do does did have has had not no yes so than
    then also just only very more most about into over under after before any all some such
    what which who whom when where why how please thanks thank hello hi help hope glad happy
    question questions know let feel free assist anything else sure course answer information
    according source sources based document documents passage provided mentioned following
    der die das und ist nicht ein eine mit von zu den dem für auf sie ich es im le la les et
    est des une pour dans que qui pas sur du el los las y en por con una para que del se
    il di che non della per gli ve bir bu ile için da de olarak
    و در به از که این را با است برای آن یک تا هم می ها های شود شده بود اما یا هر
    في من على إلى عن مع هذا هذه التي الذي ان أن كان هو هي ما لا
    """
    return frozenset(fold(w) for w in words.split())


def _stem(word: str) -> str:
    if word.isdigit():
        return word
    if re.match("[\u0600-\u06ff]", word):
        word = _AFFIX.sub("", word) or word
        return word[:5]
    return word[:6]


def content_stems(text: str) -> set[str]:
    folded = fold(text)
    stems = {
        _stem(w)
        for w in _WORD.findall(folded)
        if w not in stopwords() and not w.isdigit() and (len(w) >= 3 or _CJK.match(w))
    }
    for run in re.findall(f"{_CJK.pattern}+", folded):
        stems.update(run[i : i + 2] for i in range(max(1, len(run) - 1)))
    return stems


def numbers(text: str) -> set[str]:
    out = set()
    for raw in _NUMBER.findall(fold(text)):
        compact = re.sub(r"(?<=\d),(?=\d{3}\b)", "", raw).replace(",", ".")
        out.add(compact.rstrip("."))
    return out


def split_sentences(text: str) -> list[str]:
    return [s.strip(" -*•\t") for s in _SENTENCE.findall(text) if s.strip(" -*•\t")]


@dataclass(frozen=True, slots=True)
class Grounding:
    checked: int
    unsupported: tuple[str, ...]

    @property
    def supported_ratio(self) -> float:
        return 1.0 if not self.checked else 1.0 - len(self.unsupported) / self.checked


def check_grounding(answer: str, citations: Sequence[str], min_support: float = 0.5) -> Grounding:
    """Which checkable sentences of ``answer`` the ``citations`` do not support."""
    evidence = content_stems(" ".join(citations))
    evidence_numbers = numbers(" ".join(citations))
    checked = 0
    unsupported: list[str] = []
    for sentence in split_sentences(answer):
        stems = content_stems(sentence)
        stated = numbers(sentence)
        if len(stems) < MIN_CONTENT_WORDS and not stated:
            continue
        checked += 1
        overlap = len(stems & evidence) / len(stems) if stems else 1.0
        if overlap < min_support or not stated <= evidence_numbers:
            unsupported.append(sentence)
    return Grounding(checked, tuple(unsupported))


def excerpts(citations: Iterable[str], *, max_passages: int = 2, max_chars: int = 400) -> list[str]:
    """The opening of the first passages, cut at a sentence end when possible."""
    out = []
    for raw in list(citations)[:max_passages]:
        passage = " ".join(raw.split())
        if len(passage) > max_chars:
            cut = passage[:max_chars]
            end = max(cut.rfind(". "), cut.rfind("。"), cut.rfind("؟ "), cut.rfind("? "))
            passage = cut[: end + 1] if end > max_chars // 2 else cut.rstrip() + "…"
        out.append(passage)
    return out
