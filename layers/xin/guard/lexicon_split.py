"""One bounded alternation, split by word key, matching exactly as the whole would.

The whole alternation ``(?<!\\w)(?:f1|f2|…)(?!\\w)`` (fragments longest first) scans left
to right; at the first position where some fragment matches, the first fragment in that
order wins, and the scan goes on after the match. A fragment with keys can only match
at the start of a word with one of its keys, so at such a position the alternation of
the fragments sharing that word's key — in the same order — gives the same match as the
whole; elsewhere only the unkeyed fragments (``rest``) can match. ``spans`` walks both,
leftmost first, and where a keyed word and an unkeyed match start at the same position
it asks the union of both, in order. Leaving out fragments that cannot match at a
position never changes which one wins there.

Each key's alternation is compiled the first time a text has a word with that key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

Span = tuple[int, int]


def _compile(fragments: Iterable[str]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(fragments) + r")(?!\w)")


class Bounded:
    """The bounded fragments of one concept (folded, deduplicated)."""

    def __init__(
        self, fragments: Iterable[str], keys_of: Callable[[str], frozenset[str] | None]
    ) -> None:
        self.order = sorted(set(fragments), key=lambda f: (-len(f), f))
        groups: dict[str, list[str]] = {}
        rest: list[str] = []
        for fragment in self.order:
            keys = keys_of(fragment)
            if keys is None:
                rest.append(fragment)
                continue
            for key in keys:
                groups.setdefault(key, []).append(fragment)
        self.groups = groups
        self.rest = tuple(rest)
        self._keyed: dict[str, re.Pattern[str]] = {}
        self._union: dict[str, re.Pattern[str]] = {}
        self._rest: re.Pattern[str] | None = None
        self._whole: re.Pattern[str] | None = None

    def keyed(self, key: str) -> re.Pattern[str]:
        """The fragments keyed by ``key``."""
        pattern = self._keyed.get(key)
        if pattern is None:
            pattern = self._keyed[key] = _compile(self.groups[key])
        return pattern

    def union(self, key: str) -> re.Pattern[str]:
        """The fragments keyed by ``key`` and the unkeyed ones, in order."""
        pattern = self._union.get(key)
        if pattern is None:
            both = set(self.groups[key]) | set(self.rest)
            pattern = self._union[key] = _compile(f for f in self.order if f in both)
        return pattern

    def unkeyed(self) -> re.Pattern[str] | None:
        if self._rest is None and self.rest:
            self._rest = _compile(self.rest)
        return self._rest

    def whole(self) -> re.Pattern[str]:
        """The whole alternation (only for a fragment that can match the empty string)."""
        if self._whole is None:
            self._whole = _compile(self.order)
        return self._whole

    def warm(self) -> None:
        """Compile every key's alternation and the unkeyed one. A union is compiled when
        a text first needs it (an unkeyed fragment matching where a keyed word starts:
        rare, and a fraction of a millisecond each), so it is left out here."""
        for key in self.groups:
            self.keyed(key)
        self.unkeyed()

    def spans(self, text: str, starts: list[tuple[int, str]]) -> Iterator[Span]:
        """What ``self.whole().finditer(text)`` finds; ``starts``: (position, key) of the
        words of ``text`` whose key is one of ``groups``, in order."""
        rest = self.unkeyed()
        later = rest.search(text) if rest is not None else None
        pos, k = 0, 0
        while True:
            if later is not None and later.start() < pos:
                later = rest.search(text, pos) if rest is not None else None
            limit = later.start() if later is not None else len(text) + 1
            match = None
            while k < len(starts) and starts[k][0] <= limit:
                at, key = starts[k]
                k += 1
                if at < pos:
                    continue
                if at == limit:  # an unkeyed fragment matches here too
                    match = self.union(key).match(text, at)
                    break
                match = self.keyed(key).match(text, at)
                if match is not None:
                    break
            if match is None:
                if later is None:
                    return
                match = later
            if match.end() == match.start():
                # An empty match changes how the scan goes on: let ``re`` do it.
                at = match.start()
                yield from (m.span() for m in self.whole().finditer(text) if m.start() >= at)
                return
            yield match.span()
            pos = match.end()
