"""Proactive renewal: inside a window that scales with the lifetime, the token is renewed in the background."""

from __future__ import annotations

from tessera.testing import ManualClock, emulator
from tests.broker.conftest import password_client
from tests.polling import until
from tests.tasks import client_tasks


async def test_a_one_hour_token_is_renewed_minutes_before_expiry_without_a_401(clock: ManualClock) -> None:
    emu = emulator("zapsign", clock=clock, access_seconds=3600, refresh_seconds=7200)
    async with emu, password_client(emu, clock) as zs:
        await zs.docs.list_docs()
        clock.advance(3450)  # 57:30: not yet in the window
        await zs.docs.list_docs()
        assert emu.refreshes == 0
        clock.advance(80)  # 58:50, inside the last two minutes: served now, renewed behind
        await zs.docs.list_docs()
        await until(lambda: emu.refreshes == 1 and not client_tasks())  # the background renewal is over
        clock.advance(3000)  # well past the first token's expiry, inside the second's lifetime
        await zs.docs.list_docs()
    assert emu.refreshes == 1
    assert emu.logins == 1
    assert emu.counts["GET /docs/"] == 4  # no request was ever refused: no retries


async def test_a_three_second_token_is_not_renewed_on_every_call(clock: ManualClock) -> None:
    # The emulator stamps whole seconds: the client is sure of 2 of the 3 s (see test_token_timing).
    emu = emulator("zapsign", clock=clock, access_seconds=3, refresh_seconds=600)
    async with emu, password_client(emu, clock) as zs:
        for _ in range(15):  # 1.5 s of calls, 0.1 s apart: all on the first token
            await zs.docs.list_docs()
            clock.advance(0.1)
        assert (emu.logins, emu.refreshes) == (1, 0)
        clock.advance(0.2)  # 1.7 s: in the window (the last 20 % of the 2 s it is sure of)
        await zs.docs.list_docs()
        await until(lambda: emu.refreshes == 1 and not client_tasks())  # the background renewal is over
        for _ in range(15):  # the next 1.5 s on the renewed token
            await zs.docs.list_docs()
            clock.advance(0.1)
    assert emu.refreshes == 1
    assert emu.logins == 1
