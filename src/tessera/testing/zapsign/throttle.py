"""ZapSign's API rate limit: requests counted per clock minute, refused with DRF's Throttled answer."""

from __future__ import annotations

import math
from typing import Final

from .._clock import TimeFunction
from .._errors import ErrorReply

_WINDOW_SECONDS: Final = 60


class MinuteThrottle:
    """At most `limit` requests in each minute of the emulator's clock.

    ZapSign documents fixed one-minute windows that reset at each new minute, so this counts per clock
    minute rather than over a sliding minute.
    """

    def __init__(self, limit: int, clock: TimeFunction) -> None:
        self._limit = limit
        self._clock = clock
        self._window = -1
        self._admitted = 0

    def check(self) -> None:
        """Count one request, or raise DRF's 429 with the seconds left until the next minute."""
        now = self._clock()
        window = math.floor(now / _WINDOW_SECONDS)
        if window != self._window:
            self._window, self._admitted = window, 0
        if self._admitted >= self._limit:
            raise throttled(math.ceil((window + 1) * _WINDOW_SECONDS - now))
        self._admitted += 1


def throttled(wait: int) -> ErrorReply:
    """DRF's Throttled: its detail in the singular or plural, as DRF words it, and Retry-After."""
    unit = "second" if wait == 1 else "seconds"
    detail = f"Request was throttled. Expected available in {wait} {unit}."
    return ErrorReply(429, {"detail": detail}, {"Retry-After": str(wait)})
