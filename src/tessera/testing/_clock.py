"""The emulators' notion of time: an injectable clock and the two timestamp formats vendors print."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeAlias

TimeFunction: TypeAlias = Callable[[], float]
"""A function like `time.time`: returns epoch seconds. The emulators read one for every expiry check and
timestamp, so tests move time without sleeping. Not `tessera.clock.Clock`, the clients' protocol (now() and
sleep()); a `ManualClock` is both."""


def drf_timestamp(epoch: float) -> str:
    """Django REST framework's rendering: microseconds and a Z, e.g. 2020-04-16T02:43:31.500058Z."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def js_timestamp(epoch: float) -> str:
    """JavaScript's Date.toISOString(), as a feathers server prints it: milliseconds and a Z."""
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class ManualClock:
    """A clock that stands still until moved, for emulators and clients alike.

    `emulator(..., clock=clock)` calls it; `vendor.Client(..., clock=clock)` uses `now()` and `sleep()`,
    where sleeping moves time forward at once: a test of an hour-long backoff takes no time.
    """

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self._now = start

    def __call__(self) -> float:
        return self._now

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += seconds

    async def sleep(self, seconds: float) -> None:
        self.advance(max(0.0, seconds))
        await asyncio.sleep(0)  # still a suspension point, as a real sleep is
