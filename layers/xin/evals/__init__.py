"""Offline evaluation: BEIR-format datasets, IR metrics and the retrieval runner.

Nothing here runs in a request path; the modules import the heavy parts (the container,
the embedding model) only when an evaluation actually runs.
"""
