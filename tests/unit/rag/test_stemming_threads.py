"""Answer matching stems words on the server's worker threads at once (FastAPI runs sync
endpoints on a thread pool): each stem must be the one a single thread gets. A Snowball
stemmer shared between threads gave wrong stems and IndexError (HTTP 500 under load)."""

from __future__ import annotations

import itertools
import threading

import snowballstemmer

from xin.rag.text import light_stem


def test_stems_are_the_same_on_many_threads_at_once() -> None:
    words = [
        "".join(letters) + suffix
        for letters in itertools.product("abcdefghij", repeat=4)
        for suffix in ("ational", "ies", "ingly", "fulness")
    ]
    single = snowballstemmer.stemmer("english")
    expected = {word: single.stemWord(word) for word in words}
    light_stem.cache_clear()  # every call below really stems
    wrong: list[str] = []
    errors: list[BaseException] = []

    def stem(chunk: list[str]) -> None:
        for word in chunk:
            try:
                if light_stem(word) != expected[word]:
                    wrong.append(word)
            except Exception as exc:  # the race raised IndexError
                errors.append(exc)

    threads = [threading.Thread(target=stem, args=(words[i::8],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    light_stem.cache_clear()
    assert not errors, errors[:3]
    assert not wrong, wrong[:10]
