"""ZapSign's timestamps: a file (a public URL or base64) stamped and answered as a new file's link."""

from __future__ import annotations

import uuid
from typing import Final

from aiohttp import web

from .._drf import field_errors, invalid, json_object
from .._errors import ErrorReply
from .records import FILES_URL

_FIELDS: Final = {"url": str}


class ZapSignTimestamp:
    """The handlers of /timestamp/ and /timestamp/no-signature; without the plan feature, the documented 402."""

    def __init__(self, *, enabled: bool) -> None:
        self._enabled = enabled
        self.stamped: list[str] = []
        """The url field of each request stamped, in order."""

    async def add_timestamp(self, request: web.Request) -> web.Response:
        return await self._stamp(request)

    async def add_timestamp_keeping_signatures(self, request: web.Request) -> web.Response:
        return await self._stamp(request)

    async def _stamp(self, request: web.Request) -> web.Response:
        if not self._enabled:
            raise ErrorReply(402, {"error": "Payment Required"})
        body = await json_object(request)
        if errors := field_errors(body, _FIELDS, required=("url",)):
            raise invalid(errors)
        self.stamped.append(str(body["url"]))
        return web.json_response({"url": f"{FILES_URL}{uuid.uuid4()}/{uuid.uuid4()}.pdf"})
