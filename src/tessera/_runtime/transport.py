"""One HTTP exchange over aiohttp, with aiohttp's exceptions turned into tessera's."""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager

import aiohttp
import attrs

from tessera.errors import RequestTimeout, TransportError


@attrs.frozen
class RawResponse:
    status: int
    headers: Mapping[str, str]
    body: bytes


class Transport:
    """Sends requests on the caller's session, or on one of its own that it opens lazily and closes."""

    __slots__ = ("_owns_session", "_session", "_slots", "_trace_configs")

    def __init__(
        self, session: aiohttp.ClientSession | None, *, trace_configs: Sequence[aiohttp.TraceConfig] = ()
    ) -> None:
        self._session = session
        self._owns_session = session is None
        self._slots: asyncio.Semaphore | None = None
        self._trace_configs = list(trace_configs)

    def _current_session(self) -> aiohttp.ClientSession:
        if self._session is None or (self._owns_session and self._session.closed):
            # Opened on first use, inside the running loop, so building a client never needs one.
            self._session = aiohttp.ClientSession(trace_configs=self._trace_configs or None)
        return self._session

    def slot(self) -> AbstractAsyncContextManager[object]:
        """A place among the connections the session may hold at once.

        Requests wait here, before they take their token, instead of in aiohttp's connection queue
        after: under load a request can queue for longer than a short-lived token lives, and would
        then reach the vendor with a token that expired on the way.
        """
        if self._slots is None:
            connector = self._current_session().connector
            limit = connector.limit if connector is not None else 0
            if not limit:
                return contextlib.nullcontext()
            self._slots = asyncio.Semaphore(limit)
        return self._slots

    async def send(
        self,
        method: str,
        url: str,
        *,
        params: list[tuple[str, str]],
        json_body: object,
        headers: Mapping[str, str],
        timeout: float,
        describe: str,
    ) -> RawResponse:
        """`describe` names the request in errors (method and path template: never a header or a query)."""
        session = self._current_session()
        try:
            async with session.request(
                method,
                url,
                params=params or None,  # aiohttp rebuilds the URL for any params, even an empty list
                json=json_body,
                headers=headers,
                timeout=_client_timeout(timeout),
            ) as response:
                body = await response.read()
                return RawResponse(response.status, response.headers, body)
        except TimeoutError as exc:
            raise RequestTimeout(f"{describe}: no complete answer within {timeout:g} s") from exc
        except aiohttp.ClientError as exc:
            raise TransportError(f"{describe}: {type(exc).__name__}") from exc

    async def aclose(self) -> None:
        if self._owns_session and self._session is not None:
            await self._session.close()


@functools.lru_cache(maxsize=64)
def _client_timeout(seconds: float) -> aiohttp.ClientTimeout:
    """One ClientTimeout per distinct timeout: clients and calls reuse a handful of values."""
    return aiohttp.ClientTimeout(total=seconds)
