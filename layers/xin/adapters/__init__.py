"""Adapters: the only modules that talk to libraries, databases and services."""
