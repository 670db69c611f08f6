"""What every vendor's Client shares: configuration checks, the session's lifetime, the requester."""

from __future__ import annotations

import os
import ssl as ssl_module
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Self, overload

import aiohttp

from tessera._auth.exchange import AuthContext
from tessera._auth.flow import AuthFlow, AuthStrategy
from tessera._auth.store import MemoryStore, TokenStore
from tessera._runtime.conversion import Codec
from tessera._runtime.downloads import FileSink
from tessera._runtime.extras import default_headers as checked_default_headers
from tessera._runtime.extras import merged_headers, user_agent
from tessera._runtime.options import NOT_GIVEN, NotGiven
from tessera._runtime.profile import VendorProfile
from tessera._runtime.requester import Requester
from tessera._runtime.settings import checked_max_response_bytes, checked_max_retries, checked_timeout
from tessera._runtime.transport import Transport
from tessera._runtime.urls import checked_base_url, checked_link
from tessera.clock import Clock, SystemClock
from tessera.errors import ClientClosed, ConfigurationError, InvalidArgument

DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_RETRIES = 2
DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024
"""32 MiB, decompressed: a page of results is a few hundred kB; a body past this is refused, not read."""
SYSTEM_CLOCK = SystemClock()
PROCESS_STORE = MemoryStore()
"""The default store: every client of the process shares it (and so its brokers)."""


class BaseClient:
    """An async context manager; the generated `Api` subclass adds one attribute per spec tag."""

    def __init__(
        self,
        profile: VendorProfile,
        *,
        credentials: Sequence[AuthStrategy],
        base_url: str | None,
        timeout: float,
        max_retries: int,
        session: aiohttp.ClientSession | None,
        allow_insecure_http: bool,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        clock: Clock | None = None,
        trace_configs: Sequence[aiohttp.TraceConfig] = (),
        store: TokenStore | None = None,
        default_headers: Mapping[str, str] | None = None,
        trust_env: bool = False,
        ssl: ssl_module.SSLContext | None = None,
    ) -> None:
        """`default_headers`: sent with every request (see tessera/_runtime/extras.py for what wins).
        `trust_env`: proxies (HTTP_PROXY, HTTPS_PROXY, NO_PROXY, netrc) and CA files (SSL_CERT_FILE,
        SSL_CERT_DIR) from the environment; `ssl`: the TLS context of every connection. Neither goes with
        your own `session=`, which you configure yourself."""
        timeout = checked_timeout(timeout)
        max_retries = checked_max_retries(max_retries)
        max_response_bytes = checked_max_response_bytes(max_response_bytes)
        if session is not None and not isinstance(session, aiohttp.ClientSession):
            raise ConfigurationError("session must be an aiohttp.ClientSession")
        if clock is not None and not isinstance(clock, Clock):
            raise ConfigurationError("clock must have now() and an async sleep(), as tessera.clock.Clock says")
        self._profile = profile
        # None, not any falsy value, means production: an empty base_url (an unset variable) is refused.
        given_url = profile.base_url if base_url is None else base_url
        if given_url is None:
            raise ConfigurationError(
                f"{profile.vendor}'s spec names no absolute server URL: give the client its base_url"
            )
        self._base_url = checked_base_url(given_url, allow_insecure_http=allow_insecure_http)
        self._allow_insecure_http = allow_insecure_http
        if session is not None and trace_configs:
            raise ConfigurationError("trace_configs go on your own session: pass them to aiohttp.ClientSession")
        if not isinstance(trust_env, bool):
            raise ConfigurationError(f"trust_env must be True or False, not {type(trust_env).__name__}")
        if session is not None and trust_env:
            raise ConfigurationError("trust_env goes on your own session: pass it to aiohttp.ClientSession")
        if ssl is not None and not isinstance(ssl, ssl_module.SSLContext):
            raise ConfigurationError(f"ssl must be an ssl.SSLContext, not {type(ssl).__name__}")
        if session is not None and ssl is not None:
            raise ConfigurationError(
                "ssl goes on your own session: pass aiohttp.TCPConnector(ssl=...) as its connector"
            )
        if trust_env and ssl is None:
            # aiohttp's own context read the CA settings when aiohttp was imported; this one reads them now.
            ssl = ssl_module.create_default_context()
        headers = merged_headers(
            # Below your session's own User-Agent, which aiohttp sends unless a request names one.
            None if session is not None and "User-Agent" in session.headers else {"User-Agent": user_agent()},
            checked_default_headers(default_headers) if default_headers is not None else None,
        )
        if not isinstance(trace_configs, Sequence) or not all(
            isinstance(config, aiohttp.TraceConfig) for config in trace_configs
        ):
            raise ConfigurationError("trace_configs must be a list of aiohttp.TraceConfig")
        self._transport = Transport(
            session, max_response_bytes=max_response_bytes, trace_configs=trace_configs, trust_env=trust_env, ssl=ssl
        )
        self._clock = clock or SYSTEM_CLOCK
        self._timeout = float(timeout)
        if store is not None and not all(
            callable(getattr(store, method, None)) for method in ("load", "save", "acquire", "release")
        ):
            raise ConfigurationError("store must be a token store: tessera.stores.MemoryStore() or RedisStore(url)")
        self._store = store if store is not None else PROCESS_STORE
        self._flows: dict[str, AuthFlow] = {}
        self._requester = Requester(
            profile=profile,
            base_url=self._base_url,
            transport=self._transport,
            codec=_shared_codec(),
            flows=self._flows,
            timeout=float(timeout),
            max_retries=max_retries,
            clock=self._clock,
            default_headers=headers,
        )
        self._credentials = {credential.scheme: credential for credential in credentials}
        # After the requester, which the flows send their logins and refreshes through.
        self._flows.update(
            (credential.scheme, credential.flow(self._auth_context(credential.scheme))) for credential in credentials
        )
        self._bind_resources(self._requester)

    def _auth_context(self, scheme_name: str) -> AuthContext:
        scheme = self._profile.security_schemes.get(scheme_name)
        if scheme is None:
            raise ConfigurationError(f"{self._profile.vendor} has no security scheme {scheme_name!r}")
        return AuthContext(
            self._profile, scheme, self._base_url, self._requester, self._clock, self._timeout, self._store
        )

    def _bind_resources(self, requester: Requester) -> None:
        """Overridden by the generated `Api` class to attach one group of operations per tag."""

    @overload
    async def download(
        self,
        url: str,
        destination: None = None,
        *,
        timeout: float | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        max_response_bytes: int | NotGiven = NOT_GIVEN,
    ) -> bytes: ...

    @overload
    async def download(
        self,
        url: str,
        destination: str | os.PathLike[str],
        *,
        timeout: float | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> int: ...

    async def download(
        self,
        url: str,
        destination: str | os.PathLike[str] | None = None,
        *,
        timeout: float | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        max_response_bytes: int | NotGiven = NOT_GIVEN,
    ) -> bytes | int:
        """The file behind a link the vendor answered with (ZapSign's `signed_file`, a temporary S3 link).

        Without `destination`, its bytes, at most `max_response_bytes` of them; with one, the file is written
        there as it arrives (however large: the `timeout` covers it all) and the number of bytes is returned.
        The link is another party's URL: it gets none of the client's credentials, default headers or
        cookies, and must be https (plain http for a loopback host, or with `allow_insecure_http`).
        """
        link = checked_link(url, allow_insecure_http=self._allow_insecure_http, vendor=self._profile.vendor)
        if destination is None:
            response = await self._requester.fetch_link(
                link, sink=None, timeout=timeout, max_retries=max_retries, max_response_bytes=max_response_bytes
            )
            return response.body
        if max_response_bytes is not NOT_GIVEN:
            raise InvalidArgument(
                "max_response_bytes bounds a download into memory; one to a destination is not bounded",
                argument="max_response_bytes",
                vendor=self._profile.vendor,
                operation="download",
            )
        sink = FileSink(destination, vendor=self._profile.vendor, operation="download")
        await self._requester.fetch_link(
            link, sink=sink, timeout=timeout, max_retries=max_retries, max_response_bytes=NOT_GIVEN
        )
        return sink.written

    async def aclose(self) -> None:
        """Close the client for good; calling it again does nothing more.

        Nothing is sent from now on; calls in progress, in any event loop, end with ClientClosed; a
        renewal in flight in this loop finishes; then the sessions this client opened close (never one
        passed in): this loop's before returning, another running loop's there, as soon as it runs.
        """
        self._transport.stop()
        for flow in self._flows.values():
            await flow.aclose()
        await self._transport.aclose()

    async def __aenter__(self) -> Self:
        if self._transport.closed:
            raise ClientClosed("this client is closed, and a closed client stays closed: build a new one")
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()


_codec: Codec | None = None


def _shared_codec() -> Codec:
    """One codec for the process: its converters compile one function per model, worth keeping."""
    global _codec  # noqa: PLW0603 - a lazily built process-wide cache
    if _codec is None:
        _codec = Codec()
    return _codec
