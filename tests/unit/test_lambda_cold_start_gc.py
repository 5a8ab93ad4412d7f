"""The Lambda HTTP handlers' first invocation runs without automatic cyclic garbage
collection (``xin.lambda_app.cold_start_gc``); what it built is filed under the oldest
generation, and garbage made meanwhile is still collected later."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from typing import Any

import pytest

import xin.lambda_app as lambda_app
from xin.lambda_app import cold_start_gc, lambda_handler_for


class Node:
    """A tracked object that can sit in a reference cycle."""

    def __init__(self) -> None:
        self.partner: Any = None


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    if enabled:
        gc.enable()
    else:
        gc.disable()


def test_the_collector_is_off_inside_and_on_after() -> None:
    gc.enable()
    with cold_start_gc():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_cold_start_objects_move_to_the_oldest_generation() -> None:
    gc.enable()
    with cold_start_gc():
        built = Node()
    oldest = gc.get_objects(generation=2)
    assert any(o is built for o in oldest)
    assert gc.get_freeze_count() == 0  # filed under the oldest generation, not frozen


def test_cyclic_garbage_made_during_the_cold_start_is_still_collected() -> None:
    gc.enable()
    with cold_start_gc():
        a, b = Node(), Node()
        a.partner, b.partner = b, a
        alive = weakref.ref(a)
        del a, b
        assert alive() is not None  # no collection while the cold start runs
    gc.collect()
    assert alive() is None


def test_a_failing_cold_start_turns_the_collector_back_on() -> None:
    gc.enable()
    with pytest.raises(RuntimeError), cold_start_gc():
        raise RuntimeError("first event failed")
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_process_stays_off() -> None:
    gc.disable()
    with cold_start_gc():
        Node()
    assert not gc.isenabled()


def test_objects_frozen_by_someone_else_stay_frozen() -> None:
    gc.enable()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with cold_start_gc():
            assert gc.isenabled()  # left alone
        # Not unfrozen (that would empty the permanent generation); frozen objects that
        # other threads of a test run release meanwhile may lower the count a little.
        assert gc.get_freeze_count() > frozen // 2
    finally:
        gc.unfreeze()


def test_only_the_first_invocation_runs_without_the_collector(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gc.enable()
    seen: list[tuple[str, bool]] = []
    builds: list[str] = []

    def build(routes: tuple[str, ...], function: str) -> lambda_app.LambdaHandler:
        builds.append(function)
        seen.append(("build", gc.isenabled()))

        def serve(event: dict[str, Any], context: Any) -> dict[str, Any]:
            seen.append(("event", gc.isenabled()))
            return {"statusCode": 200, "body": event["body"]}

        return serve

    monkeypatch.setattr(lambda_app, "_build", build)
    handle = lambda_handler_for(("chat",))
    assert handle({"body": "first"}, None) == {"statusCode": 200, "body": "first"}
    assert gc.isenabled()
    assert handle({"body": "second"}, None) == {"statusCode": 200, "body": "second"}
    assert builds == ["chat"]
    assert seen == [("build", False), ("event", False), ("event", True)]


def test_a_failing_first_event_is_raised_and_the_next_one_is_served_warm(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gc.enable()
    builds: list[str] = []

    def build(routes: tuple[str, ...], function: str) -> lambda_app.LambdaHandler:
        builds.append(function)

        def serve(event: dict[str, Any], context: Any) -> dict[str, Any]:
            if event.get("fail"):
                raise RuntimeError("boom")
            return {"statusCode": 200}

        return serve

    monkeypatch.setattr(lambda_app, "_build", build)
    handle = lambda_handler_for(("chat",))
    with pytest.raises(RuntimeError):
        handle({"fail": True}, None)
    assert gc.isenabled()
    assert handle({}, None) == {"statusCode": 200}
    assert builds == ["chat"]  # built once, as before
