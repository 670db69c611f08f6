"""A renewal's loop that stops while another loop's callers wait for it: they notice, and renew on their own loop.

The waiting loop looks every 0.25 s (loop time, which is real time) whether the renewal's loop still runs.
Here the renewal's loop runs past two of those looks, then stops with the login in flight: the look
after that abandons the renewal, logs it under the broker's name, and the waiting call logs in on its
own loop, well within its timeout.
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading

import pytest

from tessera.testing import Fault, ManualClock, ZapSignEmulator
from tests.broker.conftest import password_client
from tests.broker.test_log_lines import broker_lines
from tests.broker.test_threads import LOGIN, until_true

RUNS_FOR = 0.6
"""How long the renewal's loop keeps running once the waiter joined: past two looks, not three."""


async def test_a_waiter_in_another_loop_renews_once_the_renewals_loop_stops_later(
    emu: ZapSignEmulator, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    emu.faults.add(LOGIN, Fault.delay(4))  # the first login only: still in flight when its loop stops
    stopping = threading.Event()
    renewals_loop = asyncio.new_event_loop()
    renewals_client = password_client(emu, clock)
    pending: list[asyncio.Future[object]] = []

    async def start_then_run_until_told() -> None:
        pending.append(asyncio.ensure_future(renewals_client.docs.list_docs()))
        await until_true(lambda: emu.counts[LOGIN] == 1)
        await asyncio.to_thread(stopping.wait)  # the loop runs meanwhile: the waiter's looks find it alive

    async def finish() -> None:
        pending[0].cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        await renewals_client.aclose()

    running = asyncio.ensure_future(asyncio.to_thread(renewals_loop.run_until_complete, start_then_run_until_told()))
    try:
        await until_true(lambda: emu.counts[LOGIN] == 1)
        with caplog.at_level(logging.WARNING, logger="tessera"):
            async with password_client(emu, clock) as zs:
                call = asyncio.ensure_future(zs.docs.list_docs(timeout=5.0))  # joins the renewal in flight
                await asyncio.sleep(RUNS_FOR)
                assert not call.done()
                stopping.set()
                await running  # the renewal's loop has stopped, its login still in flight
                page = await call
        assert page.results  # served
        assert emu.counts[LOGIN] == 2  # the stopped loop's, then the waiting loop's own
        [line] = broker_lines(caplog)
        assert re.fullmatch(
            r"zapsign PasswordLogin [0-9a-f]{12}: the renewal's event loop stopped; renewing on another", line
        ), line
    finally:
        stopping.set()
        await running
        await asyncio.to_thread(renewals_loop.run_until_complete, finish())
        renewals_loop.close()


async def test_a_renewal_that_ended_is_watched_no_more(
    emu: ZapSignEmulator, clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    # A caller here waited for a renewal on another thread's loop, which then ended its run: that loop's
    # closing is no news to this one (no "renewing on another" warning), the renewal having ended before.
    emu.faults.add(LOGIN, Fault.delay(0.3))
    may_close = threading.Event()

    async def renews_then_closes() -> None:
        async with password_client(emu, clock) as zs:
            await zs.docs.list_docs()
            await asyncio.to_thread(may_close.wait, 10)

    thread = threading.Thread(target=asyncio.run, args=(renews_then_closes(),))
    with caplog.at_level(logging.DEBUG, logger="tessera"):
        async with password_client(emu, clock) as zs:
            thread.start()
            try:
                await until_true(lambda: emu.counts[LOGIN] == 1)
                assert (await zs.docs.list_docs()).results  # waited for the thread's renewal
            finally:
                may_close.set()
                await asyncio.to_thread(thread.join, 10)
            await asyncio.sleep(0.6)  # two looks' time, had this loop still been looking
    assert emu.counts[LOGIN] == 1
    assert [line.split(": ", 1)[1] for line in broker_lines(caplog)] == ["renewed"]
