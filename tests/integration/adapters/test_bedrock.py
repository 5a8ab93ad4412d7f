"""Bedrock adapters under botocore's Stubber (which validates every request against the
service model) and, for ConverseStream, real event-stream bytes through botocore's parser."""

from __future__ import annotations

import io
import json
import re
import zlib
from collections.abc import Iterator
from typing import Any

import boto3
import numpy as np
import pytest
from botocore.awsrequest import AWSResponse
from botocore.response import StreamingBody
from botocore.stub import ANY, Stubber

from xin.adapters.bedrock import BedrockUnavailableError
from xin.adapters.bedrock.calls import Backoff
from xin.adapters.bedrock.embeddings import CohereEmbedder, TitanEmbedder
from xin.adapters.bedrock.generator import BedrockGenerator
from xin.adapters.bedrock.reranker import BedrockReranker
from xin.domain import Chunk, SearchHit, Turn
from xin.errors import ConfigurationError, InvalidRequest

MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0"
RERANK_ARN = "arn:aws:bedrock:eu-central-1::foundation-model/cohere.rerank-v3-5:0"


def runtime(service: str = "bedrock-runtime") -> Any:
    return boto3.client(
        service,
        region_name="eu-central-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture
def client() -> Iterator[tuple[Any, Stubber]]:
    bedrock = runtime()
    with Stubber(bedrock) as stubber:
        yield bedrock, stubber
        stubber.assert_no_pending_responses()


def body(payload: dict[str, Any]) -> StreamingBody:
    raw = json.dumps(payload).encode()
    return StreamingBody(io.BytesIO(raw), len(raw))


def hit(n: int, text: str) -> SearchHit:
    chunk = Chunk(f"c{n}", f"doc{n}", "t", 0, text, heading_path=("Guide",))
    return SearchHit(chunk=chunk, score=0.5, document_title=f"Doc {n}", source=f"doc{n}.md")


NO_WAIT = Backoff(max_retries=3, base_s=0.0)


# -- embeddings ------------------------------------------------------------------------
def test_titan_v2_requests_the_configured_dimensions_normalised(
    client: tuple[Any, Stubber],
) -> None:
    bedrock, stubber = client
    vector = [3.0, 4.0] + [0.0] * 254
    for text in ("first chunk", "second chunk"):
        expected_body = {
            "inputText": text,
            "dimensions": 256,
            "normalize": True,
            "embeddingTypes": ["float"],
        }
        stubber.add_response(
            "invoke_model",
            {
                "body": body(
                    {
                        "embedding": vector,
                        "inputTextTokenCount": 3,
                        "embeddingsByType": {"float": vector},
                    }
                ),
                "contentType": "application/json",
            },
            {
                "modelId": "amazon.titan-embed-text-v2:0",
                "body": json.dumps(expected_body).encode(),
                "contentType": "application/json",
                "accept": "application/json",
            },
        )
    embedder = TitanEmbedder(bedrock, dimensions=256)
    matrix = embedder.embed_documents(["first chunk", "second chunk"])
    assert matrix.shape == (2, 256)
    assert np.allclose(matrix[0][:2], [0.6, 0.8])
    assert embedder.model_id == "amazon.titan-embed-text-v2:0/256"


def test_titan_rejects_unsupported_dimensions() -> None:
    with pytest.raises(ConfigurationError, match="256, 512 or 1024"):
        TitanEmbedder(runtime(), dimensions=384)


def test_cohere_uses_document_and_query_input_types_in_batches(client: tuple[Any, Stubber]) -> None:
    bedrock, stubber = client
    embedder = CohereEmbedder(bedrock, batch_size=2)
    texts = ["یک", "two", "three"]
    for batch in (texts[:2], texts[2:]):
        request = {
            "texts": batch,
            "input_type": "search_document",
            "truncate": "END",
            "embedding_types": ["float"],
        }
        reply = {
            "id": "e1",
            "response_type": "embeddings_by_type",
            "texts": batch,
            "embeddings": {"float": [[1.0] + [0.0] * 1023] * len(batch)},
        }
        stubber.add_response(
            "invoke_model",
            {"body": body(reply), "contentType": "application/json"},
            {
                "modelId": "cohere.embed-multilingual-v3",
                "body": json.dumps(request).encode(),
                "contentType": "application/json",
                "accept": "application/json",
            },
        )
    query_request = {
        "texts": ["چگونه؟"],
        "input_type": "search_query",
        "truncate": "END",
        "embedding_types": ["float"],
    }
    stubber.add_response(
        "invoke_model",
        {
            "body": body(
                {
                    "id": "e2",
                    "response_type": "embeddings_floats",
                    "texts": ["x"],
                    "embeddings": [[0.0, 2.0] + [0.0] * 1022],
                }
            ),
            "contentType": "application/json",
        },
        {
            "modelId": "cohere.embed-multilingual-v3",
            "body": json.dumps(query_request).encode(),
            "contentType": "application/json",
            "accept": "application/json",
        },
    )
    assert embedder.embed_documents(texts).shape == (3, 1024)
    query = embedder.embed_query("چگونه؟")
    assert query[1] == pytest.approx(1.0)


def test_embedding_throttling_is_retried(client: tuple[Any, Stubber]) -> None:
    bedrock, stubber = client
    pauses: list[float] = []
    stubber.add_client_error("invoke_model", "ThrottlingException", "Rate exceeded", 429)
    stubber.add_response(
        "invoke_model",
        {
            "body": body({"embedding": [1.0] * 512, "inputTextTokenCount": 1}),
            "contentType": "application/json",
        },
    )
    embedder = TitanEmbedder(
        bedrock, dimensions=512, backoff=Backoff(max_retries=2, base_s=0.25), sleep=pauses.append
    )
    assert embedder.embed_query("q").shape == (512,)
    assert len(pauses) == 1 and 0 <= pauses[0] <= 0.25


# -- Converse -------------------------------------------------------------------------------
def converse_reply(text: str) -> dict[str, Any]:
    return {
        "output": {"message": {"role": "assistant", "content": [{"text": text}]}},
        "stopReason": "end_turn",
        "usage": {"inputTokens": 812, "outputTokens": 41, "totalTokens": 853},
        "metrics": {"latencyMs": 930},
    }


def test_converse_prompt_and_citations(client: tuple[Any, Stubber]) -> None:
    bedrock, stubber = client
    hits = [hit(1, "Install with helm install xin ./chart."), hit(2, "Bananas are yellow.")]
    history = [Turn("user", "Hi", 1.0), Turn("assistant", "Hello!", 2.0)]
    captured: dict[str, Any] = {}

    def expect(params: dict[str, Any]) -> None:
        captured.update(params)

    stubber.add_response(
        "converse",
        converse_reply("Install it with `helm install xin ./chart` [1]. Nothing else [5]."),
        {
            "modelId": MODEL,
            "system": ANY,
            "messages": ANY,
            "inferenceConfig": {"maxTokens": 500, "temperature": 0.1},
        },
    )
    bedrock.meta.events.register(
        "before-parameter-build.bedrock-runtime.Converse", lambda params, **_: expect(params)
    )
    generator = BedrockGenerator(bedrock, MODEL, max_tokens=500, temperature=0.1, backoff=NO_WAIT)
    answer = generator.answer("How do I install Xin?", hits, "en", history)
    assert answer.text == "Install it with `helm install xin ./chart` [1]. Nothing else."
    assert [(c.index, c.chunk_id, c.title) for c in answer.citations] == [(1, "c1", "Doc 1")]
    assert answer.grounded
    assert [m["role"] for m in captured["messages"]] == ["user", "assistant", "user"]
    question = captured["messages"][-1]["content"][0]["text"]
    assert re.search(r'<<source \w+ 1>>\ntitle="Doc 1" section="Guide"\n', question)
    assert "untrusted" in captured["system"][0]["text"]


def test_converse_throttling_retries_then_gives_up_as_503(client: tuple[Any, Stubber]) -> None:
    bedrock, stubber = client
    for _ in range(4):
        stubber.add_client_error("converse", "ThrottlingException", "Too many requests", 429)
    generator = BedrockGenerator(bedrock, MODEL, backoff=NO_WAIT, sleep=lambda _s: None)
    with pytest.raises(BedrockUnavailableError) as info:
        generator.answer("q", [hit(1, "t")], "en", [])
    assert info.value.http_status == 503


def test_converse_validation_error_is_a_clean_400(client: tuple[Any, Stubber]) -> None:
    bedrock, stubber = client
    stubber.add_client_error(
        "converse", "ValidationException", "Input is too long for requested model.", 400
    )
    generator = BedrockGenerator(bedrock, MODEL, backoff=NO_WAIT)
    with pytest.raises(InvalidRequest, match="ValidationException") as info:
        generator.answer("q", [hit(1, "t")], "en", [])
    assert info.value.http_status == 400
    assert "too long" not in info.value.message  # the provider's text is not echoed


def test_missing_model_access_is_a_configuration_error(client: tuple[Any, Stubber]) -> None:
    bedrock, stubber = client
    stubber.add_client_error(
        "converse", "AccessDeniedException", "You don't have access to the model", 403
    )
    with pytest.raises(ConfigurationError, match="model access"):
        BedrockGenerator(bedrock, MODEL, backoff=NO_WAIT).answer("q", [hit(1, "t")], "en", [])


def test_no_hits_means_no_converse_call(client: tuple[Any, Stubber]) -> None:
    bedrock, _stubber = client
    answer = BedrockGenerator(bedrock, MODEL).answer("q", [], "fa", [])
    assert not answer.grounded and answer.text.startswith("نمی‌دانم")


# -- ConverseStream (real event-stream frames) ---------------------------------------------
def frame(event_type: str, payload: dict[str, Any], message_type: str = "event") -> bytes:
    def header(name: str, value: str) -> bytes:
        return (
            bytes([len(name)])
            + name.encode()
            + b"\x07"
            + len(value).to_bytes(2, "big")
            + value.encode()
        )

    kind = ":exception-type" if message_type == "exception" else ":event-type"
    headers = (
        header(kind, event_type)
        + header(":content-type", "application/json")
        + header(":message-type", message_type)
    )
    data = json.dumps(payload).encode()
    prelude = (12 + len(headers) + len(data) + 4).to_bytes(4, "big") + len(headers).to_bytes(
        4, "big"
    )
    message = prelude + zlib.crc32(prelude).to_bytes(4, "big") + headers + data
    return message + zlib.crc32(message).to_bytes(4, "big")


class _Raw:
    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield from (self._data[i : i + 37] for i in range(0, len(self._data), 37))

    def read(self, *_: Any) -> bytes:
        return self._data

    def close(self) -> None:
        return None


def stream_client(frames: list[bytes]) -> tuple[Any, list[dict[str, Any]]]:
    bedrock = runtime()
    sent: list[dict[str, Any]] = []

    def respond(request: Any, **_: Any) -> AWSResponse:
        sent.append(json.loads(request.body))
        headers = {"content-type": "application/vnd.amazon.eventstream"}
        return AWSResponse(request.url, 200, headers, _Raw(b"".join(frames)))

    bedrock.meta.events.register("before-send.bedrock-runtime.ConverseStream", respond)
    return bedrock, sent


def test_converse_stream_yields_text_deltas_and_maps_citations() -> None:
    frames = [
        frame("messageStart", {"role": "assistant"}),
        frame("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "Roll back with "}}),
        frame(
            "contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "`helm rollback` [2]."}}
        ),
        frame("contentBlockStop", {"contentBlockIndex": 0}),
        frame("messageStop", {"stopReason": "end_turn"}),
        frame(
            "metadata",
            {
                "usage": {"inputTokens": 10, "outputTokens": 5, "totalTokens": 15},
                "metrics": {"latencyMs": 120},
            },
        ),
    ]
    bedrock, sent = stream_client(frames)
    generator = BedrockGenerator(bedrock, MODEL, backoff=NO_WAIT)
    hits = [hit(1, "Install."), hit(2, "Roll back with helm rollback.")]
    assert list(generator.stream("roll back?", hits, "en", [])) == [
        "Roll back with ",
        "`helm rollback` [2].",
    ]
    answer = generator.answer_streamed("roll back?", hits, "en", [])
    assert [c.chunk_id for c in answer.citations] == ["c2"]
    assert sent[0]["inferenceConfig"] == {"maxTokens": 800, "temperature": 0.2}


def test_throttling_in_the_middle_of_a_stream_is_a_503() -> None:
    frames = [
        frame("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "partial"}}),
        frame("throttlingException", {"message": "slow down"}, message_type="exception"),
    ]
    bedrock, _sent = stream_client(frames)
    generator = BedrockGenerator(bedrock, MODEL, backoff=NO_WAIT)
    with pytest.raises(BedrockUnavailableError):
        list(generator.stream("q", [hit(1, "t")], "en", []))


# -- Rerank ---------------------------------------------------------------------------------
def test_rerank_reorders_hits_by_relevance() -> None:
    agent = runtime("bedrock-agent-runtime")
    hits = [
        hit(1, "Bananas are yellow."),
        hit(2, "Roll back with helm rollback."),
        hit(3, "Install."),
    ]
    with Stubber(agent) as stubber:
        stubber.add_response(
            "rerank",
            {
                "results": [
                    {"index": 1, "relevanceScore": 0.93},
                    {"index": 2, "relevanceScore": 0.12},
                ]
            },
            {
                "queries": [{"type": "TEXT", "textQuery": {"text": "how to roll back"}}],
                "sources": [
                    {
                        "type": "INLINE",
                        "inlineDocumentSource": {
                            "type": "TEXT",
                            "textDocument": {
                                "text": f"Doc {h.chunk.document_id[-1]}\nGuide\n{h.chunk.text}"
                            },
                        },
                    }
                    for h in hits
                ],
                "rerankingConfiguration": {
                    "type": "BEDROCK_RERANKING_MODEL",
                    "bedrockRerankingConfiguration": {
                        "numberOfResults": 2,
                        "modelConfiguration": {"modelArn": RERANK_ARN},
                    },
                },
            },
        )
        ranked = BedrockReranker(agent, RERANK_ARN, backoff=NO_WAIT).rerank(
            "how to roll back", hits, 2
        )
    assert [h.chunk.chunk_id for h in ranked] == ["c2", "c3"]
    assert ranked[0].score == pytest.approx(0.93)
    assert ranked[0].scores["rerank"] == pytest.approx(0.93)
    assert BedrockReranker(agent, RERANK_ARN).rerank("q", [], 3) == []
