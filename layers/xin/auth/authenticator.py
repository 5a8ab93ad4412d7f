"""Turns request credentials into a ``Principal``.

``Authorization: Bearer <token>`` carries an API key (``xin_...``) or a JWT; ``X-API-Key``
carries an API key. Credentials that are sent are always checked, even where authentication
is optional (open development mode), so a bad key never passes silently.
"""

from __future__ import annotations

from collections.abc import Callable

from xin.auth.errors import Unauthenticated
from xin.auth.jwt import JwtVerifier, looks_like_jwt
from xin.auth.keys import ApiKeyService, looks_like_api_key
from xin.auth.principal import Principal


class Authenticator:
    def __init__(
        self,
        keys: Callable[[], ApiKeyService],
        jwt: JwtVerifier | None = None,
        *,
        required: bool = True,
    ) -> None:
        self._keys = keys  # built on first use: a JWT-only deployment never opens the store
        self._jwt = jwt
        self.required = required

    def authenticate(self, bearer: str | None, api_key: str | None) -> Principal | None:
        """The caller's principal; ``None`` when no credentials were sent at all."""
        if bearer and api_key:
            raise Unauthenticated("Send one credential: Authorization or X-API-Key, not both.")
        if api_key:
            return self._keys().verify(api_key.strip())
        if not bearer:
            return None
        token = bearer.strip()
        if looks_like_api_key(token):
            return self._keys().verify(token)
        if self._jwt is not None and looks_like_jwt(token):
            return self._jwt.verify(token)
        raise Unauthenticated()

    def principal(self, bearer: str | None, api_key: str | None) -> Principal:
        """Like ``authenticate``, but answers for the caller who sent nothing."""
        principal = self.authenticate(bearer, api_key)
        if principal is not None:
            return principal
        if self.required:
            raise Unauthenticated()
        return Principal.anonymous()
