"""Fair use: token buckets per caller, per client IP and per tenant, and daily quotas.

The ``RateLimiter`` port (``ports.py``) has three backends under ``backends/``: in-memory
(one process), Redis (Kubernetes: one atomic Lua script per decision) and DynamoDB (Lambda:
conditional writes with optimistic concurrency). ``policy.py`` decides which buckets apply.
"""

from xin.ratelimit.errors import RateLimited, RateLimiterUnavailable
from xin.ratelimit.ports import Bucket, Decision, RateLimiter

__all__ = ["Bucket", "Decision", "RateLimited", "RateLimiter", "RateLimiterUnavailable"]
