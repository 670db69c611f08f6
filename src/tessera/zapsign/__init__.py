"""ZapSign: e-signatures (specs/zapsign.yaml).

```python
async with zapsign.Client(auth=zapsign.ApiTokenAuth("...")) as zs:
    page = await zs.docs.list_docs(page=1)
```
"""

from __future__ import annotations

import aiohttp
import attrs

from tessera._auth.flow import AuthFlow
from tessera._auth.secrets import Secret, required_secret
from tessera._auth.static import StaticKey
from tessera._runtime.client import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from tessera._runtime.profile import SecurityScheme, VendorProfile
from tessera.errors import ConfigurationError
from tessera.zapsign import models
from tessera.zapsign._endpoints import Api
from tessera.zapsign._profile import PROFILE

__all__ = ["ApiTokenAuth", "Client", "models"]


def _api_token(value: object) -> Secret:
    return required_secret(value, "ZapSign api_token")


@attrs.frozen
class ApiTokenAuth:
    """The static `api_token` of ZapSign's Settings > Integrations > ZapSign API; sent as a bearer."""

    api_token: Secret = attrs.field(converter=_api_token)

    @property
    def scheme(self) -> str:
        return "ApiToken"

    def flow(self, profile: VendorProfile, scheme: SecurityScheme) -> AuthFlow:
        return StaticKey(self.scheme, self.api_token).flow(profile, scheme)


class Client(Api):
    """ZapSign's API; an async context manager. `base_url` defaults to production."""

    def __init__(
        self,
        *,
        auth: ApiTokenAuth,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        session: aiohttp.ClientSession | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        if not isinstance(auth, ApiTokenAuth):
            raise ConfigurationError("auth must be zapsign.ApiTokenAuth(api_token)")
        super().__init__(
            PROFILE,
            credentials=[auth],
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            session=session,
            allow_insecure_http=allow_insecure_http,
        )
