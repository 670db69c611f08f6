"""ZapSign's API rate limit: requests counted per clock minute, refused with DRF's Throttled answer."""

from __future__ import annotations

import math

from .._clock import TimeFunction
from .._drf import throttled
from .._ratelimit import RateLimit, Window


class MinuteThrottle:
    """At most `limit` requests in each minute of the emulator's clock.

    ZapSign documents fixed one-minute windows that reset at each new minute, so this counts per clock
    minute rather than over a sliding minute as DRF's own throttles (and ZapSign's login limit) do.
    """

    def __init__(self, limit: int, clock: TimeFunction) -> None:
        self._limit = RateLimit(limit, 60, clock, window=Window.CLOCK)

    def check(self) -> None:
        """Count one request, or raise DRF's 429 with the seconds left until the next minute."""
        hit = self._limit.hit()
        if not hit.admitted:
            raise throttled(math.ceil(hit.reset_in))
