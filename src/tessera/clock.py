"""Time as tessera reads it: injectable, so tests cover hours of token lifetimes without sleeping.

Every client takes `clock=`; the default is the system's. A test clock implements the same two
methods, typically moving time forward in `sleep` instead of waiting (see `tessera.testing.ManualClock`).
"""

from __future__ import annotations

import asyncio
import time
from typing import Protocol, runtime_checkable

__all__ = ["Clock", "SystemClock"]


@runtime_checkable
class Clock(Protocol):
    def now(self) -> float:
        """Epoch seconds."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait this long (backoff before a retried login, a refresh retried later)."""
        ...


class SystemClock:
    """The wall clock and asyncio.sleep."""

    __slots__ = ()

    def now(self) -> float:
        return time.time()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
