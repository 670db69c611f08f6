"""Optiwe workspace tokens: JWTs the emulator signs, refused the way a DRF JWT authentication refuses them."""

from __future__ import annotations

from typing import Final

import jwt
from aiohttp import web

from .._bearer import bearer_token
from .._clock import TimeFunction
from .._errors import ErrorReply
from .._tokens import ExpiredToken, TokenMint

WORKSPACE_ID: Final = 1
# DRF sends this with every 401, which is how a client knows the scheme to use.
_CHALLENGE: Final = {"WWW-Authenticate": 'Bearer realm="api"'}


def _refused(detail: str) -> ErrorReply:
    return ErrorReply(401, {"detail": detail}, _CHALLENGE)


class WorkspaceTokens:
    """Issues the workspace's JWTs and checks the bearer of every request (messages inferred)."""

    def __init__(self, clock: TimeFunction) -> None:
        self._mint = TokenMint(clock)

    def issue(self, expires_in: float | None) -> str:
        """A token of the workspace; `expires_in` None gives one without exp, like the dashboard's."""
        return self._mint.issue({"workspace_id": WORKSPACE_ID}, expires_in)

    def authenticate(self, request: web.Request) -> None:
        token = bearer_token(request)
        if not token:
            raise _refused("Authentication credentials were not provided.")
        # djangorestframework-jwt's messages: a bad signature is a decoding error to it too.
        try:
            self._mint.read(token)
        except ExpiredToken:
            raise _refused("Signature has expired.") from None
        except jwt.InvalidTokenError:
            raise _refused("Error decoding signature.") from None
