"""A key the user gives and tessera sends as is: Videsk API key, Optiwe workspace token, ZapSign api_token,
or an HTTP basic user and password."""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from typing import Final

import attrs

from tessera._auth import jwt
from tessera._auth.exchange import AuthContext
from tessera._auth.rejection import Rejection
from tessera._auth.secrets import Secret
from tessera._runtime.profile import SecurityScheme
from tessera.clock import Clock
from tessera.errors import AuthenticationError, ConfigurationError, TokenExpired

_NOT_IN_A_COOKIE: Final = re.compile(r'[\s",;\\]')


@attrs.frozen
class StaticKey:
    """A static bearer for the security scheme `scheme`."""

    scheme: str
    key: Secret

    def flow(self, context: AuthContext) -> _StaticFlow:
        if context.scheme.placement == "cookie" and _NOT_IN_A_COOKIE.search(self.key.reveal()):
            # RFC 6265's cookie-octets: the value would be cut, or read as another cookie, on the way.
            raise ConfigurationError(
                f"the {self.scheme} key goes in a cookie and holds a character no cookie carries"
                " (a space, '\"', ',', ';' or '\\')"
            )
        # A basic pair is no JWT; a bearer or an apiKey may be one, unless the spec says it never is.
        checks_expiry = context.scheme.kind != "basic" and context.scheme.auth.get("jwt", "maybe") != "never"
        expires_at = jwt.expiry(self.key.reveal()) if checks_expiry else None
        return _StaticFlow(self.key, context.profile.vendor, context.scheme, expires_at, context.clock)


def basic_key(username: Secret, password: Secret) -> Secret:
    """HTTP basic's credential (RFC 7617): `username:password` in base64; a username with ':' is refused."""
    if ":" in username.reveal():
        raise ConfigurationError("an HTTP basic username cannot contain ':' (it separates the password)")
    pair = f"{username.reveal()}:{password.reveal()}"
    return Secret(base64.b64encode(pair.encode()).decode("ascii"))


class _StaticFlow:
    """The authorization of every call with a static key: refused, it has no replacement to try."""

    __slots__ = ("_clock", "_expires_at", "_key", "_scheme", "_vendor")

    def __init__(
        self, key: Secret, vendor: str, scheme: SecurityScheme, expires_at: float | None, clock: Clock
    ) -> None:
        self._key = key
        self._vendor = vendor
        self._scheme = scheme
        self._expires_at = expires_at
        self._clock = clock

    async def token(self, *, within: float | None = None) -> Secret:
        if self._expires_at is not None and self._clock.now() >= self._expires_at:
            # A key past its own exp would only earn a 401: say so without spending a request.
            raise TokenExpired(
                f"the {self._scheme.name} key expired at {self._expires_at:.0f} (epoch seconds); issue a new one",
                status=401,
                vendor=self._vendor,
            )
        return self._key

    def headers(self, token: Secret) -> Mapping[str, str]:
        return self._scheme.headers(token.reveal())

    def query(self, token: Secret) -> list[tuple[str, str]]:
        return self._scheme.query(token.reveal())

    async def refused(self, token: Secret, error: AuthenticationError) -> None:
        return None  # raised: a static key has no replacement to try

    async def rejected(self, token: Secret, error: AuthenticationError, *, may_renew: bool) -> Rejection:
        return Rejection.FINAL

    async def aclose(self) -> None:
        """Nothing runs in the background for a static key."""
