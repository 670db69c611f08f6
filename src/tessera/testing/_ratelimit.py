"""Rate limits on the emulator's clock: one counter of requests per window, in the three shapes vendors use.

The shapes differ on purpose, each as its vendor (or the framework it runs on) counts:

| Window        | a window is                                             | who                                  |
|---------------|---------------------------------------------------------|--------------------------------------|
| SLIDING       | any `seconds`-long span before now                      | DRF's SimpleRateThrottle: ZapSign's logins |
| CLOCK         | a span aligned on the clock (each minute from :00)      | ZapSign's API limit, as documented   |
| FROM_FIRST    | a span from the first request after the last one ended  | express-rate-limit: Videsk           |

and `count_refused` says whether a refused request takes a place too (express-rate-limit: yes; DRF: no).
"""

from __future__ import annotations

import enum
import math
from collections import deque

import attrs

from ._clock import TimeFunction


class Window(enum.Enum):
    SLIDING = enum.auto()
    CLOCK = enum.auto()
    FROM_FIRST = enum.auto()


@attrs.frozen
class Hit:
    """What the limit made of one request."""

    admitted: bool
    counted: int
    """Requests that take a place in the window now, this one included if it counts."""
    reset_in: float
    """Seconds until the window frees a place: its end for fixed windows, the oldest place's for a sliding one."""


class RateLimit:
    """At most `limit` requests per window of `seconds` (None: none refused, but still counted)."""

    def __init__(
        self,
        limit: int | None,
        seconds: float,
        clock: TimeFunction,
        *,
        window: Window,
        count_refused: bool = False,
    ) -> None:
        self._limit = limit
        self._seconds = seconds
        self._clock = clock
        self._window = window
        self._count_refused = count_refused
        self._times: deque[float] = deque()
        """SLIDING: when each request that takes a place came."""
        self._start = -math.inf
        """CLOCK and FROM_FIRST: when the current window began; `_count` requests take a place in it."""
        self._count = 0

    def hit(self) -> Hit:
        """Count one request (unless refused and refusals do not count) and say whether it is admitted."""
        now = self._clock()
        self._expire(now)
        counted = len(self._times) if self._window is Window.SLIDING else self._count
        admitted = self._limit is None or counted < self._limit
        if admitted or self._count_refused:
            counted += 1
            if self._window is Window.SLIDING:
                self._times.append(now)
            else:
                self._count = counted
        return Hit(admitted, counted, self._frees_at(now) - now)

    def _expire(self, now: float) -> None:
        if self._window is Window.SLIDING:
            while self._times and self._times[0] <= now - self._seconds:
                self._times.popleft()
            return
        if self._window is Window.CLOCK:
            start = math.floor(now / self._seconds) * self._seconds
        else:
            start = now if now >= self._start + self._seconds else self._start
        if start != self._start:
            self._start, self._count = start, 0

    def _frees_at(self, now: float) -> float:
        if self._window is Window.SLIDING:
            return (self._times[0] if self._times else now) + self._seconds
        return self._start + self._seconds
