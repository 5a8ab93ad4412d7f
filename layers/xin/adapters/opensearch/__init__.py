"""OpenSearch adapters: the ``VectorStore`` for Amazon OpenSearch Service, Serverless and
self-hosted clusters. Only this package imports ``opensearchpy``."""
