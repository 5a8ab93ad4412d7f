"""Authentication and authorisation errors (401, 403, 503) for the standard error envelope."""

from __future__ import annotations

from xin.errors import XinError


class Unauthenticated(XinError):  # named like the errors in xin.errors
    """No credentials, or credentials that do not check out. Never says which part failed."""

    code = "unauthorized"
    http_status = 401

    def __init__(self, message: str = "A valid API key or bearer token is required.") -> None:
        super().__init__(message)
        self.headers = {"WWW-Authenticate": 'Bearer realm="xin"'}


class Forbidden(XinError):
    """Authenticated, but not allowed to do this (missing role, another tenant)."""

    code = "forbidden"
    http_status = 403


class AuthUnavailable(XinError):
    """The key store or the JWKS endpoint could not answer."""

    code = "auth_unavailable"
    http_status = 503
