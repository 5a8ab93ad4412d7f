"""Bearer JWTs from Cognito or any OIDC provider, checked against the provider's JWKS.

Signature (asymmetric algorithms only, the key chosen by ``kid`` from the JWKS, cached),
expiry, not-before, issuer and audience are all checked. The tenant and the roles come from
configurable claims (Cognito: ``custom:tenant`` and ``cognito:groups``). PyJWT is imported on
first use, so deployments without JWTs never load it.
"""

from __future__ import annotations

from typing import Any

from xin.auth.errors import AuthUnavailable, Forbidden, Unauthenticated
from xin.auth.principal import Principal, parse_roles
from xin.config.security import JwtSettings


def looks_like_jwt(token: str) -> bool:
    return token.count(".") == 2 and token.startswith("eyJ")


def _roles_from(value: Any) -> list[str]:
    if isinstance(value, str):
        return value.replace(",", " ").split()
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


class JwtVerifier:
    def __init__(self, settings: JwtSettings) -> None:
        if not (settings.jwks_url and settings.issuer and settings.audience):
            raise ValueError("JwtVerifier needs jwks_url, issuer and audience")
        self._settings = settings
        self._jwks: Any = None

    def _client(self) -> Any:
        if self._jwks is None:
            import jwt

            self._jwks = jwt.PyJWKClient(
                str(self._settings.jwks_url),
                cache_keys=True,
                lifespan=max(1, self._settings.jwks_cache_s),
                timeout=int(max(1, self._settings.timeout_s)),
            )
        return self._jwks

    def _claims(self, token: str) -> dict[str, Any]:
        import jwt

        settings = self._settings
        check_aud = settings.audience_claim == "aud"
        try:
            key = self._client().get_signing_key_from_jwt(token).key
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=list(settings.algorithms),
                audience=settings.audience if check_aud else None,
                issuer=settings.issuer,
                leeway=settings.leeway_s,
                options={"require": ["exp", "iss", "sub"], "verify_aud": check_aud},
            )
        except jwt.PyJWKClientConnectionError as exc:
            raise AuthUnavailable("The token issuer's keys could not be fetched.") from exc
        except (jwt.PyJWTError, jwt.PyJWKClientError, ValueError) as exc:
            raise Unauthenticated("The bearer token is not valid.") from exc
        if not check_aud and claims.get(settings.audience_claim) != settings.audience:
            raise Unauthenticated("The bearer token is not valid.")
        return claims

    def verify(self, token: str) -> Principal:
        claims = self._claims(token)
        tenant = claims.get(self._settings.tenant_claim)
        if not isinstance(tenant, str) or not tenant:
            raise Forbidden("The token names no tenant.")
        roles = parse_roles(_roles_from(claims.get(self._settings.roles_claim)))
        return Principal(f"jwt:{claims['sub']}", tenant, roles, "jwt")
