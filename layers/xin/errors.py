"""Domain errors. Adapters raise these; the API boundary maps them to HTTP responses."""

from __future__ import annotations


class XinError(Exception):
    """Base class for every error Xin raises on purpose."""

    code = "internal_error"
    http_status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigurationError(XinError):
    code = "configuration_error"


class DocumentError(XinError):
    """A single document could not be ingested. Never stops the rest of a batch."""

    code = "document_error"
    http_status = 422

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class UnsupportedDocument(DocumentError):
    code = "unsupported_document"
    http_status = 415


class DocumentParseError(DocumentError):
    code = "document_parse_error"


class EmptyDocument(DocumentError):
    code = "empty_document"


class StoreUnavailable(XinError):
    code = "store_unavailable"
    http_status = 503


class EmbeddingModelMismatch(XinError):
    """The index was built with another embedding model or dimension than the configured one.

    A deployment in this state cannot answer (vectors from two models are not comparable),
    so it is a 503 with a stable code; the message names both models and the remedy.
    """

    code = "index_model_mismatch"
    http_status = 503

    def __init__(
        self,
        index_model: str,
        index_dimension: int | None,
        configured_model: str,
        configured_dimension: int,
        remedy: str,
    ) -> None:
        built = _model(index_model, index_dimension)
        wanted = _model(configured_model, configured_dimension)
        super().__init__(
            f"the index was built with embedding model {built}, but {wanted} is configured; "
            f"{remedy}"
        )
        self.index_model = index_model
        self.configured_model = configured_model


def _model(model_id: str, dimension: int | None) -> str:
    return f"'{model_id}' ({dimension if dimension is not None else '?'} dimensions)"


class InvalidRequest(XinError):
    code = "invalid_request"
    http_status = 400


class NotFound(XinError):
    code = "not_found"
    http_status = 404
