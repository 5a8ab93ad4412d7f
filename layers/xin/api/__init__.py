"""HTTP API: one FastAPI app factory that can mount any subset of routes."""
