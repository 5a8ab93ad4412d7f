"""Word keys: which lexicon fragments can match where, told from the regex source.

A fragment of a bounded lexicon matches only at the start of a run of word characters
(``(?<!\\w)`` before it). If its source starts with plain characters — possibly through
optional parts and literal alternatives like ``(?:stop|quit) …`` or ``(?:و|ف)?تجاهل`` —
every match starts a word whose first ``KEY`` characters (or the whole word, if shorter)
are one of a few strings: its *keys*. A text then only needs the fragments keyed by the
first characters of its own words (``word_starts``). Fragments whose keys cannot be told
(they start with ``\\w*``, a class with a range, a capturing group…) get ``None`` and are
always tried.

The analysis is conservative: a zero-width assertion is skipped (it only narrows what
matches); anything else not understood makes the fragment unkeyed. It reads only the
start of a fragment and finds groups with ``re`` itself, so keying every lexicon costs a
fraction of compiling them.
"""

from __future__ import annotations

import re

KEY = 4
_MAX_KEYS = 64
_QUANTIFIERS = "?*+{"
_RUN = re.compile(r"\w+")
_NON_WORD = re.compile(r"\W")
_LITERALS = re.compile(r"[^\\.^$*+?{}\[\]|()]+")
# One item that is not a group: an escape, a character class or a plain character.
_ATOM = r"(?:\\[\s\S]|\[\^?\]?(?:\\[\s\S]|[^\]\\])*\]|[^()\\\[|])"
_CLASS = re.compile(r"\[\^?\]?(?:\\[\s\S]|[^\]\\])*\]")
_G1 = rf"\((?:{_ATOM}|\|)*\)"
_G2 = rf"\((?:{_ATOM}|\||{_G1})*\)"
_G3 = rf"\((?:{_ATOM}|\||{_G1}|{_G2})*\)"
_PLAIN_GROUP = re.compile(r"\(\?:([^\\.^$*+?{}\[\]()]*)\)")  # of plain alternatives
_GROUP = re.compile(_G3)  # a group nested at most three deep
_BRANCH = re.compile(rf"(?:{_ATOM}|{_G3})*")  # up to the next ``|`` outside groups


class _Unkeyed(Exception):
    """The fragment's start is not a plain sequence of characters."""


def word_starts(text: str) -> list[tuple[int, str]]:
    """(position, key) of every run of word characters in ``text``."""
    return [(m.start(), m.group()[:KEY]) for m in _RUN.finditer(text)]


def word_keys(fragment: str) -> frozenset[str] | None:
    """Every ``word[:KEY]`` a match of ``fragment`` (as a bounded alternative) can start;
    ``None`` if that cannot be told from the source."""
    done: set[str] = set()
    try:
        if "|" in fragment and _BRANCH.fullmatch(fragment) is None:
            pending = _alternatives(fragment, 0, len(fragment), {""}, done)  # ``a|b`` at the top
        else:
            pending = _sequence(fragment, 0, len(fragment), {""}, done)
    except _Unkeyed:
        return None
    return _settled(done, pending)


def _settled(done: set[str], pending: set[str]) -> frozenset[str] | None:
    done |= pending  # the match may end here: ``(?!\w)`` makes it the whole word
    if "" in done or len(done) > _MAX_KEYS:
        return None
    return frozenset(done)


def _alternatives(src: str, i: int, end: int, start: set[str], done: set[str]) -> set[str]:
    """Keys still growing after ``src[i:end]``, ``|``-separated sequences."""
    pending: set[str] = set()
    while True:
        branch = _BRANCH.match(src, i, end)
        stop = branch.end() if branch is not None else i
        if stop < end and src[stop] != "|":
            raise _Unkeyed  # groups nested deeper than ``_GROUP`` reads
        pending |= _sequence(src, i, stop, set(start), done)
        if len(pending) + len(done) > _MAX_KEYS:
            raise _Unkeyed
        if stop >= end:
            return pending
        i = stop + 1


def _sequence(src: str, i: int, end: int, pending: set[str], done: set[str]) -> set[str]:
    """Run the items of ``src[i:end]`` (no ``|`` outside groups) over the growing keys."""
    while i < end and pending:
        if src[i] == "(":
            i, pending = _group(src, i, end, pending, done)
            continue
        run = _LITERALS.match(src, i, end)
        if run is not None and run.end() - i > 1:  # plain characters, all required…
            chars = run.group()
            if run.end() < end and src[run.end()] in _QUANTIFIERS:
                chars = chars[:-1]  # …but maybe the last
            pending = _extend(pending, chars, done)
            i += len(chars)
            continue
        close, choices = _item(src, i, end)
        if not choices:  # zero-width
            i = close
            continue
        i, optional = _quantifier(src, close, end)
        after = set().union(*(_extend(pending, ch, done) for ch in choices))
        pending = _settle_optional(after, pending, optional, done)
    return pending


def _group(src: str, i: int, end: int, pending: set[str], done: set[str]) -> tuple[int, set[str]]:
    """Run the group opening at ``src[i]``; returns where it ends and the keys after it."""
    plain = _PLAIN_GROUP.match(src, i, end)
    if plain is not None:  # (?:abc|de|) — the most common start of all
        after = set().union(*(_extend(pending, alt, done) for alt in plain[1].split("|")))
        i, optional = _quantifier(src, plain.end(), end)
        return i, _settle_optional(after, pending, optional, done)
    group = _GROUP.match(src, i, end)
    if group is None:
        raise _Unkeyed
    if src.startswith(("(?=", "(?!", "(?<=", "(?<!"), i):
        return group.end(), pending  # zero-width: skipping it only widens the keys
    if not src.startswith("(?:", i):
        raise _Unkeyed  # capturing, named or flagged group
    after = _alternatives(src, i + 3, group.end() - 1, pending, done)
    i, optional = _quantifier(src, group.end(), end)
    return i, _settle_optional(after, pending, optional, done)


def _item(src: str, i: int, end: int) -> tuple[int, set[str]]:
    """One character, escape or class at ``src[i]``: where it ends and the characters it
    can match (none: zero-width)."""
    c = src[i]
    if c == "[":
        cls = _CLASS.match(src, i, end)
        chars = cls.group()[1:-1] if cls is not None else ""
        if cls is None or not chars or chars[0] == "^" or any(x in chars for x in "\\-["):
            raise _Unkeyed
        return cls.end(), set(chars)
    if c == "\\":
        nxt = src[i + 1 : i + 2]
        if nxt in ("b", "B"):
            return i + 2, set()
        if nxt == "s":
            return i + 2, {" "}  # any whitespace: it ends the word
        if nxt and not nxt.isalnum() and nxt != "_":
            return i + 2, {nxt}
        raise _Unkeyed
    if c in ".^$)|" or c in _QUANTIFIERS:
        raise _Unkeyed
    return i + 1, {c}


def _settle_optional(after: set[str], before: set[str], optional: bool, done: set[str]) -> set[str]:
    pending = after | before if optional else after
    if len(pending) + len(done) > _MAX_KEYS:
        raise _Unkeyed
    return pending


def _quantifier(src: str, i: int, end: int) -> tuple[int, bool]:
    """Skip an optional ``?`` (and a lazy or possessive mark) after an item; any other
    quantifier repeats it an unknown number of times."""
    if i < end and src[i] == "?":
        i += 1
        if i < end and src[i] in "?+":
            i += 1
        return i, True
    if i < end and src[i] in _QUANTIFIERS:
        raise _Unkeyed
    return i, False


def _extend(pending: set[str], chars: str, done: set[str]) -> set[str]:
    """Append the required characters ``chars`` to every growing key."""
    out: set[str] = set()
    for key in pending:
        step = chars[: KEY - len(key)]
        stop = _NON_WORD.search(step)
        if stop is not None:  # a non-word character ends the word
            word = key + step[: stop.start()]
            if not word:
                raise _Unkeyed  # a match could start with a non-word character
            done.add(word)
        elif len(key) + len(step) == KEY:
            done.add(key + step)
        else:
            out.add(key + step)
    return out
