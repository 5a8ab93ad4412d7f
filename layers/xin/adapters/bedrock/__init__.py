"""Amazon Bedrock adapters: Titan / Cohere embeddings, Converse generation, Rerank.
Only this package imports boto3/botocore for Bedrock."""

from __future__ import annotations

from xin.errors import XinError


class BedrockUnavailableError(XinError):
    """Bedrock kept throttling or failing after the retry budget."""

    code = "llm_unavailable"
    http_status = 503
