"""The Biuwer emulator: basic users and their embed tokens, behind an API credential (all inferred)."""

from __future__ import annotations

import time
from collections.abc import Iterable

from aiohttp import web

from .._clock import TimeFunction
from .._server import Emulator, Route
from .auth import ApiTokens
from .store import Directory
from .users import BiuwerUsers


class BiuwerEmulator(Emulator):
    """Biuwer's users and user tokens as specs/biuwer.yaml infers them.

    `api_token` is the account's credential, valid for `api_token_seconds` (None: forever);
    `issue_api_token` makes more, `revoke_api_token` revokes one. `users` seeded users are there from
    the start. Minted user tokens are UUIDs valid from `from` until `to`; `token_valid` checks one.
    """

    vendor = "biuwer"

    def __init__(
        self,
        *,
        clock: TimeFunction = time.time,
        port: int = 0,
        api_token_seconds: float | None = None,
        users: int = 5,
    ) -> None:
        super().__init__(clock=clock, port=port)
        self.directory = Directory(clock)
        self.directory.seed(users)
        self._api_tokens = ApiTokens(clock, is_user_token=lambda token: self.directory.find_token(token) is not None)
        self.api_token = self._api_tokens.issue(api_token_seconds)
        self._users = BiuwerUsers(self.directory)

    @property
    def mints(self) -> int:
        """User tokens created through the API."""
        return self.directory.mints

    def token_valid(self, token: str) -> bool:
        """Whether a minted user token would open embedded content now, by the emulator's clock.

        The spec has no operation that checks a user token (the embed iframe carries it), so this is
        the check: a token of a deleted user, or a deleted token, is not valid either.
        """
        minted = self.directory.find_token(token)
        return minted is not None and minted.valid_at(self.clock())

    def issue_api_token(self, *, expires_in: float | None) -> str:
        """Another credential of the account, e.g. one that expires in a minute for tests of expiry."""
        return self._api_tokens.issue(expires_in)

    def revoke_api_token(self, token: str | None = None) -> None:
        """Revoke `token` (by default `api_token`): 403 token_revoked from now on."""
        self._api_tokens.revoke(self.api_token if token is None else token)

    def credentials(self) -> dict[str, str]:
        return {"api_token": self.api_token}

    def authenticate(self, request: web.Request) -> None:
        self._api_tokens.authenticate(request)

    def routes(self) -> Iterable[Route]:
        users = self._users
        return [
            Route("GET", "/users", users.list_users),
            Route("POST", "/users", users.create_user),
            Route("GET", "/users/{user_id}", users.get_user),
            Route("PUT", "/users/{user_id}", users.update_user),
            Route("DELETE", "/users/{user_id}", users.delete_user),
            Route("GET", "/users/{user_id}/auth-tokens", users.list_tokens),
            Route("POST", "/users/{user_id}/auth-tokens", users.create_token),
            Route("DELETE", "/users/{user_id}/auth-tokens/{token_id}", users.delete_token),
        ]
