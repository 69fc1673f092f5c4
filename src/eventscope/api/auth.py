"""Writes need the operator's bearer token; with none configured the API is read-only."""

from __future__ import annotations

import hmac

from .errors import ApiError


def check_bearer(configured: str | None, authorization: str | None) -> None:
    """Raise ApiError unless ``authorization`` carries the configured token."""
    if not configured:
        raise ApiError(
            403, "this server is read-only: start it with EVENTSCOPE_TOKEN set to accept writes"
        )
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(
            401, "missing bearer token: send 'Authorization: Bearer <EVENTSCOPE_TOKEN>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not hmac.compare_digest(token.strip().encode(), configured.encode()):
        raise ApiError(403, "bearer token not accepted")
