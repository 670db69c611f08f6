"""Deadline polls: wait (really) until a condition holds, failing the test if it does not by the deadline.

What happens off the caller's path (a background renewal's round trip, a late answer's route running
after the client left) is awaited this way before its counts are asserted, never with a fixed sleep.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


async def until(condition: Callable[[], bool], *, within: float = 2.0) -> None:
    """Return as soon as `condition()` holds; fail the test if it still does not `within` seconds from now."""
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, f"not there within {within} s"
        await asyncio.sleep(0.01)
