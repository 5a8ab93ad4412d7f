"""Backends are chosen by settings alone; misconfigured ones fail at start-up naming the key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.adapters.gateway_server import running_gateway
from xin.config import load_settings
from xin.deps import Container
from xin.errors import ConfigurationError


def container(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **env: str) -> Container:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Container(load_settings(data_dir=tmp_path))


def test_opensearch_store_by_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from xin.adapters.opensearch.store import OpenSearchVectorStore

    built = container(
        monkeypatch,
        tmp_path,
        XIN_STORE__BACKEND="opensearch",
        XIN_STORE__OPENSEARCH__URL="https://search.internal:9200",
        XIN_STORE__OPENSEARCH__ALIAS="kb",
    )
    store = built.store
    assert isinstance(store, OpenSearchVectorStore)
    assert store.alias == "kb"


def test_dynamodb_conversations_by_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from xin.adapters.dynamodb_conversations import DynamoDbConversationStore

    built = container(
        monkeypatch,
        tmp_path,
        XIN_CONVERSATIONS__BACKEND="dynamodb",
        XIN_CONVERSATIONS__TABLE="xin-conversations",
        XIN_AWS__REGION="eu-west-1",
    )
    assert isinstance(built.conversations, DynamoDbConversationStore)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"XIN_EMBEDDING__PROVIDER": "minilm"}, "MiniLmEmbedder"),
        (
            {"XIN_EMBEDDING__PROVIDER": "bedrock-titan", "XIN_EMBEDDING__DIMENSIONS": "512"},
            "TitanEmbedder",
        ),
        ({"XIN_EMBEDDING__PROVIDER": "bedrock-cohere"}, "CohereEmbedder"),
        (
            {
                "XIN_EMBEDDING__PROVIDER": "openai",
                "XIN_EMBEDDING__MODEL": "bge-m3",
                "XIN_EMBEDDING__DIMENSIONS": "1024",
                "XIN_OPENAI__BASE_URL": "https://hooshpod.example/v1",
            },
            "OpenAICompatEmbedder",
        ),
    ],
)
def test_embedding_providers_by_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, env: dict[str, str], expected: str
) -> None:
    built = container(
        monkeypatch,
        tmp_path,
        XIN_AWS__REGION="eu-central-1",
        XIN_EMBEDDING__QUERY_CACHE_SIZE="0",
        **env,
    )
    embedder = built.embedder
    assert type(embedder).__name__ == expected
    if expected == "TitanEmbedder":
        assert embedder.dimension == 512


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"XIN_LLM__PROVIDER": "bedrock", "XIN_LLM__MODEL": "eu.amazon.nova-lite-v1:0"},
            "BedrockGenerator",
        ),
        (
            {
                "XIN_LLM__PROVIDER": "openai",
                "XIN_LLM__MODEL": "qwen",
                "XIN_OPENAI__BASE_URL": "https://gw.example/v1",
            },
            "OpenAICompatGenerator",
        ),
        ({}, "ExtractiveAnswerer"),
    ],
)
def test_llm_providers_by_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, env: dict[str, str], expected: str
) -> None:
    built = container(monkeypatch, tmp_path, XIN_AWS__REGION="eu-central-1", **env)
    assert type(built.generator).__name__ == expected


@pytest.mark.parametrize(
    ("env", "key"),
    [
        ({"XIN_STORE__BACKEND": "opensearch"}, "store.opensearch.url"),
        ({"XIN_LLM__PROVIDER": "openai", "XIN_LLM__MODEL": "m"}, "openai.base_url"),
        ({"XIN_LLM__PROVIDER": "bedrock"}, "llm.model"),
        (
            {"XIN_EMBEDDING__PROVIDER": "openai", "XIN_OPENAI__BASE_URL": "https://gw/v1"},
            "embedding.model",
        ),
        (
            {"XIN_EMBEDDING__PROVIDER": "bedrock-titan", "XIN_EMBEDDING__DIMENSIONS": "384"},
            "256, 512 or 1024",
        ),
        ({"XIN_CONVERSATIONS__BACKEND": "dynamodb"}, "conversations.table"),
        ({"XIN_SECRETS__PROVIDER": "file"}, "secrets.directory"),
        ({"XIN_STORE__BACKEND": "cassandra"}, "store.backend"),
        (
            {
                "XIN_STORE__BACKEND": "opensearch",
                "XIN_STORE__OPENSEARCH__URL": "https://x",
                "XIN_STORE__OPENSEARCH__AUTH": "basic",
            },
            "store.opensearch.username",
        ),
    ],
)
def test_misconfigured_backends_fail_at_start_up(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], key: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError, match=key.replace(".", r"\.")):
        load_settings()


def test_the_local_stack_imports_no_cloud_sdk(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from xin.config import load_settings\n"
        "from xin.deps import Container\n"
        f"c = Container(load_settings(data_dir={str(tmp_path)!r}))\n"
        "c.store, c.conversations, c.generator, c.secrets\n"
        "sdks = ('opensearchpy', 'boto3', 'botocore', 'httpx')\n"
        "print(sorted(m for m in sdks if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_whole_chat_through_an_openai_compatible_gateway(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Embeddings and answers from a gateway, chosen by settings: no code changes."""
    with running_gateway() as gateway:
        built = container(
            monkeypatch,
            tmp_path,
            XIN_EMBEDDING__PROVIDER="openai",
            XIN_EMBEDDING__MODEL="bge-m3",
            XIN_LLM__PROVIDER="openai",
            XIN_LLM__MODEL="qwen2.5",
            XIN_OPENAI__BASE_URL=gateway.url,
            XIN_SECRET_OPENAI_API_KEY="dev-key-123",
        )
        doc = tmp_path / "helm.md"
        doc.write_text(
            "# Helm\n\nInstall Xin on Kubernetes with the Helm chart.\n", encoding="utf-8"
        )
        (result,) = built.ingestion.ingest_paths([doc], tenant="acme")
        assert result.status == "indexed"
        reply = built.chat.ask("How do I install Xin on Kubernetes?", tenant="acme")
    assert reply.answer.text == "Use Helm [1]."
    assert reply.answer.grounded
    assert reply.answer.citations[0].document_id == "helm.md"
    assert {s.path for s in gateway.seen} == {"/v1/embeddings", "/v1/chat/completions"}
    assert all(s.headers["authorization"] == "Bearer dev-key-123" for s in gateway.seen)
