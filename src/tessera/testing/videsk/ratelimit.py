"""Videsk's rate limit: a one-second window on the emulator's clock, reported in RateLimit headers on every answer.

Videsk answers like express-rate-limit: the window starts at its first request and resets a second later;
every request counts, refused ones included; each answer says Ratelimit-Limit, Ratelimit-Remaining and
Ratelimit-Reset (seconds to the reset), and a refused one adds Retry-After.
"""

from __future__ import annotations

import math
from typing import Final

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from .._clock import TimeFunction
from .._errors import ErrorReply
from .._feathers import feathers_error
from .._ratelimit import RateLimit, Window

WINDOW_SECONDS: Final = 1
SHOWN_WITHOUT_LIMIT: Final = 10_000
"""The Ratelimit-Limit an emulator without a limit announces: it refuses nothing, but clients see headers."""


class VideskRateLimit:
    """`limit` requests per second (None: unlimited), counted for the whole emulator, one client as Videsk sees it."""

    def __init__(self, limit: int | None, clock: TimeFunction) -> None:
        self._limit = limit
        self._requests = RateLimit(limit, WINDOW_SECONDS, clock, window=Window.FROM_FIRST, count_refused=True)

    def middleware(self) -> Middleware:
        @web.middleware
        async def rate_limited(request: web.Request, handler: Handler) -> web.StreamResponse:
            headers = self._hit()
            try:
                response = await handler(request)
            except (ErrorReply, web.HTTPException) as answer:
                answer.headers.update(headers)
                raise
            response.headers.update(headers)
            return response

        return rate_limited

    def _hit(self) -> dict[str, str]:
        """Count a request; its headers, or the 429 that refuses it."""
        hit = self._requests.hit()
        shown = SHOWN_WITHOUT_LIMIT if self._limit is None else self._limit
        reset = str(math.ceil(hit.reset_in))
        headers = {
            "Ratelimit-Limit": str(shown),
            "Ratelimit-Remaining": str(max(0, shown - hit.counted)),
            "Ratelimit-Reset": reset,
        }
        if not hit.admitted:
            refused = feathers_error(429, "Too many requests, please try again later.")
            refused.headers.update({**headers, "Retry-After": reset})
            raise refused
        return headers
