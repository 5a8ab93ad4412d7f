"""Embedding-provider parity: how two embedders rank the same corpus (``xin parity``)."""
