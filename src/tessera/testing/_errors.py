"""Vendor error answers raised from anywhere in a handler, and the middleware that sends them."""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import web
from aiohttp.typedefs import Handler

from ._json import JsonObject


class ErrorReply(Exception):
    """An HTTP error with the vendor's own JSON body; raising it ends the request with that answer."""

    def __init__(self, status: int, body: JsonObject, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(status, body)
        self.status = status
        self.body = body
        self.headers = dict(headers or {})


@web.middleware
async def send_error_replies(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ErrorReply as reply:
        return web.json_response(reply.body, status=reply.status, headers=reply.headers)
