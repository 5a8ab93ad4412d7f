"""Retrieval-augmented generation: loading, chunking, retrieval and answering."""
