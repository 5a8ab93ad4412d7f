"""``RateLimiter`` backends: memory (one process), redis (Kubernetes), dynamodb (Lambda)."""
