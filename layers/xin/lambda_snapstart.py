"""Lambda SnapStart: what a handler does at init, and what it must redo after a restore.

Handlers build nothing at import time (no settings, no clients, no connections), so a
snapshot never holds a socket, a file handle or credentials that go stale on restore.
Under SnapStart (``AWS_LAMBDA_INITIALIZATION_TYPE=snap-start``) :func:`prepare` imports the
function's modules during init and loads language profiles, so the snapshot already holds
them and a restored environment skips that cost; elsewhere it does nothing. The warm steps
are pure in-memory work (parsed profiles, compiled regexes): nothing that goes stale.

After a restore, every copy of the snapshot would share the PRNG state of ``random``
(jittered retry backoff, log sampling): :func:`after_restore` reseeds it from the OS.
``uuid4`` and ``secrets`` read ``os.urandom`` and need nothing. The hook is registered with
``snapshot_restore_py``, which the Lambda Python runtime provides.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Iterable, Mapping
from importlib import import_module

SNAPSTART = "snap-start"
_INIT_TYPE_VARIABLE = "AWS_LAMBDA_INITIALIZATION_TYPE"


def is_snapstart(environ: Mapping[str, str] = os.environ) -> bool:
    return environ.get(_INIT_TYPE_VARIABLE) == SNAPSTART


def prepare(
    modules: Iterable[str],
    warm: Iterable[Callable[[], None]] = (),
    environ: Mapping[str, str] = os.environ,
) -> bool:
    """Under SnapStart: import ``modules``, run the ``warm`` steps (pure in-memory work that
    needs no settings, e.g. loading language profiles) and register the restore hook.
    Elsewhere: nothing, so imports stay lazy and init stays short."""
    if not is_snapstart(environ):
        return False
    for name in modules:
        import_module(name)
    for step in warm:
        step()
    try:
        from snapshot_restore_py import register_after_restore
    except ImportError:  # not a SnapStart-capable runtime
        return True
    register_after_restore(after_restore)
    return True


def after_restore() -> None:
    """Give this restored environment its own random state."""
    random.seed()


def warm_language_profiles() -> None:
    """Parse langdetect's 55 language profiles (``xin.rag.language.language_profiles``)."""
    from xin.rag.language import language_profiles

    language_profiles()


def warm_guard_lexicons() -> None:
    """Read the guard's lexicons and compile all of their regexes (``xin.guard.lexicon``:
    one per concept and word key), which chat's input guard and ingest's chunk scan would
    otherwise compile piece by piece for their first texts."""
    from xin.guard.lexicon import patterns

    patterns().warm()
