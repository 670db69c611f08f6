"""Reading a JWT's timing claims without verifying it."""

from __future__ import annotations

from typing import TypeGuard

import jwt


def timing(token: str) -> tuple[float, float | None] | None:
    """(`exp`, `iat` or None) in epoch seconds, or None for an opaque token or one without `exp`.

    The signature is not verified, on purpose: the key that signed it is the vendor's and we never
    have it. The claims only tell us when to stop using the token; the vendor still checks it.
    """
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.InvalidTokenError:
        return None
    exp: object = claims.get("exp")
    iat: object = claims.get("iat")
    if not _number(exp):
        return None
    return float(exp), float(iat) if _number(iat) else None


def expiry(token: str) -> float | None:
    """The token's `exp`, or None."""
    claims = timing(token)
    return claims[0] if claims is not None else None


def _number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)
