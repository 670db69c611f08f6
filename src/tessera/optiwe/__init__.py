"""Optiwe: omnichannel messaging (specs/optiwe.yaml)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from ssl import SSLContext

import aiohttp

from tessera._auth.secrets import required_secret
from tessera._auth.static import StaticKey
from tessera._runtime.client import DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from tessera.clock import Clock
from tessera.optiwe import models, webhooks
from tessera.optiwe._endpoints import Api
from tessera.optiwe._profile import PROFILE
from tessera.stores import TokenStore

__all__ = ["Client", "models", "webhooks"]


class Client(Api):
    """An async context manager; `token` is the workspace JWT from Optiwe's channels configuration page."""

    def __init__(
        self,
        *,
        token: str,
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
        super().__init__(
            PROFILE,
            credentials=[StaticKey("WorkspaceToken", required_secret(token, "optiwe token"))],
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
