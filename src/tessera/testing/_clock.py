"""The emulators' notion of time: an injectable clock and the two timestamp formats vendors print."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeAlias

Clock: TypeAlias = Callable[[], float]
"""Returns epoch seconds. Every expiry check and timestamp reads one, so tests move time without sleeping."""


def drf_timestamp(epoch: float) -> str:
    """Django REST framework's rendering: microseconds and a Z, e.g. 2020-04-16T02:43:31.500058Z."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def js_timestamp(epoch: float) -> str:
    """JavaScript's Date.toISOString(), as a feathers server prints it: milliseconds and a Z."""
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class ManualClock:
    """A clock that stands still until moved: `emulator(..., clock=clock)`, then `clock.advance(3600)`."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
