"""401s: a refusal of a replaced token retries with the current one; of the current one, one renewal."""

from __future__ import annotations

import asyncio

import pytest

from tessera import errors
from tessera.testing import ManualClock, emulator
from tests.broker.conftest import password_client


async def test_a_401_for_the_current_token_renews_once_and_retries() -> None:
    server, client = ManualClock(), ManualClock()
    emu = emulator("zapsign", clock=server, access_seconds=3600, refresh_seconds=7200)
    async with emu, password_client(emu, client) as zs:
        await zs.docs.list_docs()
        server.advance(3601)  # the vendor's clock says expired; ours does not: we send it and get a 401
        pages = await asyncio.gather(*(zs.docs.list_docs() for _ in range(500)))
    assert len(pages) == 500
    assert emu.refreshes == 1
    assert emu.logins == 1
    assert emu.counts["GET /docs/"] == 1 + 500 * 2  # each refused once, then retried with the new token


async def test_a_401_for_a_token_already_replaced_starts_no_renewal() -> None:
    server, client = ManualClock(), ManualClock()
    emu = emulator("zapsign", clock=server, access_seconds=3600, refresh_seconds=7200)
    async with emu, password_client(emu, client) as zs:
        await zs.docs.list_docs()
        flow = zs._flows["PasswordLogin"]
        stale = await flow.token()
        server.advance(3601)
        await zs.docs.list_docs()  # refused, renewed, retried: `stale` is no longer current
        assert emu.refreshes == 1
        current = await flow.token()
        assert current != stale
        refusal = errors.TokenExpired("expired", status=401, vendor="zapsign")
        # The answer to a request that left with the old token arrives late.
        assert await flow.rejected(stale, refusal) is True
        assert await flow.token() == current
        await asyncio.sleep(0.05)
    assert emu.refreshes == 1
    assert emu.counts["POST /auth/token-refresh/"] == 1


async def test_a_second_401_raises_the_mapped_error(clock: ManualClock) -> None:
    # Every access token this vendor issues is born expired: the renewed one is refused too.
    emu = emulator("zapsign", clock=clock, access_seconds=-1, refresh_seconds=7200)
    async with emu, password_client(emu, clock) as zs:
        with pytest.raises(errors.TokenExpired):
            await zs.docs.list_docs()
    assert emu.counts["GET /docs/"] == 2  # refused, one renewal, one retry, refused again: raised
    assert (emu.logins, emu.refreshes) == (1, 1)
