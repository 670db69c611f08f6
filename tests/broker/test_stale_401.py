"""401s: a refusal of a replaced token retries with the current one; of the current one, one renewal."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web
from aiohttp.typedefs import Handler

from tessera import errors, zapsign
from tessera._auth.rejection import Rejection
from tessera.testing import ManualClock, ZapSignEmulator, emulator
from tests.broker.conftest import password_client
from tests.broker.test_cancellation import first_page
from tests.polling import until
from tests.tasks import client_tasks


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
    # Only requests already holding a connection slot (100) carried the refused token; each was retried
    # once, and the rest waited for the renewal before taking a token.
    assert 1 + 500 < emu.counts["GET /docs/"] <= 1 + 500 + 100


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
        assert await flow.rejected(stale, refusal, may_renew=True) is Rejection.STALE
        assert await flow.token() == current
        await until(lambda: not client_tasks())  # a renewal, had one started, would have ended by now
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


class HeldZapSign(ZapSignEmulator):
    """Holds the first guarded request before checking its token, until the test lets it go."""

    def __init__(self, **options: object) -> None:
        super().__init__(**options)  # type: ignore[arg-type]
        self.held = asyncio.Event()
        self.release = asyncio.Event()

    def _guarded(self, handler: Handler) -> Handler:
        checked = super()._guarded(handler)

        async def held_once(request: web.Request) -> web.StreamResponse:
            if not self.held.is_set():
                self.held.set()
                await self.release.wait()
            return await checked(request)

        return held_once


async def test_a_request_whose_token_was_replaced_while_it_waited_is_retried_without_a_renewal(
    clock: ManualClock,
) -> None:
    emu = HeldZapSign(clock=clock, access_seconds=3600, refresh_seconds=7200)
    async with emu, password_client(emu, clock) as zs:
        slow = asyncio.create_task(first_page(zs))  # leaves with token A and is held at the vendor
        await emu.held.wait()
        clock.advance(3500)  # in the renewal window: the next call renews to token B in the background
        await zs.docs.list_docs()
        await until(lambda: emu.refreshes == 1 and client_tasks() == [slow])  # renewed to B, behind
        clock.advance(300)  # A is now past its expiry at the vendor; B is good
        emu.release.set()
        page = await slow
    assert page.count > 0
    assert emu.refreshes == 1  # the stale 401 started no renewal
    assert emu.counts["GET /docs/"] == 3  # the held request, the renewing one, the held one's retry


async def test_the_flow_decides_what_a_refusal_earns_and_keeps_the_count() -> None:
    server, client = ManualClock(), ManualClock()
    emu = emulator("zapsign", clock=server, access_seconds=3600, refresh_seconds=7200)
    refusal = errors.TokenExpired("expired", status=401, vendor="zapsign")
    async with emu, password_client(emu, client) as zs:
        await zs.docs.list_docs()
        flow = zs._flows["PasswordLogin"]
        old = await flow.token()
        assert flow.headers(old) == {"Authorization": f"Bearer {old.reveal()}"}
        renewing = await flow.refused(old, refusal)  # the current token: renewed, and sent again
        assert renewing is not None
        renewed = await renewing.token()
        assert renewed != old
        assert await renewing.refused(renewed, refusal) is None  # refused after its renewal: raised
        # A call that sent the replaced token meanwhile: sent again with the current one, three times at most.
        stale = await flow.refused(old, refusal)
        for _ in range(3):
            assert stale is not None
            stale = await stale.refused(old, refusal)
        assert stale is None
        assert emu.refreshes == 1
        async with zapsign.Client(auth=zapsign.ApiTokenAuth(emu.api_token), base_url=emu.base_url) as static:
            key = static._flows["ApiToken"]
            assert await key.refused(await key.token(), refusal) is None  # a static key has no other to try
