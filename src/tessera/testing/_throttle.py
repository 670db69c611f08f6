"""A sliding-window rate limit on the emulator's clock, like Django REST framework's SimpleRateThrottle."""

from __future__ import annotations

from collections import deque

from ._clock import TimeFunction


class SlidingWindow:
    """Admits at most `limit` events in any `seconds`-long window; refused events do not count."""

    def __init__(self, limit: int, seconds: float, clock: TimeFunction) -> None:
        self._limit = limit
        self._seconds = seconds
        self._clock = clock
        self._admitted: deque[float] = deque()

    def admit(self) -> bool:
        now = self._clock()
        while self._admitted and self._admitted[0] <= now - self._seconds:
            self._admitted.popleft()
        if len(self._admitted) >= self._limit:
            return False
        self._admitted.append(now)
        return True
