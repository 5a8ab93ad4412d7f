"""Wires a whole application from ``Settings``. Every component is built on first use,
so a function that only serves /health never loads the embedding model."""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: /health must not pay for numpy and the services
    from xin.actions.engine import ActionEngine
    from xin.auth.keys import ApiKeyService
    from xin.channels.wiring import ChannelRuntime
    from xin.config import Settings
    from xin.ports import (
        ConversationStore,
        Embedder,
        Generator,
        IngestionStatusStore,
        LanguageDetector,
        ObjectSource,
        Retriever,
        SecretSource,
    )
    from xin.ratelimit.ports import RateLimiter
    from xin.services.chat import ChatService
    from xin.services.ingest_events import ObjectIngestService
    from xin.services.ingestion import IngestionService
    from xin.services.safety import SafetyService


class Container:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        from xin.observability.logging import install_log_redaction

        redaction = settings.redaction
        install_log_redaction(frozenset(redaction.types) if redaction.applies_to("logs") else None)

    @cached_property
    def secrets(self) -> SecretSource:
        from xin.adapters.secrets.factory import build_secret_source

        return build_secret_source(self.settings)

    @cached_property
    def database(self):  # type: ignore[no-untyped-def]  # adapter type stays out of the signature
        from xin.adapters.sqlite.database import Database

        return Database(self.settings.sqlite_path)

    @cached_property
    def store(self):  # type: ignore[no-untyped-def]
        if self.settings.store.backend == "opensearch":
            from xin.adapters.opensearch.factory import build_store

            return build_store(self.settings, lambda: self.secrets)
        from xin.adapters.sqlite.store import SqliteVectorStore

        return SqliteVectorStore(self.database)

    @cached_property
    def conversations(self) -> ConversationStore:
        if self.settings.conversations.backend == "dynamodb":
            from xin.adapters.providers import build_conversations

            return build_conversations(self.settings)
        from xin.adapters.sqlite.conversations import SqliteConversationStore

        return SqliteConversationStore(self.database)

    @cached_property
    def embedder(self) -> Embedder:
        from xin.adapters.providers import build_embedder
        from xin.rag.caching import CachedQueryEmbedder

        embedding = self.settings.embedding
        model = build_embedder(self.settings, lambda: self.secrets)
        if embedding.query_cache_size == 0:
            return model
        return CachedQueryEmbedder(model, max_entries=embedding.query_cache_size)

    @cached_property
    def detector(self) -> LanguageDetector:
        from xin.rag.language import LangDetectDetector

        return LangDetectDetector()

    @cached_property
    def retriever(self) -> Retriever:
        from xin.rag.caching import RetrievalCache
        from xin.rag.rerank import FeatureReranker
        from xin.rag.retrieval import HybridRetriever

        rag = self.settings.rag
        return HybridRetriever(
            self.store,
            self.embedder,
            candidates=rag.candidates,
            rrf_k=rag.rrf_k,
            fusion=rag.fusion,
            dense_weight=rag.dense_weight,
            reranker=FeatureReranker() if rag.reranker == "features" else None,
            cache=RetrievalCache(max_entries=rag.result_cache_size)
            if rag.result_cache_size
            else None,
            mmr_lambda=rag.mmr_lambda,  # ADR 0014; needs a store with chunk_vectors()
            mmr_depth=rag.mmr_depth,
        )

    @cached_property
    def generator(self) -> Generator:
        if self.settings.llm.provider != "extractive":
            from xin.adapters.providers import build_generator

            return build_generator(self.settings, lambda: self.secrets, canary=self.canary)
        from xin.rag.answerer import ExtractiveAnswerer

        rag = self.settings.rag
        return ExtractiveAnswerer(
            min_relevance=rag.min_relevance, max_sentences=rag.max_answer_sentences
        )

    @cached_property
    def chat(self) -> ChatService:
        from xin.services.chat import ChatService

        return ChatService(
            self.retriever,
            self.generator,
            self.conversations,
            self.detector,
            top_k=self.settings.rag.top_k,
            history_turns=self.settings.chat.history_turns,
            safety=self.safety,
            actions=self.actions,
        )

    @cached_property
    def actions(self) -> ActionEngine | None:
        """The action engine /chat shares with the channel worker (None: actions are off)."""
        if not self.settings.actions.enabled:
            return None
        engine: ActionEngine = self.channel_runtime.actions
        return engine

    @cached_property
    def canary(self) -> str:
        """The deployment's canary: from ``guard.canary_secret``, else kept in the data dir."""
        if self.settings.guard.canary_secret:
            return self.secrets.get(self.settings.guard.canary_secret)
        return _persisted_canary(self.settings.data_dir / "guard-canary")

    @cached_property
    def safety(self) -> SafetyService:
        from xin.services.safety import SafetyService

        hosted = self.settings.llm.provider != "extractive"
        system_prompt = ""
        if hosted:
            from xin.adapters.grounded_prompt import system_prompt_for

            system_prompt = system_prompt_for("en", self.canary)
        return SafetyService(
            self.settings.guard,
            self.settings.redaction,
            self.settings.tenants,
            canary=self.canary,
            system_prompt=system_prompt,
            check_grounding=hosted,
            # The cached query embedder: the guard's vector is the one retrieval reuses.
            embedder=self.embedder if self.settings.guard.semantic else None,
        )

    @cached_property
    def ingestion(self) -> IngestionService:
        from xin.services.ingestion import IngestionService

        rag = self.settings.rag
        return IngestionService(
            self.store,
            self.embedder,
            self.detector,
            chunk_size=rag.chunk_size,
            chunk_overlap=rag.chunk_overlap,
            scan_chunks=self.settings.guard.enabled and self.settings.guard.scan_documents,
        )

    @cached_property
    def ingest_status(self) -> IngestionStatusStore:
        ingest = self.settings.ingest
        if ingest.status_backend == "dynamodb":
            from xin.adapters.status.dynamodb import DynamoDbStatusStore

            aws = self.settings.aws
            return DynamoDbStatusStore(
                ingest.status_table, region=aws.region, endpoint_url=aws.endpoint_url
            )
        from xin.adapters.status.sqlite import SqliteStatusStore

        return SqliteStatusStore(self.database)

    @cached_property
    def object_source(self) -> ObjectSource:
        from xin.adapters.s3_source import S3ObjectSource

        aws = self.settings.aws
        return S3ObjectSource(region=aws.region, endpoint_url=aws.endpoint_url)

    @cached_property
    def object_ingest(self) -> ObjectIngestService:
        from xin.services.ingest_events import ObjectIngestService

        ingest = self.settings.ingest
        return ObjectIngestService(
            source=self.object_source,
            status=self.ingest_status,
            ingestion=self.ingestion,
            store=self.store,
            default_tenant=self.settings.default_tenant,
            tenant_prefix=ingest.tenant_prefix,
            max_object_bytes=ingest.max_object_bytes,
            allowed_extensions=ingest.allowed_extensions,
            lease_seconds=ingest.lease_seconds,
        )

    @cached_property
    def api_keys(self) -> ApiKeyService:
        """Hashed API keys in the configured store (SQLite beside the index, or DynamoDB)."""
        from xin.auth.factory import build_key_store, pepper_for
        from xin.auth.keys import ApiKeyService

        store = build_key_store(self.settings, lambda: self.database)
        return ApiKeyService(store, pepper_for(self.settings))

    @cached_property
    def rate_limiter(self) -> RateLimiter:
        from xin.ratelimit.factory import build_rate_limiter

        return build_rate_limiter(self.settings)

    @cached_property
    def channel_runtime(self) -> ChannelRuntime:
        """Messaging channels, their idempotency store and queue, actions and the worker."""
        from xin.channels.wiring import ChannelRuntime

        return ChannelRuntime(self)


def _persisted_canary(path: Path) -> str:
    """Generated once and kept (mode 0600); per process when the directory is read-only."""
    from xin.guard.output_guard import make_canary

    try:
        existing = path.read_text(encoding="utf-8").strip()
        if existing:
            return existing
    except OSError:
        pass
    canary = make_canary()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(canary)
    except FileExistsError:  # another process won the race: use its canary
        return path.read_text(encoding="utf-8").strip() or canary
    except OSError:
        pass
    return canary
