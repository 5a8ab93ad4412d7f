"""Redis ``RateLimiter`` (Kubernetes): one Lua script per decision, so it is atomic across pods.

The script reads the bucket, refills it from the Redis server's own clock (``TIME``, so pod
clocks never matter), takes the tokens and writes back with an expiry in one step. Scripts
are registered with redis-py's ``register_script`` (EVALSHA, falling back to EVAL).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from xin.ratelimit.bucket import quota_decision
from xin.ratelimit.errors import RateLimiterUnavailable
from xin.ratelimit.ports import Bucket, Decision

# KEYS[1] bucket; ARGV rate, burst, cost. Returns {allowed, tokens_left, retry_after}.
_BUCKET_LUA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = burst
else
  tokens = math.min(burst, tokens + math.max(0, now - ts) * rate)
end
if tokens >= cost then
  tokens = tokens - cost
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
  redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rate * 1000) + 1000)
  return {1, tostring(tokens), '0'}
end
return {0, tostring(tokens), tostring((cost - tokens) / rate)}
"""

# KEYS[1] counter; ARGV limit, cost, expire_at (epoch s). Returns {allowed, used}.
_WINDOW_LUA = """
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local limit = tonumber(ARGV[1])
local cost = tonumber(ARGV[2])
if used + cost > limit then
  return {0, used}
end
used = redis.call('INCRBY', KEYS[1], cost)
redis.call('EXPIREAT', KEYS[1], tonumber(ARGV[3]))
return {1, used}
"""


class RedisRateLimiter:
    def __init__(
        self,
        *,
        url: str | None = None,
        client: Any = None,
        prefix: str = "xin:rl:",
        timeout_s: float = 0.5,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if client is None and url is None:
            raise ValueError("RedisRateLimiter needs a client or a url")
        self._url = url
        self._client = client
        self._prefix = prefix
        self._timeout = timeout_s
        self._clock = clock
        self._scripts: dict[str, Any] = {}

    def _script(self, name: str, source: str) -> Any:
        script = self._scripts.get(name)
        if script is None:
            if self._client is None:
                import redis

                self._client = redis.Redis.from_url(
                    str(self._url),
                    socket_timeout=self._timeout,
                    socket_connect_timeout=self._timeout,
                )
            script = self._client.register_script(source)
            self._scripts[name] = script
        return script

    def _run(self, name: str, source: str, key: str, args: list[Any]) -> list[Any]:
        import redis

        try:
            result: list[Any] = self._script(name, source)(keys=[self._prefix + key], args=args)
        except redis.RedisError as exc:
            raise RateLimiterUnavailable(
                f"Redis rate limiter failed: {type(exc).__name__}"
            ) from exc
        return result

    def acquire(self, key: str, bucket: Bucket, cost: int = 1) -> Decision:
        allowed, tokens_text, retry_text = self._run(
            "bucket", _BUCKET_LUA, key, [repr(bucket.rate), bucket.burst, cost]
        )
        tokens = float(tokens_text)
        return Decision(
            allowed=bool(allowed),
            limit=bucket.burst,
            remaining=max(0, math.floor(tokens)),
            reset_s=(bucket.burst - tokens) / bucket.rate,
            retry_after_s=float(retry_text),
        )

    def consume_quota(self, key: str, limit: int, window_end: float, cost: int = 1) -> Decision:
        allowed, used = self._run("window", _WINDOW_LUA, key, [limit, cost, math.ceil(window_end)])
        return quota_decision(int(used), limit, self._clock(), window_end, allowed=bool(allowed))
