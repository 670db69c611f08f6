"""Reading a JWT's expiry without verifying it."""

from __future__ import annotations

import jwt


def expiry(token: str) -> float | None:
    """The token's `exp` (epoch seconds), or None for an opaque token or one without `exp`.

    The signature is not verified, on purpose: the key that signed it is the vendor's and we never
    have it. The expiry only tells us when to stop using the token; the vendor still checks it.
    """
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.InvalidTokenError:
        return None
    exp = claims.get("exp")
    return float(exp) if isinstance(exp, int | float) and not isinstance(exp, bool) else None
