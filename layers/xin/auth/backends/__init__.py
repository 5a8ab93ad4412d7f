"""``ApiKeyStore`` backends: memory (tests), sqlite (local, Kubernetes), dynamodb (Lambda)."""
