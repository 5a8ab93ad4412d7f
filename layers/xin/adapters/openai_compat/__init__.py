"""OpenAI-compatible adapters (``/v1/embeddings``, ``/v1/chat/completions``) over httpx:
Hooshpod, vLLM, LiteLLM and other gateways. Only this package imports httpx."""

from __future__ import annotations

from xin.errors import XinError


class GatewayUnavailableError(XinError):
    """The gateway did not answer in time or kept failing."""

    code = "llm_unavailable"
    http_status = 503
