"""Faults a test injects into an emulator's routes: answers a real network or vendor gives on a bad day.

    emu.faults.add("GET /docs/", Fault.reply(503), times=2)   # the next two GET /docs/ get a 503
    emu.faults.add("GET /docs/", Fault.delay(0.5))            # the next one answers half a second late

Faults are consumed in order per route key (the same "METHOD /template" keys as `emu.counts`), before
authentication, so they apply to logins and refreshes too. A route with none queued behaves normally.

The kinds, and what a client sees:

| constructor                      | on the wire                                                         |
|----------------------------------|---------------------------------------------------------------------|
| `reply(status, body)`            | that answer instead of the route's (a 5xx burst: `times=n`)         |
| `html(status)`                   | a proxy's HTML error page, `text/html`                              |
| `delay(seconds)`                 | the route's answer, `seconds` of real time late (it runs even if    |
|                                  | the client gave up: the request is read before the wait)            |
| `reset()`                        | the connection closed before any answer                             |
| `truncate(keep)`                 | the route's answer with its body cut, as a complete response        |
| `truncate(keep, drop=True)`      | the headers announce the whole body; part of it, then the close     |
| `wrong_content_type(value)`      | the route's answer labelled with another Content-Type               |
| `stall(keep)`                    | the headers and part of the body, then nothing until the client goes |
| `redirect(to, status)`           | a redirect to the same path and query on another origin `to`        |

"The route's answer" is whatever the route would have answered (its errors included), so a
truncated login is a login that happened at the vendor, whose answer the client never fully read.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict, deque
from collections.abc import Mapping
from typing import Final, Literal

import attrs
from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from ._counting import route_key

FaultKind = Literal["reply", "delay", "reset", "truncate", "content_type", "stall", "redirect"]

PROXY_PAGE: Final = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)
"""What nginx answers when the application behind it is down."""

_STALL_LIMIT: Final = 300.0
"""Seconds a stalled answer waits at most for its client to give up (then it ends the connection)."""
_STALL_POLL: Final = 0.02


@attrs.frozen
class Fault:
    """One injected behaviour (see the module's table); build it with a classmethod."""

    kind: FaultKind
    status: int = 503
    body: bytes = b""
    content_type: str = "application/json"
    headers: Mapping[str, str] = attrs.field(factory=dict)
    seconds: float = 0.0
    keep: float = 1.0
    """The share of the route's body that is sent (truncate, stall)."""
    drop: bool = False
    """truncate: announce the whole body and close the connection after the part (a mid-body reset)."""
    location: str = ""
    """redirect: the origin (scheme, host, port) the client is sent to."""

    @classmethod
    def reply(
        cls,
        status: int,
        body: object = None,
        *,
        headers: Mapping[str, str] | None = None,
        content_type: str = "application/json",
    ) -> Fault:
        """Answer `status` with `body` (JSON-encoded unless bytes or str) instead of the route's answer."""
        if isinstance(body, bytes):
            raw = body
        elif isinstance(body, str):
            raw = body.encode()
        else:
            raw = json.dumps(body if body is not None else {}).encode()
        return cls("reply", status=status, body=raw, content_type=content_type, headers=dict(headers or {}))

    @classmethod
    def html(cls, status: int = 502, page: str = PROXY_PAGE) -> Fault:
        """A proxy's HTML error page (nginx's 502 by default); `status=200` is a captive portal's page."""
        return cls.reply(status, page, content_type="text/html")

    @classmethod
    def delay(cls, seconds: float) -> Fault:
        """Answer normally, `seconds` of real time late (a slow vendor, for timeouts)."""
        return cls("delay", seconds=seconds)

    @classmethod
    def reset(cls) -> Fault:
        """Close the connection without an answer."""
        return cls("reset")

    @classmethod
    def truncate(cls, keep: float = 0.5, *, drop: bool = False) -> Fault:
        """The route's answer with only `keep` (0 to 1) of its body.

        By default the response is complete and well framed, its JSON cut short (a buggy proxy or
        vendor). With `drop=True` the headers announce the whole body and the connection closes after
        the part: a reset in the middle of the body.
        """
        return cls("truncate", keep=_share(keep), drop=drop)

    @classmethod
    def wrong_content_type(cls, value: str = "text/html") -> Fault:
        """The route's own answer, body unchanged, under another Content-Type."""
        return cls("content_type", content_type=value)

    @classmethod
    def stall(cls, keep: float = 0.5) -> Fault:
        """A body that never finishes: the headers announce the whole body, `keep` of it is sent, then
        nothing, until the client closes the connection (or five minutes pass)."""
        return cls("stall", keep=_share(keep))

    @classmethod
    def redirect(cls, to: str, status: int = 302) -> Fault:
        """Redirect (`status` 301, 302, 303, 307 or 308) to the same path and query on the origin `to`,
        e.g. "http://localhost:8081" or another emulator's address: a redirect to another host."""
        if status not in (301, 302, 303, 307, 308):
            raise ValueError(f"{status} is not a redirect status")
        return cls("redirect", status=status, location=to.rstrip("/"))


def _share(keep: float) -> float:
    if not 0 <= keep <= 1:
        raise ValueError(f"keep is a share of the body, from 0 to 1, not {keep}")
    return keep


class Faults:
    """The faults queued per route key."""

    def __init__(self) -> None:
        self._queued: defaultdict[str, deque[Fault]] = defaultdict(deque)

    def add(self, key: str, fault: Fault, *, times: int = 1) -> None:
        self._queued[key].extend([fault] * times)

    def clear(self) -> None:
        self._queued.clear()

    def next_for(self, key: str) -> Fault | None:
        queued = self._queued.get(key)
        return queued.popleft() if queued else None


def fault_injector(faults: Faults, base_path: str) -> Middleware:
    @web.middleware
    async def inject(request: web.Request, handler: Handler) -> web.StreamResponse:
        fault = faults.next_for(route_key(request, base_path))
        if fault is None:
            return await handler(request)
        if fault.kind == "delay":
            # The whole request arrives at once, as it would at a slow vendor: a client that gives up
            # while it waits does not keep the route from running (a late login still happens).
            await request.read()
            await asyncio.sleep(fault.seconds)
            return await handler(request)
        if fault.kind == "reset":
            _close(request)
            return web.Response()  # never sent: aiohttp finds the connection gone and lets it be
        if fault.kind == "reply":
            response = web.Response(status=fault.status, body=fault.body, headers=dict(fault.headers))
            response.content_type = fault.content_type
            return response
        if fault.kind == "redirect":
            return web.Response(status=fault.status, headers={"Location": fault.location + request.path_qs})
        return await _altered(request, fault, await handler(request))

    return inject


async def _altered(request: web.Request, fault: Fault, answer: web.StreamResponse) -> web.StreamResponse:
    """The route's own `answer`, changed as `fault` says."""
    body = answer.body if isinstance(answer, web.Response) else None
    if not isinstance(body, bytes):
        raise TypeError(f"fault {fault.kind} needs a route that answers with a body in memory")
    content_type = answer.content_type
    if fault.kind == "content_type":
        return web.Response(status=answer.status, body=body, content_type=fault.content_type)
    part = body[: int(len(body) * fault.keep)]
    if fault.kind == "truncate" and not fault.drop:
        return web.Response(status=answer.status, body=part, content_type=content_type)
    # Announce the whole body, send the part: the client waits for the rest.
    streamed = web.StreamResponse(status=answer.status)
    streamed.content_type = content_type
    streamed.content_length = len(body)
    await streamed.prepare(request)
    await streamed.write(part)
    if fault.kind == "stall":
        await _until_closed(request)
    _close(request)
    return streamed  # its end is never sent: the connection is gone


async def _until_closed(request: web.Request) -> None:
    """Wait, without ever answering more, for the client to close the connection."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + _STALL_LIMIT
    while loop.time() < deadline:
        transport = request.transport
        if transport is None or transport.is_closing():
            return
        await asyncio.sleep(_STALL_POLL)


def _close(request: web.Request) -> None:
    if request.transport is not None:
        request.transport.abort()
