"""Biuwer: embedded analytics (specs/biuwer.yaml)."""

from __future__ import annotations

import aiohttp

from tessera._auth.secrets import required_secret
from tessera._auth.static import StaticKey
from tessera._runtime.client import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from tessera.biuwer import models
from tessera.biuwer._endpoints import Api
from tessera.biuwer._profile import PROFILE
from tessera.clock import Clock

__all__ = ["Client", "models"]


class Client(Api):
    """An async context manager; `api_token` is the Biuwer API credential."""

    def __init__(
        self,
        *,
        api_token: str,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        session: aiohttp.ClientSession | None = None,
        allow_insecure_http: bool = False,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(
            PROFILE,
            credentials=[StaticKey("ApiToken", required_secret(api_token, "biuwer api_token"))],
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            session=session,
            allow_insecure_http=allow_insecure_http,
            clock=clock,
        )
