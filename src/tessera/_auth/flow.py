"""What a configured credential (a strategy) gives the runtime: a flow that yields the bearer to send.

The requester asks the flow for a token before each attempt and tells it when the vendor refused
one; the flow decides whether a retry with another token makes sense. Strategies are what users
build (`zapsign.PasswordAuth(...)`); flows are what runs per request.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Protocol

from tessera._auth.broker import TokenBroker
from tessera._auth.exchange import AuthContext
from tessera._auth.registry import release
from tessera._auth.rejection import Rejection
from tessera._auth.secrets import Secret
from tessera._auth.shared import TokenSource
from tessera.errors import AuthenticationError


class AuthFlow(Protocol):
    async def token(self, *, within: float | None = None) -> Secret:
        """The bearer to send now (renewing first if that is due).

        `within`: seconds to wait for a renewal at most; past them TimeoutError, and the renewal goes on.
        """
        ...

    async def rejected(self, token: Secret, error: AuthenticationError, *, may_renew: bool) -> Rejection:
        """The vendor refused `token`: whether, and why, another attempt makes sense.

        `may_renew` is False once the request has been retried after a renewal: a refusal of the
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

    __slots__ = ("_broker", "_lease", "_source")

    def __init__(self, lease: Callable[[], TokenBroker], source: TokenSource) -> None:
        self._lease = lease
        self._broker: TokenBroker | None = lease()
        self._source = source

    def token(self, *, within: float | None = None) -> Coroutine[object, object, Secret]:
        # The broker's own coroutine, not one awaiting it: a frame less for each of 10,000 waiters to resume.
        return (self._broker or self._lease_again()).token(self._source, within=within)

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
