"""Faults a test injects into an emulator's routes: answers a real network or vendor gives on a bad day.

    emu.faults.add("GET /docs/", Fault.reply(503), times=2)   # the next two GET /docs/ get a 503
    emu.faults.add("GET /docs/", Fault.delay(0.5))            # the next one answers half a second late

Faults are consumed in order per route key (the same "METHOD /template" keys as `emu.counts`), before
authentication, so they apply to logins and refreshes too. A route with none queued behaves normally.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict, deque
from collections.abc import Mapping

import attrs
from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from ._counting import route_key


@attrs.frozen
class Fault:
    """One injected behaviour: `reply` answers instead of the route, `delay` waits before it, `reset` drops."""

    kind: str
    status: int = 503
    body: bytes = b""
    content_type: str = "application/json"
    headers: Mapping[str, str] = attrs.field(factory=dict)
    seconds: float = 0.0

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
    def delay(cls, seconds: float) -> Fault:
        """Answer normally, `seconds` of real time late (a slow vendor, for timeouts)."""
        return cls("delay", seconds=seconds)

    @classmethod
    def reset(cls) -> Fault:
        """Close the connection without an answer."""
        return cls("reset")


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
            await asyncio.sleep(fault.seconds)
            return await handler(request)
        if fault.kind == "reset":
            if request.transport is not None:
                request.transport.abort()
            raise ConnectionResetError("fault injected: connection reset")
        response = web.Response(status=fault.status, body=fault.body, headers=dict(fault.headers))
        response.content_type = fault.content_type
        return response

    return inject
