"""Refresh tokens: rotation kept, a refused refresh falls back to one login, a known-expired one skips refresh."""

from __future__ import annotations

from tessera.testing import ManualClock, emulator
from tests.broker.conftest import password_client


async def test_a_rotated_refresh_token_replaces_the_old_one(clock: ManualClock) -> None:
    # The emulator blacklists every refresh token it rotated away: reusing one would cost a login.
    emu = emulator("zapsign", clock=clock, access_seconds=60, refresh_seconds=7200, rotate_refresh_tokens=True)
    async with emu, password_client(emu, clock) as zs:
        for _ in range(4):
            await zs.docs.list_docs()
            clock.advance(61)
    assert emu.logins == 1
    assert emu.refreshes == 3
    assert emu.counts["POST /auth/token-refresh/"] == 3


async def test_a_refused_refresh_falls_back_to_one_login() -> None:
    server, client = ManualClock(), ManualClock()
    emu = emulator("zapsign", clock=server, access_seconds=60, refresh_seconds=120)
    async with emu, password_client(emu, client) as zs:
        await zs.docs.list_docs()
        client.advance(61)  # by our clock the access token is spent and the refresh token still good
        server.advance(200)  # by the vendor's the refresh token is expired too: it refuses the refresh
        page = await zs.docs.list_docs()
    assert page.count > 0
    assert emu.counts["POST /auth/token-refresh/"] == 1
    assert emu.refreshes == 0
    assert emu.logins == 2


async def test_a_refresh_token_known_to_be_expired_goes_straight_to_login(clock: ManualClock) -> None:
    emu = emulator("zapsign", clock=clock, access_seconds=60, refresh_seconds=120)
    async with emu, password_client(emu, clock) as zs:
        await zs.docs.list_docs()
        clock.advance(121)
        await zs.docs.list_docs()
    assert emu.counts["POST /auth/token-refresh/"] == 0
    assert emu.logins == 2
