"""The output guard for streamed answers: release text only once the leak checks have seen it.

A streamed answer cannot be taken back, so checking the whole answer at the end is too late.
``StreamGuard`` buffers what the generator writes and releases a prefix only when

* the leak check (``leaks``: the output guard's canary, system-prompt and secret checks,
  the same ones a non-streamed answer goes through) passes on *everything* written so far,
  including at least ``hold`` characters written after the released prefix: a leak that
  starts inside the prefix and is long enough to be detected at all (a canary is 27
  characters, a system-prompt leak needs about 13 words) is seen before the prefix leaves;
* the prefix ends at a sentence end or a line break (at a word only when a sentence is longer
  than the look-ahead), so a token
  still being written (a long key, a JWT) is never cut in two, and PII masking, which runs
  per released piece, always sees whole values.

On a leak the guard stops releasing for good (``leaked`` is set); the caller stops the
generator and replaces the answer. At the end, ``finish`` checks the complete text once more
and releases the rest only if it is clean. Released text is therefore always a prefix of a
text that passed the check with ``hold`` characters of look-ahead, or of the final text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_SENTENCE_BREAK = re.compile(r"(?<=[.!?؟。:])\s+|\n+")
_WORD_BREAK = re.compile(r"\s+")


class StreamGuard:
    def __init__(
        self, leaks: Callable[[str], bool], *, hold: int = 400, check_every: int = 80
    ) -> None:
        self._leaks = leaks
        self._hold = hold
        self._every = check_every
        self._text = ""
        self._released = 0
        self._checked = 0
        self.leaked = False

    @property
    def text(self) -> str:
        """Everything the generator has written so far."""
        return self._text

    def feed(self, delta: str) -> str:
        """Take the next piece of the answer; return the text that may be shown now."""
        if self.leaked:
            return ""
        self._text += delta
        if len(self._text) - self._checked < self._every:
            return ""
        return self._release(final=False)

    def finish(self) -> str:
        """The generator is done: check the whole text and return what is left to show."""
        if self.leaked:
            return ""
        return self._release(final=True)

    def _release(self, *, final: bool) -> str:
        self._checked = len(self._text)
        if self._leaks(self._text):
            self.leaked = True
            return ""
        end = len(self._text) if final else self._boundary()
        if end <= self._released:
            return ""
        piece = self._text[self._released : end]
        self._released = end
        return piece

    def _boundary(self) -> int:
        """The end of the longest releasable prefix: a sentence (else word) boundary at
        least ``hold`` characters before the end of what has been written."""
        limit = len(self._text) - self._hold
        if limit <= self._released:
            return self._released
        window = self._text[self._released : limit + 1]
        # A word boundary only when a sentence runs longer than the look-ahead itself.
        patterns = (
            (_SENTENCE_BREAK, _WORD_BREAK) if len(window) > self._hold else (_SENTENCE_BREAK,)
        )
        for pattern in patterns:
            ends = [m.end() for m in pattern.finditer(window)]
            if ends:
                return self._released + ends[-1]
        return self._released
