"""Application services: the use cases the handlers, the CLI and the API call."""
