"""What a configured credential (a strategy) gives the runtime: a flow that yields the bearer to send.

The requester asks the flow for a token before each attempt and tells it when the vendor refused
one; the flow decides whether a retry with another token makes sense. Strategies are what users
build (`zapsign.ApiTokenAuth(...)`); flows are what runs per request.
"""

from __future__ import annotations

from typing import Protocol

from tessera._auth.secrets import Secret
from tessera._runtime.profile import SecurityScheme, VendorProfile
from tessera.errors import AuthenticationError


class AuthFlow(Protocol):
    async def token(self) -> Secret:
        """The bearer to send now (refreshing first if that is due)."""
        ...

    async def rejected(self, token: Secret, error: AuthenticationError) -> bool:
        """The vendor refused `token`; True when a retry with a fresh token is worth one more attempt."""
        ...


class AuthStrategy(Protocol):
    @property
    def scheme(self) -> str:
        """The name of the spec's security scheme this credential is for."""
        ...

    def flow(self, profile: VendorProfile, scheme: SecurityScheme) -> AuthFlow: ...
