"""Builds the configured ``RateLimiter`` backend from settings (imports only the one used)."""

from __future__ import annotations

from xin.config import Settings
from xin.ratelimit.ports import RateLimiter


def build_rate_limiter(settings: Settings) -> RateLimiter:
    config = settings.rate_limit
    if config.backend == "redis":
        from xin.ratelimit.backends.redis import RedisRateLimiter

        return RedisRateLimiter(url=config.redis_url, prefix=config.key_prefix)
    if config.backend == "dynamodb":
        from xin.ratelimit.backends.dynamodb import DynamoDbRateLimiter

        return DynamoDbRateLimiter(
            config.dynamodb_table,
            region=settings.aws.region,
            endpoint_url=settings.aws.endpoint_url,
            prefix=config.key_prefix,
        )
    from xin.ratelimit.backends.memory import MemoryRateLimiter

    return MemoryRateLimiter()
