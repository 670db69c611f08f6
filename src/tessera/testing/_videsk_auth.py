"""Videsk API keys: JWTs the emulator signs, refused with feathers' bodies, and revocable."""

from __future__ import annotations

from typing import Final

import jwt
from aiohttp import web

from ._clock import Clock, js_timestamp
from ._errors import JsonObject
from ._feathers import feathers_error
from ._tokens import ExpiredToken, TokenMint
from ._videsk_catalog import object_id

INTEGRATION_ID: Final = object_id("integration", 0)


class VideskKeys:
    """Issues API keys and checks them the way Videsk's feathers JWT strategy does."""

    def __init__(self, clock: Clock) -> None:
        self._mint = TokenMint(clock)
        self._revoked: set[str] = set()

    def issue(self, expires_in: float | None) -> str:
        """A key for the account's integration; `expires_in` None gives one without exp."""
        return self._mint.issue({"sub": INTEGRATION_ID}, expires_in)

    def revoke(self, key: str) -> None:
        """Remove a key: it still decodes, but Videsk answers 403 to it from now on."""
        self._revoked.add(key)

    def authenticate(self, request: web.Request) -> None:
        scheme, _, key = request.headers.get("Authorization", "").partition(" ")
        key = key.strip()
        if scheme.lower() != "bearer" or not key:
            raise feathers_error(401, "Authorization header with valid JWT is required.")
        try:
            self._mint.read(key)
        except ExpiredToken as expired:
            # feathers passes jsonwebtoken's error along as the error's data.
            data: JsonObject = {
                "name": "TokenExpiredError",
                "message": "jwt expired",
                "expiredAt": js_timestamp(expired.expired_at),
            }
            raise feathers_error(401, "jwt expired", data=data) from None
        except jwt.InvalidSignatureError:
            raise feathers_error(401, "invalid signature") from None
        except jwt.InvalidTokenError:
            raise feathers_error(401, "jwt malformed") from None
        if key in self._revoked:
            raise feathers_error(403, "The integration token it's invalid or was removed.")
