"""Real JWTs for the emulators: HS256 under a secret of their own, with expiry on the emulator's clock."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Mapping
from typing import Any

import jwt

from ._clock import TimeFunction
from ._secrets import remember


class ExpiredToken(jwt.InvalidTokenError):
    """The signature is good but `exp` has passed on the emulator's clock."""

    def __init__(self, expired_at: int) -> None:
        super().__init__("Signature has expired")
        self.expired_at = expired_at


class TokenMint:
    """Issues and reads the JWTs of one emulator; a token from any other mint fails its signature check."""

    def __init__(self, clock: TimeFunction) -> None:
        self._clock = clock
        self._secret = secrets.token_urlsafe(32)

    def issue(self, claims: Mapping[str, object], lifetime: float | None) -> str:
        """A token carrying `claims` plus iat, jti and, unless `lifetime` is None, exp."""
        now = int(self._clock())
        payload: dict[str, object] = {**claims, "iat": now, "jti": uuid.uuid4().hex}
        if lifetime is not None:
            payload["exp"] = now + int(lifetime)
        return remember(jwt.encode(payload, self._secret, algorithm="HS256"))

    def read(self, token: str) -> dict[str, Any]:
        """The claims of a token this mint issued and that has not expired.

        Raises jwt.InvalidSignatureError for a token signed elsewhere, jwt.DecodeError for one that is not
        a JWT, and ExpiredToken once `exp` is reached: like SimpleJWT and jsonwebtoken, at its exp second.
        """
        claims: dict[str, Any] = jwt.decode(
            token,
            self._secret,
            algorithms=["HS256"],
            # pyjwt would check exp and iat against the real time; the emulator's clock is the only time here.
            options={"verify_exp": False, "verify_iat": False},
        )
        expires = claims.get("exp")
        if isinstance(expires, int) and expires <= self._clock():
            raise ExpiredToken(expires)
        return claims
