"""Biuwer: embedded analytics (specs/biuwer.yaml).

```python
async with biuwer.Client(api_token="...") as bw:
    users = await bw.users.list_users()
    token = await bw.user_token(users.data[0].id, policy="daily")   # minted once per user and day
    name = await bw.embed_name("SHARED-RESOURCE-TOKEN", users.data[0].id)   # the embed iframe's name
```
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from ssl import SSLContext

import aiohttp

from tessera._auth.minted import Policy, UserTokens
from tessera._auth.secrets import required_secret
from tessera._auth.static import StaticKey
from tessera._runtime.client import DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from tessera.biuwer import models
from tessera.biuwer._endpoints import Api
from tessera.biuwer._profile import PROFILE
from tessera.clock import Clock
from tessera.errors import ConfigurationError
from tessera.stores import TokenStore

__all__ = ["Client", "Policy", "models"]

_API_SCHEME = "ApiToken"
_USER_SCHEME = "UserToken"


class Client(Api):
    """An async context manager; `api_token` is the Biuwer API credential."""

    def __init__(
        self,
        *,
        api_token: str,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        session: aiohttp.ClientSession | None = None,
        allow_insecure_http: bool = False,
        clock: Clock | None = None,
        trace_configs: Sequence[aiohttp.TraceConfig] = (),
        store: TokenStore | None = None,
        default_headers: Mapping[str, str] | None = None,
        trust_env: bool = False,
        ssl: SSLContext | None = None,
    ) -> None:
        api_key = required_secret(api_token, "biuwer api_token")
        super().__init__(
            PROFILE,
            credentials=[StaticKey(_API_SCHEME, api_key)],
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            max_response_bytes=max_response_bytes,
            session=session,
            allow_insecure_http=allow_insecure_http,
            clock=clock,
            trace_configs=trace_configs,
            store=store,
            default_headers=default_headers,
            trust_env=trust_env,
            ssl=ssl,
        )
        self._user_tokens = UserTokens(self._auth_context(_USER_SCHEME), api_key, PROFILE.security_schemes[_API_SCHEME])

    async def user_token(self, user_id: str, *, policy: Policy = "daily") -> str:
        """A user's auth token under `policy`: one per user and period, minted once (single flight).

        `none` never expires; `monthly` and `daily` cover the calendar month or day (UTC) and are
        minted again in the next one; `single-use` is minted on every call.
        """
        with self._transport.carrying("biuwer user_token"):  # a closed client hands out no token
            return (await self._user_tokens.token(user_id, policy)).reveal()

    async def embed_name(self, shared_resource_token: str, user_id: str, *, policy: Policy = "daily") -> str:
        """The `name` of the embed iframe for a shared resource and a user: `SHARED_RESOURCE_TOKEN:USER_AUTH_TOKEN`.

        `<iframe name="{name}" src="https://INSTANCE.biuwer.com/share">`; the user token is minted (or
        reused) under `policy` as `user_token` does.
        """
        if not isinstance(shared_resource_token, str) or not shared_resource_token or ":" in shared_resource_token:
            raise ConfigurationError("shared_resource_token must be the shared resource's token (no ':')")
        return f"{shared_resource_token}:{await self.user_token(user_id, policy=policy)}"
