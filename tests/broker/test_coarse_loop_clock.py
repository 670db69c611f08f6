"""Callers with one timeout, on an event loop whose clock is coarse, wait for one renewal side by side.

`loop.time()` is `time.monotonic()`, which ticks every 15.6 ms on Windows (uvloop's counts milliseconds,
once per loop iteration): callers that join in one tick with the same timeout share a deadline. Their
wait has to tell them apart by something else than the deadline.
"""

from __future__ import annotations

import asyncio
import math
import threading

from tessera.testing import ManualClock, ZapSignEmulator
from tests.broker.conftest import password_client
from tests.broker.test_threads import LOGIN, first_pages

TICK = 1 / 64
"""Windows' default timer resolution."""
CALLERS = 100


class CoarseClockLoop(asyncio.SelectorEventLoop):
    def time(self) -> float:
        return math.floor(super().time() / TICK) * TICK


async def test_callers_sharing_a_deadline_all_wait_for_the_one_renewal(
    emu: ZapSignEmulator, clock: ManualClock
) -> None:
    outcome: list[object] = []

    async def callers() -> list[int]:
        async with password_client(emu, clock) as zs:
            return await first_pages(zs, CALLERS)  # the same timeout each, joined within a tick or two

    def run() -> None:
        try:
            with asyncio.Runner(loop_factory=CoarseClockLoop) as runner:
                outcome.append(runner.run(callers()))
        except Exception as error:  # noqa: BLE001 - handed to the test, which fails on it
            outcome.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    await asyncio.to_thread(thread.join, 30)
    assert not thread.is_alive()
    [pages] = outcome
    assert isinstance(pages, list), pages
    assert len(pages) == CALLERS
    assert (emu.counts[LOGIN], emu.logins) == (1, 1)
