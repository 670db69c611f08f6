"""ZapSign's ways in: a static api_token, and SimpleJWT password login with refresh-token rotation."""

from __future__ import annotations

import uuid
from typing import Final

import jwt
from aiohttp import web

from .._bearer import bearer_token
from .._clock import TimeFunction
from .._drf import field_errors, invalid, json_object
from .._errors import ErrorReply
from .._json import JsonObject
from .._ratelimit import RateLimit, Window
from .._secrets import remember
from .._tokens import ExpiredToken, TokenMint

USER_ID: Final = 1
_LOGIN_FIELDS: Final = {"username": str, "password": str}
# DRF sends this with every 401, which is how a client knows the scheme to use.
_CHALLENGE: Final = {"WWW-Authenticate": 'Bearer realm="api"'}


def _refused(body: JsonObject) -> ErrorReply:
    return ErrorReply(401, body, _CHALLENGE)


def _token_not_valid(message: str) -> ErrorReply:
    """SimpleJWT's answer to an access token it cannot use, `message` saying why."""
    check = {"token_class": "AccessToken", "token_type": "access", "message": message}
    return _refused(
        {"detail": "Given token not valid for any token type", "code": "token_not_valid", "messages": [check]}
    )


class ZapSignAuth:
    """Checks bearers and answers the login and refresh endpoints, counting what it issued."""

    def __init__(
        self,
        *,
        clock: TimeFunction,
        organization_id: str,
        username: str,
        password: str,
        access_seconds: float,
        refresh_seconds: float,
        rotate_refresh_tokens: bool,
        login_limit_per_minute: int | None,
    ) -> None:
        self.api_token = remember(str(uuid.uuid4()))
        self.logins = 0
        """Successful logins (token pairs issued)."""
        self.refreshes = 0
        """Successful refreshes."""
        self._mint = TokenMint(clock)
        self._account = (organization_id, username, remember(password))
        self._access_seconds = access_seconds
        self._refresh_seconds = refresh_seconds
        self._rotate = rotate_refresh_tokens
        # DRF's SimpleRateThrottle, which ZapSign's login runs behind, counts over a sliding minute.
        self._login_window = (
            None
            if login_limit_per_minute is None
            else RateLimit(login_limit_per_minute, 60, clock, window=Window.SLIDING)
        )
        self._blacklist: set[str] = set()
        """The jti of every refresh token spent by rotation."""

    def authenticate(self, request: web.Request) -> None:
        """Let in the api_token (header or ?api_token=) or a live access JWT; refuse with DRF's bodies."""
        token = bearer_token(request)
        if token is None:
            token = request.query.get("api_token", "")
        if not token:
            raise _refused({"detail": "Authentication credentials were not provided."})
        if token == self.api_token:
            return
        try:
            claims = self._mint.read(token)
        except ExpiredToken:
            raise _token_not_valid("Token is expired") from None
        except jwt.InvalidTokenError:
            raise _token_not_valid("Token is invalid") from None
        if claims.get("token_type") != "access":
            raise _token_not_valid("Token has wrong type")

    async def login(self, request: web.Request) -> web.Response:
        """POST /auth/token/{organization_id}/ {username, password} → {refresh, access}."""
        # DRF throttles before it reads the body, so a flood is refused whatever it sends.
        if self._login_window is not None and not self._login_window.hit().admitted:
            raise ErrorReply(400, {"message": "Rate limit exceeded"})
        body = await json_object(request)
        if errors := field_errors(body, _LOGIN_FIELDS, required=_LOGIN_FIELDS.keys()):
            raise invalid(errors)
        if (request.match_info["organization_id"], body["username"], body["password"]) != self._account:
            raise _refused({"detail": "No active account found with the given credentials"})
        self.logins += 1
        return web.json_response({"refresh": self._issue("refresh"), "access": self._issue("access")})

    async def refresh(self, request: web.Request) -> web.Response:
        """POST /auth/token-refresh/ {refresh} → {access}, plus a new refresh when rotation is on."""
        body = await json_object(request)
        if errors := field_errors(body, {"refresh": str}, required=("refresh",)):
            raise invalid(errors)
        spent = _refused({"detail": "Token is invalid or expired", "code": "token_not_valid"})
        try:
            claims = self._mint.read(str(body["refresh"]))
        except jwt.InvalidTokenError:
            raise spent from None
        if claims.get("token_type") != "refresh" or claims["jti"] in self._blacklist:
            raise spent
        self.refreshes += 1
        answer = {"access": self._issue("access")}
        if self._rotate:
            self._blacklist.add(claims["jti"])
            answer["refresh"] = self._issue("refresh")
        return web.json_response(answer)

    def _issue(self, token_type: str) -> str:
        lifetime = self._access_seconds if token_type == "access" else self._refresh_seconds
        return self._mint.issue({"token_type": token_type, "user_id": USER_ID}, lifetime)
