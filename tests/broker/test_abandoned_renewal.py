"""A caller told to ask again (its renewal's loop stopped) takes the tokens another loop renewed meanwhile.

Three loops share one credential: loop A starts the renewal and stops with its login in flight; a caller
on loop B waits for it; the test's loop then abandons it and renews on its own. Loop B is busy (blocked)
all that time, so its caller hears of the abandonment only once the test's loop has renewed: it serves
those tokens, without another login or refresh.
"""

from __future__ import annotations

import asyncio
import threading

from tessera.testing import Fault, ManualClock, ZapSignEmulator
from tests.broker.conftest import password_client
from tests.broker.test_threads import LOGIN, until_true

GUARD = 10.0
"""Seconds any step may take on a loaded machine before the test calls it hung."""


async def test_a_caller_told_to_ask_again_serves_what_another_loop_renewed_meanwhile(
    emu: ZapSignEmulator, clock: ManualClock
) -> None:
    emu.faults.add(LOGIN, Fault.delay(2))  # loop A's login: still in flight when loop A stops
    loop_a = asyncio.new_event_loop()
    client_a = password_client(emu, clock)
    starters: list[asyncio.Future[object]] = []
    joined, may_go = threading.Event(), threading.Event()
    served_on_b: list[object] = []

    async def start_on_a() -> None:
        starters.append(asyncio.ensure_future(client_a.docs.list_docs()))
        await until_true(lambda: emu.counts[LOGIN] == 1)
        await asyncio.to_thread(joined.wait, GUARD)  # then loop A stops, its renewal pending

    async def wait_on_b() -> None:
        async with password_client(emu, clock) as zs:
            call = asyncio.ensure_future(zs.docs.list_docs(timeout=GUARD))
            await asyncio.sleep(0.05)  # the call is waiting for loop A's renewal
            joined.set()
            may_go.wait(GUARD)  # loop B blocked: it runs nothing until the test's loop has renewed
            served_on_b.append(await call)

    async def finish_on_a() -> None:
        starters[0].cancel()
        await asyncio.gather(*starters, return_exceptions=True)
        await client_a.aclose()

    thread_b = threading.Thread(target=asyncio.run, args=(wait_on_b(),), daemon=True)
    try:
        running_a = asyncio.ensure_future(asyncio.to_thread(loop_a.run_until_complete, start_on_a()))
        await until_true(lambda: emu.counts[LOGIN] == 1)
        thread_b.start()
        await running_a  # loop A stopped with its renewal (and login) in flight, loop B's caller waiting for it
        async with password_client(emu, clock) as zs:
            assert (await zs.docs.list_docs(timeout=GUARD)).results  # abandons loop A's renewal, renews here
        assert emu.counts[LOGIN] == 2
        may_go.set()
        await asyncio.to_thread(thread_b.join, GUARD)
        assert not thread_b.is_alive()
        assert len(served_on_b) == 1
        assert (emu.counts[LOGIN], emu.refreshes) == (2, 0)  # loop B's caller took the test loop's tokens
    finally:
        may_go.set()
        joined.set()
        await asyncio.to_thread(loop_a.run_until_complete, finish_on_a())
        loop_a.close()
