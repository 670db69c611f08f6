"""ZapSign: e-signatures (specs/zapsign.yaml).

```python
auth = zapsign.PasswordAuth(organization_id="123", username="dev@ejemplo.com", password="...")
async with zapsign.Client(auth=auth) as zs:               # or auth=zapsign.ApiTokenAuth("...")
    page = await zs.docs.list_docs(page=1)
```
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from ssl import SSLContext

import aiohttp
import attrs

from tessera._auth.exchange import AuthContext
from tessera._auth.flow import AuthFlow
from tessera._auth.password import PasswordCredential
from tessera._auth.secrets import Secret, required_secret
from tessera._auth.static import StaticKey
from tessera._runtime.arguments import DOT_SEGMENTS
from tessera._runtime.client import DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from tessera.clock import Clock
from tessera.errors import ConfigurationError
from tessera.stores import TokenStore
from tessera.zapsign import models, webhooks
from tessera.zapsign._endpoints import Api
from tessera.zapsign._profile import PROFILE

__all__ = ["ApiTokenAuth", "Client", "PasswordAuth", "models", "webhooks"]


def _api_token(value: object) -> Secret:
    return required_secret(value, "ZapSign api_token")


@attrs.frozen
class ApiTokenAuth:
    """The static `api_token` of ZapSign's Settings > Integrations > ZapSign API; sent as a bearer."""

    api_token: Secret = attrs.field(converter=_api_token)

    @property
    def scheme(self) -> str:
        return "ApiToken"

    def flow(self, context: AuthContext) -> AuthFlow:
        return StaticKey(self.scheme, self.api_token).flow(context)


def _password(value: object) -> Secret:
    return required_secret(value, "ZapSign password")


def _organization_id(value: object) -> str:
    organization_id = required_secret(value, "ZapSign organization_id").reveal()
    # A segment of the login route's path (/auth/token/{organization_id}/): a dot segment would post the
    # username and password to another route.
    if organization_id in DOT_SEGMENTS:
        raise ConfigurationError(
            "ZapSign organization_id must be the id under Settings > Integrations > ZapSign API, not '.' or '..'"
        )
    return organization_id


def _username(value: object) -> str:
    return required_secret(value, "ZapSign username").reveal()


@attrs.frozen
class PasswordAuth:
    """Password login per organization: access and refresh JWTs, renewed by tessera's token broker.

    `organization_id` is under Settings > Integrations > ZapSign API. Every Client built with the same
    three values in one process shares one login and one refresh at a time.
    """

    organization_id: str = attrs.field(converter=_organization_id)
    username: str = attrs.field(converter=_username)
    password: Secret = attrs.field(converter=_password)

    @property
    def scheme(self) -> str:
        return "PasswordLogin"

    def flow(self, context: AuthContext) -> AuthFlow:
        values: dict[str, str | Secret] = {
            "organization_id": self.organization_id,
            "username": self.username,
            "password": self.password,
        }
        return PasswordCredential(self.scheme, values).flow(context)


class Client(Api):
    """ZapSign's API; an async context manager. `base_url` defaults to production."""

    def __init__(
        self,
        *,
        auth: ApiTokenAuth | PasswordAuth,
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
        if not isinstance(auth, ApiTokenAuth | PasswordAuth):
            raise ConfigurationError(
                "auth must be zapsign.ApiTokenAuth(api_token) "
                "or zapsign.PasswordAuth(organization_id, username, password)"
            )
        super().__init__(
            PROFILE,
            credentials=[auth],
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
