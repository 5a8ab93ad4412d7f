"""Observability: logs, metrics and (later) tracing."""
