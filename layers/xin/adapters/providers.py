"""Builds the configured embedding model and answer generator from ``Settings``.

Each provider's SDK is imported only when that provider is selected, so the local stack
never imports boto3 or httpx clients it does not use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xin.adapters.openai_compat.http import GatewayClient
    from xin.config import Settings
    from xin.ports import ConversationStore, Embedder, Generator, SecretSource

SecretsFactory = Callable[[], "SecretSource"]


def gateway_client(settings: Settings, secrets: SecretsFactory) -> GatewayClient:
    from xin.adapters.openai_compat.http import GatewayClient

    config = settings.openai
    assert config.base_url is not None  # settings validation guarantees it
    source = secrets()
    return GatewayClient(
        config.base_url,
        lambda: source.get(config.api_key_secret),  # read per call: rotation needs no restart
        timeout_s=config.timeout_s,
        max_retries=config.max_retries,
    )


def build_embedder(settings: Settings, secrets: SecretsFactory) -> Embedder:
    embedding = settings.embedding
    provider = embedding.provider
    if provider == "minilm":
        from xin.adapters.minilm_embedder import MiniLmEmbedder

        return MiniLmEmbedder(threads=embedding.threads, batch_size=embedding.batch_size)
    if provider in ("bedrock-titan", "bedrock-cohere"):
        from xin.adapters.bedrock.calls import make_client
        from xin.adapters.bedrock.embeddings import (
            COHERE_MULTILINGUAL_V3,
            TITAN_V2,
            CohereEmbedder,
            TitanEmbedder,
        )

        client = make_client(
            "bedrock-runtime", region=settings.aws.region, endpoint_url=settings.aws.endpoint_url
        )
        if provider == "bedrock-titan":
            return TitanEmbedder(
                client,
                model_id=embedding.model or TITAN_V2,
                dimensions=embedding.dimensions or 1024,
                normalize=embedding.normalize,
            )
        return CohereEmbedder(client, model_id=embedding.model or COHERE_MULTILINGUAL_V3)
    if provider == "openai":
        from xin.adapters.openai_compat.embedder import OpenAICompatEmbedder

        assert embedding.model is not None  # settings validation guarantees it
        return OpenAICompatEmbedder(
            gateway_client(settings, secrets),
            embedding.model,
            dimensions=embedding.dimensions,
            batch_size=embedding.batch_size,
        )
    from xin.adapters.e5_embedder import E5SmallEmbedder

    return E5SmallEmbedder(threads=embedding.threads)


def build_generator(settings: Settings, secrets: SecretsFactory, *, canary: str = "") -> Generator:
    llm = settings.llm
    assert llm.model is not None  # settings validation guarantees it for hosted providers
    if llm.provider == "bedrock":
        from xin.adapters.bedrock.calls import make_client
        from xin.adapters.bedrock.generator import BedrockGenerator

        client = make_client(
            "bedrock-runtime", region=settings.aws.region, endpoint_url=settings.aws.endpoint_url
        )
        return BedrockGenerator(
            client,
            llm.model,
            max_tokens=llm.max_tokens,
            temperature=llm.temperature,
            canary=canary,
        )
    from xin.adapters.openai_compat.generator import OpenAICompatGenerator

    return OpenAICompatGenerator(
        gateway_client(settings, secrets),
        llm.model,
        max_tokens=llm.max_tokens,
        temperature=llm.temperature,
        canary=canary,
    )


def build_conversations(settings: Settings) -> ConversationStore:
    """The DynamoDB conversation store (the SQLite one is built by the container)."""
    from xin.adapters.dynamodb_conversations import DynamoDbConversationStore

    config = settings.conversations
    assert config.table is not None  # settings validation guarantees it
    return DynamoDbConversationStore(
        config.table,
        ttl_days=config.ttl_days,
        max_turns_kept=config.max_turns_kept,
        region=settings.aws.region,
        endpoint_url=settings.aws.endpoint_url,
    )
