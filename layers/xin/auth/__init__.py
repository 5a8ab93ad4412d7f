"""Who is calling: API keys (stored hashed), optional OIDC/Cognito JWTs, and principals.

A ``Principal`` carries a tenant and roles; the API turns it into 401/403 decisions and the
tenant every store query is scoped to. See docs/adr/0008-api-keys-tenants-rate-limits.md.
"""

from xin.auth.errors import AuthUnavailable, Forbidden, Unauthenticated
from xin.auth.principal import ALL_TENANTS, Principal, Role

__all__ = ["ALL_TENANTS", "AuthUnavailable", "Forbidden", "Principal", "Role", "Unauthenticated"]
