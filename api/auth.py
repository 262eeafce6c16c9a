"""Lab access: bearer tokens checked against sha256 digests from the settings, in constant time."""

from __future__ import annotations

import hashlib
import hmac

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.context import AppContext, get_context
from graph.errors import AuthError

__all__ = ["token_digest", "is_lab_token", "require_lab", "bearer"]

#: declares the scheme in the OpenAPI description; the check itself is ``require_lab``
bearer = HTTPBearer(auto_error=False, description="A Mission Action Lab token.")


def token_digest(token: str) -> str:
    """The sha256 hex digest the settings store for a token (``MISSIONGRAPH_LAB_TOKEN_HASHES``)."""
    return hashlib.sha256(token.encode()).hexdigest()


def is_lab_token(token: str, digests: list[str]) -> bool:
    """True when ``token`` hashes to one of ``digests``; every digest is compared, in constant time."""
    candidate = token_digest(token)
    found = False
    for digest in digests:
        found |= hmac.compare_digest(candidate, digest.strip().lower())
    return found


def require_lab(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
    ctx: AppContext = Depends(get_context),
) -> str:
    """FastAPI dependency: the caller must present a Lab bearer token; returns the token's digest."""
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise AuthError("this resource needs a Mission Action Lab bearer token (Authorization: Bearer ...)")
    if not is_lab_token(credentials.credentials, ctx.settings.lab_token_hashes):
        raise AuthError("the bearer token is not valid")
    return token_digest(credentials.credentials)
