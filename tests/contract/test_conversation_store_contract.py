"""The ``ConversationStore`` contract, run against SQLite and DynamoDB (moto)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from xin.adapters.sqlite.conversations import SqliteConversationStore
from xin.adapters.sqlite.database import Database
from xin.domain import Turn
from xin.ports import ConversationStore

KEPT = 4


@pytest.fixture(params=["sqlite", "dynamodb"])
def conversations(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ConversationStore]:
    if request.param == "sqlite":
        yield SqliteConversationStore(Database(tmp_path / "c.db"), max_turns_kept=KEPT)
        return
    import boto3
    from moto import mock_aws

    from xin.adapters.dynamodb_conversations import DynamoDbConversationStore

    for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing")):
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("dynamodb", region_name="eu-west-1")
        store = DynamoDbConversationStore(
            "xin-conversations", max_turns_kept=KEPT, boto3_client=client, clock=lambda: 1000.0
        )
        store.create_table()
        yield store


def test_turns_come_back_in_order(conversations: ConversationStore) -> None:
    conversations.append("t", "s", Turn("user", "How do I deploy?", 1.5, {"language": "en"}))
    conversations.append(
        "t", "s", Turn("assistant", "With Helm [1].", 2.25, {"citations": ["c1", "c2"]})
    )
    history = conversations.history("t", "s", 10)
    assert [(t.role, t.text, t.created_at) for t in history] == [
        ("user", "How do I deploy?", 1.5),
        ("assistant", "With Helm [1].", 2.25),
    ]
    assert history[0].meta == {"language": "en"}
    assert history[1].meta == {"citations": ["c1", "c2"]}


def test_limit_returns_the_latest_turns(conversations: ConversationStore) -> None:
    for i in range(3):
        conversations.append("t", "s", Turn("user", f"q{i}", float(i)))
    assert [t.text for t in conversations.history("t", "s", 2)] == ["q1", "q2"]
    assert conversations.history("t", "s", 0) == []


def test_only_the_newest_turns_are_kept(conversations: ConversationStore) -> None:
    for i in range(KEPT + 3):
        conversations.append("t", "s", Turn("user", f"q{i}", float(i)))
    assert [t.text for t in conversations.history("t", "s", 100)] == [
        f"q{i}" for i in range(3, KEPT + 3)
    ]


def test_sessions_and_tenants_are_isolated(conversations: ConversationStore) -> None:
    conversations.append("a", "s1", Turn("user", "tenant a", 1.0))
    conversations.append("b", "s1", Turn("user", "tenant b", 1.0))
    conversations.append("a", "s2", Turn("user", "other session", 1.0))
    assert [t.text for t in conversations.history("a", "s1", 10)] == ["tenant a"]
    assert [t.text for t in conversations.history("b", "s1", 10)] == ["tenant b"]
    assert conversations.history("c", "s1", 10) == []


def test_persian_text_round_trips(conversations: ConversationStore) -> None:
    conversations.append("t", "s", Turn("user", "چگونه شین را نصب کنم؟", 1.0, {"language": "fa"}))
    (turn,) = conversations.history("t", "s", 1)
    assert turn.text == "چگونه شین را نصب کنم؟"
    assert turn.meta == {"language": "fa"}


def test_a_question_and_its_answer_are_appended_together(
    conversations: ConversationStore,
) -> None:
    conversations.append("t", "s", Turn("user", "first", 1.0))
    conversations.append_turns(
        "t",
        "s",
        [
            Turn("user", "How do I deploy?", 2.0, {"language": "en"}),
            Turn("assistant", "With Helm [1].", 2.0, {"citations": ["c1"]}),
        ],
    )
    conversations.append("t", "s", Turn("user", "last", 3.0))
    history = conversations.history("t", "s", 10)
    assert [(t.role, t.text) for t in history] == [
        ("user", "first"),
        ("user", "How do I deploy?"),
        ("assistant", "With Helm [1]."),
        ("user", "last"),
    ]
    assert history[2].meta == {"citations": ["c1"]}
    conversations.append_turns("t", "s", [])
    assert len(conversations.history("t", "s", 10)) == 4


def test_batched_appends_keep_only_the_newest_turns(conversations: ConversationStore) -> None:
    for i in range(KEPT):  # pairs, so the window moves by two each time
        conversations.append_turns(
            "t", "s", [Turn("user", f"q{i}", float(i)), Turn("assistant", f"a{i}", float(i))]
        )
    kept = [t.text for t in conversations.history("t", "s", 100)]
    assert kept == [f"{x}{i}" for i in range(KEPT // 2, KEPT) for x in ("q", "a")]
    assert len(kept) == KEPT


def test_a_batch_never_overwrites_a_turn_written_concurrently(
    conversations: ConversationStore,
) -> None:
    import threading

    errors: list[BaseException] = []

    def chat(worker: int) -> None:
        try:
            for i in range(3):
                conversations.append_turns(
                    "t",
                    "shared",
                    [Turn("user", f"w{worker}q{i}", 1.0), Turn("assistant", f"w{worker}a{i}", 1.0)],
                )
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=chat, args=(w,)) for w in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    texts = [t.text for t in conversations.history("t", "shared", 100)]
    kept = texts[-KEPT:]
    # Every question is followed directly by its own answer: batches never interleave.
    for question, answer in zip(kept[::2], kept[1::2], strict=True):
        assert question.replace("q", "a") == answer
