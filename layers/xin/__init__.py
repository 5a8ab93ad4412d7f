"""Xin: a serverless RAG chatbot platform (core shared by every function and the local server)."""

__version__ = "0.1.0"
