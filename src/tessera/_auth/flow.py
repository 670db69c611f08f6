"""What a configured credential (a strategy) gives the runtime: a flow, which authorizes each call.

A flow is an `Authorization`, as httpx's `Auth` is for its `auth_flow`: it gives each attempt's token
and the headers that carry it and, given the vendor's refusal of a token (the mapped
AuthenticationError), says whether to send again by returning the authorization to send with (which
keeps the count: a stale token retried a few times, one renewal per call) or None to raise. Plain
objects, not a generator: the valid-token path allocates nothing, and stays one await of the
broker's own coroutine. Strategies are what users build (`zapsign.PasswordAuth(...)`); flows are
what runs per request.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Protocol

from tessera._auth.broker import TokenBroker
from tessera._auth.exchange import AuthContext
from tessera._auth.registry import release
from tessera._auth.rejection import Rejection
from tessera._auth.secrets import Secret
from tessera._auth.shared import TokenSource
from tessera._runtime.profile import SecurityScheme
from tessera.errors import AuthenticationError

_STALE_RETRIES = 3
"""A request may wait long enough in a busy pool for its token to be replaced; this often, retry."""


class Authorization(Protocol):
    """How a call's attempts are authorized, from its first attempt on."""

    def token(self, *, within: float | None = None) -> Awaitable[Secret]:
        """The bearer to send now (renewing first if that is due).

        `within`: seconds to wait for a renewal at most; past them TimeoutError, and the renewal goes on.
        """
        ...

    def headers(self, token: Secret) -> Mapping[str, str]:
        """The request headers that carry `token`."""
        ...

    def query(self, token: Secret) -> list[tuple[str, str]]:
        """The query pairs that carry `token` (an apiKey in the query); mostly none."""
        ...

    async def refused(self, token: Secret, error: AuthenticationError) -> Authorization | None:
        """The vendor refused `token`: the authorization to send the call again with, or None to raise `error`."""
        ...


class AuthFlow(Authorization, Protocol):
    """A credential's flow in one client: the authorization of every call's first attempt."""

    async def rejected(self, token: Secret, error: AuthenticationError, *, may_renew: bool) -> Rejection:
        """The vendor refused `token`: whether, and why, another attempt makes sense.

        `may_renew` is False once the call has been sent again after a renewal: a refusal of the
        current token is then final, and starts no second renewal.
        """
        ...

    async def aclose(self) -> None:
        """The client is closing: finish what this flow started."""
        ...


class AuthStrategy(Protocol):
    @property
    def scheme(self) -> str:
        """The name of the spec's security scheme this credential is for."""
        ...

    def flow(self, context: AuthContext) -> AuthFlow: ...


class BrokeredFlow:
    """A flow over the process-wide broker of one credential, renewing through this client's source.

    It holds the broker from the client's construction to its `aclose()` (registry.py); a flow used
    after that takes the credential's broker again.
    """

    __slots__ = ("_broker", "_lease", "_scheme", "_source")

    def __init__(self, lease: Callable[[], TokenBroker], source: TokenSource, scheme: SecurityScheme) -> None:
        self._lease = lease
        self._broker: TokenBroker | None = lease()
        self._source = source
        self._scheme = scheme

    def token(self, *, within: float | None = None) -> Coroutine[object, object, Secret]:
        # The broker's own coroutine, not one awaiting it: a frame less for each of 10,000 waiters to resume.
        return (self._broker or self._lease_again()).token(self._source, within=within)

    def headers(self, token: Secret) -> Mapping[str, str]:
        return self._scheme.headers(token.reveal())

    def query(self, token: Secret) -> list[tuple[str, str]]:
        return self._scheme.query(token.reveal())

    async def refused(self, token: Secret, error: AuthenticationError) -> Authorization | None:
        return await _Retries(self).refused(token, error)

    async def rejected(self, token: Secret, error: AuthenticationError, *, may_renew: bool) -> Rejection:
        return (self._broker or self._lease_again()).rejected(token, self._source, may_renew=may_renew)

    async def aclose(self) -> None:
        broker, self._broker = self._broker, None
        if broker is not None:
            await broker.drain()
            release(broker)

    def _lease_again(self) -> TokenBroker:
        broker = self._broker = self._lease()
        return broker


class _Retries:
    """A call sent again after a refusal: the flow's authorization, with the count of what it was granted."""

    __slots__ = ("_flow", "_renewed", "_stale")

    def __init__(self, flow: AuthFlow) -> None:
        self._flow = flow
        self._stale = 0
        self._renewed = False

    def token(self, *, within: float | None = None) -> Awaitable[Secret]:
        return self._flow.token(within=within)

    def headers(self, token: Secret) -> Mapping[str, str]:
        return self._flow.headers(token)

    def query(self, token: Secret) -> list[tuple[str, str]]:
        return self._flow.query(token)

    async def refused(self, token: Secret, error: AuthenticationError) -> Authorization | None:
        rejection = await self._flow.rejected(token, error, may_renew=not self._renewed)
        if rejection is Rejection.STALE and self._stale < _STALE_RETRIES:
            self._stale += 1
            return self
        if rejection is Rejection.RENEWING:
            self._renewed = True  # one retry with the renewed token; a second refusal is final
            return self
        return None
