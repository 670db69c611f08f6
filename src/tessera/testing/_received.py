"""The last requests an emulator received, as they arrived: what a test asserts was sent on the wire."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Collection
from typing import Final

import attrs
from aiohttp import web
from aiohttp.typedefs import Handler, Middleware
from multidict import CIMultiDictProxy, MultiMapping

from ._counting import route_key

KEPT: Final = 64
"""Requests an emulator keeps (the oldest go first): a soak's thousands are not a test's to read."""


@attrs.frozen
class Received:
    """One request as it reached the emulator, credentials included (tests compare them)."""

    route: str
    """Its key in `emu.counts`: "POST /docs/"."""
    method: str
    path: str
    query: MultiMapping[str]
    headers: CIMultiDictProxy[str]
    body: bytes
    """b"" for a login's or a refresh's (see request_recorder)."""

    def json(self) -> object:
        return json.loads(self.body)


def request_recorder(received: deque[Received], base_path: str, public: Collection[str]) -> Middleware:
    """A middleware that keeps each request in `received`, its body read first (the handler reads it again).

    The body of a `public` route (a login, a refresh: passwords and refresh tokens) is kept as b"": the
    emulator remembers no credential a client sent it, as the client must not.
    """

    @web.middleware
    async def record_request(request: web.Request, handler: Handler) -> web.StreamResponse:
        route = route_key(request, base_path)
        body = b"" if route in public else await request.read()
        received.append(Received(route, request.method, request.path, request.query, request.headers, body))
        return await handler(request)

    return record_request
