"""A call's timeout bounds its whole wait for a token, however long the renewal it joined goes on."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable

import pytest

from tessera import errors
from tessera.testing import Fault, ManualClock, emulator
from tests.broker.conftest import password_client

LOGIN = "POST /auth/token/{organization_id}/"
FLOOD = Fault.reply(400, {"message": "Rate limit exceeded"})
"""ZapSign's login flood answer, without Retry-After: the renewal waits it out on the client's clock."""
SLACK = 1.0
"""What a call may take beyond its timeout on a loaded machine."""
HANG_GUARD = 8.0


class HeldClock(ManualClock):
    """A manual clock whose sleeps last until the test lets them go: a throttle waited out for minutes."""

    def __init__(self) -> None:
        super().__init__()
        self.released = asyncio.Event()

    async def sleep(self, seconds: float) -> None:
        await self.released.wait()
        self.advance(seconds)


async def gave_up(call: Awaitable[object], timeout: float) -> float:
    """Seconds until `call` raised RequestTimeout of its own (failing the test if it waited past the guard)."""
    begun = time.monotonic()
    with pytest.raises(errors.RequestTimeout, match=f"no token within {timeout:g} s"):
        async with asyncio.timeout(HANG_GUARD):
            await call
    return time.monotonic() - begun


async def test_a_waiter_gives_up_at_its_own_timeout_while_a_throttled_login_is_waited_out() -> None:
    clock = HeldClock()
    emu = emulator("zapsign", clock=clock, access_seconds=3600)
    emu.faults.add(LOGIN, FLOOD)
    async with emu, password_client(emu, clock, timeout=1.0) as zs:
        try:
            # Timeouts below, at and above the renewal's own per-request timeout (the client's, 1 s).
            timeouts = [0.3, 1.0, 1.0, 1.5] * 50
            waited = await asyncio.gather(*(gave_up(zs.docs.list_docs(timeout=t), t) for t in timeouts))
            for timeout, seconds in zip(timeouts, waited, strict=True):
                assert timeout * 0.9 <= seconds < timeout + SLACK
            assert emu.counts[LOGIN] == 1  # the one renewal is still waiting the flood out
        finally:
            clock.released.set()  # so that closing the client, which awaits the renewal, ends
        await zs.docs.list_docs()  # the renewal went on: its login is the token of the next call
    assert (emu.counts[LOGIN], emu.logins) == (2, 1)


async def test_a_waiter_that_joins_after_the_others_gave_up_still_gives_up_at_its_own_timeout() -> None:
    # Every deadline of the loop passed, then a new waiter joins the same renewal: its deadline gets a timer too.
    clock = HeldClock()
    emu = emulator("zapsign", clock=clock, access_seconds=3600)
    emu.faults.add(LOGIN, FLOOD)
    async with emu, password_client(emu, clock, timeout=1.0) as zs:
        try:
            assert await gave_up(zs.docs.list_docs(timeout=0.2), 0.2) < 0.2 + SLACK
            seconds = await gave_up(zs.docs.list_docs(timeout=0.3), 0.3)
            assert 0.3 * 0.9 <= seconds < 0.3 + SLACK
            assert emu.counts[LOGIN] == 1  # both joined the one renewal, still waiting the flood out
        finally:
            clock.released.set()
