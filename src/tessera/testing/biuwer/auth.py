"""Biuwer's API credentials: opaque bearers that may expire or be revoked, refused with the spec's codes."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from aiohttp import web

from .._bearer import bearer_token
from .._clock import TimeFunction
from .._secrets import remember
from .errors import biuwer_error


class ApiTokens:
    """Issues the account's API credentials and checks the bearer of every request against them."""

    def __init__(self, clock: TimeFunction, is_user_token: Callable[[str], bool]) -> None:
        self._clock = clock
        self._is_user_token = is_user_token
        self._expires_at: dict[str, float | None] = {}
        self._revoked: set[str] = set()

    def issue(self, lifetime: float | None) -> str:
        """A new credential valid for `lifetime` seconds from now on the emulator's clock (None: forever)."""
        token = remember(secrets.token_urlsafe(32))
        self._expires_at[token] = None if lifetime is None else self._clock() + lifetime
        return token

    def revoke(self, token: str) -> None:
        """A revoked credential is refused with 403 token_revoked, not as unknown."""
        if token not in self._expires_at:
            raise KeyError("not an API token of this emulator")
        self._revoked.add(token)

    def authenticate(self, request: web.Request) -> None:
        token = bearer_token(request)
        if not token:
            raise biuwer_error(401, "token_missing", "Authentication required")
        if token not in self._expires_at:
            # A basic user's embed token is a real credential, but not one that may manage the account.
            if self._is_user_token(token):
                raise biuwer_error(403, "forbidden", "Forbidden")
            raise biuwer_error(401, "token_invalid", "Invalid token")
        if token in self._revoked:
            raise biuwer_error(403, "token_revoked", "Token revoked")
        expires_at = self._expires_at[token]
        if expires_at is not None and expires_at <= self._clock():
            raise biuwer_error(401, "token_expired", "Token expired")
