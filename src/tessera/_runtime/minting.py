"""Per-user tokens, for a spec with a `kind: minted` security scheme (Biuwer's embed tokens).

The generated Client of such a spec inherits this: `user_token()` mints (or reuses) a user's token
with the client's credential for the mint operation, under a policy (_auth/minted.py); `embed_name()`
is the name an embed iframe carries, `SHARED_RESOURCE_TOKEN:USER_TOKEN`. That format is the one piece
no OpenAPI data describes (it is read by the vendor's embed page, not by its API): it stays here,
for every vendor with a minted scheme alike.
"""

from __future__ import annotations

from typing import ClassVar

from tessera._auth.minted import MintLifecycle, Policy, UserTokens
from tessera._auth.strategies import KeyAuth
from tessera._runtime.client import BaseClient
from tessera._runtime.profile import ProfileError
from tessera.errors import ConfigurationError


class MintingClient(BaseClient):
    """A client that also mints per-user tokens; the generated subclass names the minted scheme."""

    minted_scheme: ClassVar[str]
    _user_tokens: UserTokens | None = None

    async def user_token(self, user_id: str, *, policy: Policy = "daily") -> str:
        """A user's auth token under `policy`: one per user and period, minted once (single flight).

        `none` never expires; `monthly` and `daily` cover the calendar month or day (UTC) and are
        minted again in the next one; `single-use` is minted on every call.
        """
        vendor = self._profile.vendor
        with self._transport.carrying(f"{vendor} user_token"):  # a closed client hands out no token
            return (await self._minter().token(user_id, policy)).reveal()

    async def embed_name(self, shared_resource_token: str, user_id: str, *, policy: Policy = "daily") -> str:
        """The `name` of the embed iframe for a shared resource and a user: `SHARED_RESOURCE_TOKEN:USER_AUTH_TOKEN`.

        `<iframe name="{name}" src="https://INSTANCE.biuwer.com/share">`; the user token is minted (or
        reused) under `policy` as `user_token` does.
        """
        if not isinstance(shared_resource_token, str) or not shared_resource_token or ":" in shared_resource_token:
            raise ConfigurationError("shared_resource_token must be the shared resource's token (no ':')")
        return f"{shared_resource_token}:{await self.user_token(user_id, policy=policy)}"

    def _minter(self) -> UserTokens:
        """The client's minter, made at the first call: with the key this client has for the mint operation."""
        if self._user_tokens is None:
            context = self._auth_context(self.minted_scheme)
            try:
                operation = self._profile.operations[MintLifecycle.of(context.scheme).operation]
            except ProfileError as error:
                raise ConfigurationError(f"{self._profile.vendor} spec: {error}") from None
            for name in operation.security:
                credential = self._credentials.get(name)
                if isinstance(credential, KeyAuth):
                    scheme = self._profile.security_schemes[name]
                    self._user_tokens = UserTokens(context, credential.key, scheme)
                    break
            else:
                raise ConfigurationError(
                    f"user tokens are minted with the credential of {', '.join(operation.security)}: "
                    "this client was built without it"
                )
        return self._user_tokens
