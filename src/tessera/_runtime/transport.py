"""One HTTP exchange over aiohttp, with aiohttp's exceptions turned into tessera's."""

from __future__ import annotations

import contextlib
import functools
import io
import json
import re
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from ssl import SSLContext

import aiohttp
import attrs
from aiohttp import hdrs
from aiohttp import payload as aiohttp_payload
from yarl import URL

from tessera._runtime.bodies import read_bounded
from tessera._runtime.sessions import Carried, LoopSessions
from tessera._runtime.uploads import Payload
from tessera.errors import RequestTimeout, TransportError

_JSON = "application/json"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_MAX_REDIRECTS = 10

Sink = Callable[[aiohttp.StreamReader], Awaitable[None]]
"""Takes a success answer's body as it streams in (downloads.FileSink), instead of its being read whole."""


@attrs.frozen
class RawResponse:
    status: int
    headers: Mapping[str, str]
    body: bytes
    method: str
    """The request's method, and its URL: those of the last hop, after redirects."""
    url: URL


class Transport:
    """Sends requests on the caller's session, or on its own, one per event loop (see sessions.py)."""

    __slots__ = ("_max_response_bytes", "_sessions")

    def __init__(
        self,
        session: aiohttp.ClientSession | None,
        *,
        max_response_bytes: int,
        trace_configs: Sequence[aiohttp.TraceConfig] = (),
        trust_env: bool = False,
        ssl: SSLContext | None = None,
    ) -> None:
        self._max_response_bytes = max_response_bytes
        self._sessions = LoopSessions(session, trace_configs, trust_env=trust_env, ssl=ssl)

    @property
    def closed(self) -> bool:
        """Whether closing began: from then on nothing is sent."""
        return self._sessions.closed

    def carrying(self, describe: str) -> Carried:
        """A call in progress, for the time of a `with`: it ends with ClientClosed if the client closes."""
        return Carried(self._sessions.here(describe), describe)

    def slot(self) -> AbstractAsyncContextManager[object]:
        """A place among the connections the running loop's session may hold at once.

        Requests wait here, before they take their token, instead of in aiohttp's connection queue
        after: under load a request can queue for longer than a short-lived token lives, and would
        then reach the vendor with a token that expired on the way.
        """
        return self._sessions.in_loop().slot()

    def busy(self) -> bool:
        """Whether a request would wait for a slot now."""
        return self._sessions.in_loop().busy()

    async def send(
        self,
        method: str,
        url: str | URL,
        *,
        params: list[tuple[str, str]],
        json_body: object,
        headers: Mapping[str, str],
        timeout: float,
        describe: str,
        max_response_bytes: int | None = None,
        payload: Payload | None = None,
        sink: Sink | None = None,
        credential_query: Sequence[tuple[str, str]] = (),
        send_cookies: bool = True,
    ) -> RawResponse:
        """`describe` names the request in errors (method and path template: never a header or a query).

        The body, decompressed, may be `max_response_bytes` long (None: the client's limit, which
        logins and refreshes use too); past that, ResponseTooLarge. With a `sink`, a success answer's
        body goes to it instead, unbounded (the RawResponse then has an empty body); the timeout
        still covers it.

        `payload`: a body other than JSON (uploads.py), in place of `json_body`.

        `headers` hold the request's credentials: redirects are followed here, not by aiohttp, which
        would carry an apiKey header (X-API-Token, ...) and a 307's body (a password, a refresh token)
        to whatever host the redirect names. A redirect to another origin goes without our headers,
        and is not followed at all when it would carry the body. `credential_query`: an apiKey's query
        pair, after `params`; it goes where the headers go, so along a redirect to the same origin only.
        `send_cookies`: False leaves out the session's cookies (a file link: another party's URL).
        """
        session = self._sessions.here(describe).session
        limit = self._max_response_bytes if max_response_bytes is None else max_response_bytes
        deadline = time.monotonic() + timeout
        target: str | URL = url
        sent: Payload | None = payload if payload is not None or json_body is None else _json_payload(json_body)
        params = [*params, *credential_query]
        try:
            for _ in range(_MAX_REDIRECTS + 1):
                with sent.open() if sent is not None else contextlib.nullcontext() as data:
                    async with session.request(
                        method,
                        target,
                        params=params or None,  # aiohttp rebuilds the URL for any params, even an empty list
                        data=data,
                        headers=headers,
                        timeout=_client_timeout(timeout) if target is url else _remaining(deadline, describe, timeout),
                        allow_redirects=False,
                        middlewares=_middlewares(session, send_cookies=send_cookies),
                    ) as response:
                        location = response.headers.get("Location") if response.status in _REDIRECTS else None
                        if location is None:
                            # An error's body is read (and mapped) as any other's, never handed to the sink.
                            if sink is not None and response.status < 400:
                                await sink(response.content)
                                return RawResponse(response.status, response.headers, b"", method, response.url)
                            body = await read_bounded(response, limit, describe)
                            return RawResponse(response.status, response.headers, body, method, response.url)
                        here = response.url
                method, target, sent, headers = _redirected(
                    response.status, method, here, location, body=sent, headers=headers, describe=describe
                )
                # The Location carries its own query; the credential's stays with its origin, as the headers do.
                params = list(credential_query) if target.origin() == here.origin() else []
        except TimeoutError as exc:
            raise RequestTimeout(f"{describe}: no complete answer within {timeout:g} s") from exc
        except aiohttp.ClientError as exc:
            failure = exc.failure if isinstance(exc, _NotResent) else exc
            raise TransportError(f"{describe}: {_reason(failure)}") from failure
        raise TransportError(f"{describe}: more than {_MAX_REDIRECTS} redirects")

    def stop(self) -> None:
        """Nothing is sent from now on; the calls in progress, in every loop, end with ClientClosed."""
        self._sessions.stop()

    async def aclose(self) -> None:
        """Stop, and close the sessions this transport opened (never one passed in)."""
        await self._sessions.aclose()


def _json_payload(data: object) -> Payload:
    """A JSON body, written once (as aiohttp's `json=` writes it) and sent from memory on each attempt.

    Past aiohttp's mark for a large body (1 MiB: a file in base64, say) it is sent from a BytesIO, a chunk at a
    time, as aiohttp asks (it warns that raw bytes that large may hold up the event loop).
    """
    encoded = json.dumps(data).encode()

    @contextlib.contextmanager
    def opened() -> Iterator[object]:
        if len(encoded) > aiohttp_payload.TOO_LARGE_BYTES_BODY:
            yield aiohttp_payload.BytesIOPayload(io.BytesIO(encoded), content_type=_JSON)
        else:
            yield aiohttp_payload.BytesPayload(encoded, content_type=_JSON)

    return Payload(opened)


class _NotResent(aiohttp.ClientConnectionError):
    """A failure that aiohttp would answer by sending the request again, silently; carried past it instead."""

    def __init__(self, failure: aiohttp.ClientError) -> None:
        super().__init__(failure)
        self.failure = failure


async def _sent_once(request: aiohttp.ClientRequest, handler: aiohttp.ClientHandlerType) -> aiohttp.ClientResponse:
    """Sends a request once: tessera's retry loop alone decides what is sent again, within `max_retries`.

    aiohttp resends a GET, PUT, DELETE (...) once more when its connection fails before the answer
    (a kept-alive connection the server closed, a reset), for the `ClientOSError` and
    `ServerDisconnectedError` it catches; a `max_retries=1` call then reached the server 4 times.
    This middleware turns those into an error aiohttp does not resend.
    """
    try:
        return await handler(request)
    except (aiohttp.ClientOSError, aiohttp.ServerDisconnectedError) as exc:
        raise _NotResent(exc) from exc


async def _without_cookies(
    request: aiohttp.ClientRequest, handler: aiohttp.ClientHandlerType
) -> aiohttp.ClientResponse:
    """Sends a request without the Cookie header aiohttp wrote from the session's cookie jar: the jar holds
    what the vendor's API set, which a link to a file (on whatever host) must not carry."""
    request.headers.popall(hdrs.COOKIE, None)
    return await handler(request)


_OURS_ONLY: tuple[aiohttp.ClientMiddlewareType, ...] = (_sent_once,)


def _middlewares(
    session: aiohttp.ClientSession, *, send_cookies: bool = True
) -> tuple[aiohttp.ClientMiddlewareType, ...]:
    """Ours around the session's own: a request's `middlewares=` replaces the session's (a caller's
    session may have some), and aiohttp has no public getter for them."""
    own = session._middlewares
    ours = _OURS_ONLY if send_cookies else (_sent_once, _without_cookies)
    return (*ours, *own) if own else ours


_URL = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?:[^\s/?#'\"<>]*@)?(?P<host>[^\s/?#'\"<>@]*)[^\s'\"<>]*")
"""A URL in a message: its scheme, then userinfo (dropped), host and port (kept), then path, query, fragment."""


def _reason(failure: aiohttp.ClientError) -> str:
    """aiohttp's reason for a failure, with every URL in it cut to its origin.

    aiohttp's messages can hold the request's URL, whose path and query carry the caller's values
    (an id, an e-mail address; a key, where an API takes one in the query) and whose userinfo a
    password: none of it may reach a message, which names the path template instead. Credentials
    in a URL (an apiKey in the query) go with the rest of the query.
    """
    text = failure.message if isinstance(failure, aiohttp.ClientResponseError) else str(failure)
    text = _URL.sub(r"\g<scheme>\g<host>", text)
    name = type(failure).__name__
    return f"{name}: {text}" if text else name


def _redirected(
    status: int,
    method: str,
    here: URL,
    location: str,
    *,
    body: Payload | None,
    headers: Mapping[str, str],
    describe: str,
) -> tuple[str, URL, Payload | None, Mapping[str, str]]:
    """The request to send after a redirect answer, as browsers and aiohttp send it, minus what must not leave.

    `body`: None for none."""
    try:
        target = here.join(URL(location))
        origin = target.origin()
    except ValueError:
        raise TransportError(f"{describe}: redirected ({status}) to a location that is not a URL") from None
    if target.scheme not in ("http", "https"):
        raise TransportError(f"{describe}: redirected ({status}) to a {target.scheme} URL; not followed")
    if (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST"):
        method, body = "GET", None
    if origin != here.origin():
        if body is not None:
            raise TransportError(
                f"{describe}: redirected ({status}) to another host ({origin}); not followed, "
                "as the request body would go with it: check the client's base_url"
            )
        # Credentials, and a call's extra_headers and the client's default_headers (which may hold a key
        # of their own): none of them goes to another host.
        headers = {}
    return method, target, body, headers


def _remaining(deadline: float, describe: str, timeout: float) -> aiohttp.ClientTimeout:
    """What is left of the call's timeout for the next hop of a redirect."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise RequestTimeout(f"{describe}: no complete answer within {timeout:g} s")
    return aiohttp.ClientTimeout(total=left)


@functools.lru_cache(maxsize=64)
def _client_timeout(seconds: float) -> aiohttp.ClientTimeout:
    """One ClientTimeout per distinct timeout: clients and calls reuse a handful of values."""
    return aiohttp.ClientTimeout(total=seconds)
